// Illumina-like paired-end reads from a patient's two haplotypes.
#include <algorithm>
#include <cmath>

#include "precis/core/error.hpp"
#include "precis/io/fastq.hpp"
#include "precis/sim/patients.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim {

namespace {

// One read of `length` bases from `source` (read orientation) with qualities and errors. Qualities come
// from `profile` when given, else from a parametric curve lowered by `quality_offset`.
void sequence_read(rng& r, const std::string& source, int length, const quality_profile* profile,
                   double quality_offset, double indel_rate, std::string& seq, std::string& qual) {
    seq.clear();
    qual.clear();
    std::size_t at = 0;
    while (static_cast<int>(seq.size()) < length) {
        char b = at < source.size() ? source[at] : 'N';
        if (r.uniform() < indel_rate) {
            if (r.bernoulli(0.5)) {
                ++at;  // deletion error: skip a base
                continue;
            }
            b = "ACGT"[r.below(4)];  // insertion error: an extra base
        } else {
            ++at;
        }
        int qi = 0;
        if (profile) {
            qi = std::max(2, profile->draw(r, static_cast<int>(seq.size())));
        } else {
            double x = static_cast<double>(seq.size()) / length;
            double q = 38.0 - quality_offset - 14.0 * x * x + r.normal(0, 1.5);
            if (r.uniform() < 0.004) q = 2 + 8 * r.uniform();  // occasional low-quality dip
            qi = static_cast<int>(std::clamp(std::lround(q), 2L, 41L));
        }
        if (b == 'N') qi = 2;
        else if (r.uniform() < std::pow(10.0, -qi / 10.0)) {
            const char* others = b == 'A' ? "CGT" : b == 'C' ? "AGT" : b == 'G' ? "ACT" : "ACG";
            b = others[r.below(3)];
        }
        seq.push_back(b);
        qual.push_back(static_cast<char>(qi + 33));
    }
}

}  // namespace

std::int64_t simulate_reads(const genome& g, const patient& p, const read_options& options,
                            const std::filesystem::path& dir, std::uint64_t seed) {
    io::fastq_writer r1(dir / (p.id + "_R1.fq.gz"));
    io::fastq_writer r2(dir / (p.id + "_R2.fq.gz"));
    const int R = options.read_length;
    const quality_profile* profile1 = options.profiles.empty() ? nullptr : &options.profiles.front();
    const quality_profile* profile2 = options.profiles.empty() ? nullptr : &options.profiles.back();
    std::int64_t pairs = 0;
    io::fastq_record a, b;
    std::string fragment, reverse;
    for (int c = 0; c < g.size(); ++c) {
        auto ci = static_cast<std::size_t>(c);
        for (int hap = 0; hap < 2; ++hap) {
            rng r(seed, "reads-" + p.id, static_cast<std::uint64_t>(c * 2 + hap));
            haplotype_sequence h = build_haplotype(g, p.variants, c, hap);
            // Usable range in haplotype coordinates.
            auto lo = static_cast<std::int64_t>(std::lower_bound(h.ref_pos.begin(), h.ref_pos.end(), static_cast<std::uint32_t>(g.begin[ci])) - h.ref_pos.begin());
            auto hi = static_cast<std::int64_t>(std::lower_bound(h.ref_pos.begin(), h.ref_pos.end(), static_cast<std::uint32_t>(g.end[ci])) - h.ref_pos.begin());
            auto n = static_cast<std::int64_t>(options.coverage * static_cast<double>(hi - lo) / (4.0 * R));
            for (std::int64_t k = 0; k < n; ++k) {
                std::int64_t length = 0, start = 0;
                bool ok = false;
                for (int tries = 0; tries < 20 && !ok; ++tries) {
                    length = std::max<std::int64_t>(R + 20, std::llround(r.normal(options.fragment_mean, options.fragment_sd)));
                    if (hi - lo <= length) break;
                    start = r.range(lo, hi - length);
                    ok = std::find(h.sequence.begin() + start, h.sequence.begin() + start + length, 'N') == h.sequence.begin() + start + length;
                }
                if (!ok) continue;
                fragment.assign(h.sequence, static_cast<std::size_t>(start), static_cast<std::size_t>(length));
                reverse = reverse_complement(fragment);
                bool forward = r.bernoulli(0.5);
                sequence_read(r, forward ? fragment : reverse, R, profile1, 0.0, options.indel_error_rate, a.sequence,
                              a.quality);
                sequence_read(r, forward ? reverse : fragment, R, profile2, 2.0, options.indel_error_rate, b.sequence,
                              b.quality);
                std::int64_t left = h.ref_pos[static_cast<std::size_t>(start)] + 1;
                std::int64_t right = h.ref_pos[static_cast<std::size_t>(start + length - R)] + 1;
                std::string name = p.id + ":" + g.names[ci] + ":" + std::to_string(forward ? left : right) + ":" +
                                   std::to_string(forward ? right : left) + ":" + std::to_string(hap + 1) +
                                   (forward ? "+" : "-") + ":" + std::to_string(pairs + 1);
                a.name = name;
                b.name = name;
                r1.write(a);
                r2.write(b);
                ++pairs;
            }
        }
    }
    r1.close();
    r2.close();
    return pairs;
}

}  // namespace precis::sim
