#include "precis/sim/genome.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "precis/core/error.hpp"
#include "precis/io/fasta.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim {

namespace {

constexpr char bases[] = {'A', 'C', 'G', 'T'};

// A base with GC probability `gc`; after a C, a G is redrawn with probability 0.75 (CpG depletion).
char draw_base(rng& r, double gc, char previous) {
    for (;;) {
        bool strong = r.bernoulli(gc);
        char b = strong ? (r.bernoulli(0.5) ? 'C' : 'G') : (r.bernoulli(0.5) ? 'A' : 'T');
        if (previous == 'C' && b == 'G' && r.bernoulli(0.75)) continue;
        return b;
    }
}

std::string random_sequence(rng& r, std::size_t length, double gc) {
    std::string s;
    s.reserve(length);
    char prev = 'N';
    for (std::size_t i = 0; i < length; ++i) { prev = draw_base(r, gc, prev); s.push_back(prev); }
    return s;
}

struct repeat_family {
    std::string consensus;
    double weight;     // share of inserted copies
    bool truncate_5p;  // LINE-like: most copies keep only their 3' end
};

std::vector<repeat_family> make_families(std::uint64_t seed) {
    rng r(seed, "repeat-families");
    // SINE-like 300 bp, LINE-like 6 kb, two DNA-transposon-like and one LTR-like element.
    std::vector<repeat_family> out = {{random_sequence(r, 300, 0.56), 0.55, false},
                                      {random_sequence(r, 6000, 0.40), 0.20, true},
                                      {random_sequence(r, 1200, 0.45), 0.10, false},
                                      {random_sequence(r, 2400, 0.42), 0.08, false},
                                      {random_sequence(r, 600, 0.50), 0.07, false}};
    for (auto& f : out)
        if (f.consensus.size() < 1000 || f.truncate_5p) f.consensus += std::string(15, 'A');  // poly-A tail
    return out;
}

// A diverged copy: substitutions and small indels at total rate `divergence`.
std::string diverged_copy(rng& r, const std::string& source, double divergence) {
    std::string out;
    out.reserve(source.size() + 16);
    for (char b : source) {
        if (!r.bernoulli(divergence)) {
            out.push_back(b);
            continue;
        }
        double u = r.uniform();
        if (u < 0.85) out.push_back(bases[(std::find(bases, bases + 4, b) - bases + 1 + r.below(3)) % 4]);
        else if (u < 0.93) continue;  // deletion
        else out.append({b, bases[r.below(4)]});  // insertion
    }
    return out;
}

void overwrite(std::string& seq, std::int64_t at, const std::string& piece, std::int64_t& counted) {
    std::int64_t n = std::min<std::int64_t>(static_cast<std::int64_t>(piece.size()), static_cast<std::int64_t>(seq.size()) - at);
    if (n <= 0) return;
    seq.replace(static_cast<std::size_t>(at), static_cast<std::size_t>(n), piece, 0, static_cast<std::size_t>(n));
    counted += n;
}

struct contig_result {
    std::string seq;
    std::int64_t repeat_bases = 0;
    std::int64_t microsatellite_bases = 0;
};

contig_result build_contig(std::int64_t length, const std::vector<repeat_family>& families, std::uint64_t seed,
                           int index) {
    rng r(seed, "genome", static_cast<std::uint64_t>(index));
    contig_result out;
    std::string& seq = out.seq;
    seq.reserve(static_cast<std::size_t>(length));
    // Isochores: segments of ~300 kb with their own GC content.
    while (static_cast<std::int64_t>(seq.size()) < length) {
        auto segment = std::max<std::int64_t>(20'000, static_cast<std::int64_t>(r.exponential(300'000)));
        segment = std::min<std::int64_t>(segment, length - static_cast<std::int64_t>(seq.size()));
        double gc = 0.35 + 0.20 * r.uniform();
        char prev = seq.empty() ? 'N' : seq.back();
        for (std::int64_t i = 0; i < segment; ++i) { prev = draw_base(r, gc, prev); seq.push_back(prev); }
    }
    // Interspersed repeats until ~20 % of the contig is covered.
    double total_weight = 0;
    for (const auto& f : families) total_weight += f.weight;
    while (out.repeat_bases < length / 5) {
        double u = r.uniform() * total_weight;
        std::size_t fi = 0;
        while (fi + 1 < families.size() && u >= families[fi].weight) u -= families[fi++].weight;
        const auto& fam = families[fi];
        std::string piece = fam.consensus;
        if (fam.truncate_5p && r.bernoulli(0.85))
            piece = piece.substr(static_cast<std::size_t>(r.uniform() * 0.9 * static_cast<double>(piece.size())));
        piece = diverged_copy(r, piece, 0.05 + 0.15 * r.uniform());
        if (r.bernoulli(0.5)) piece = reverse_complement(piece);
        overwrite(seq, r.range(0, length - 1), piece, out.repeat_bases);
    }
    // Microsatellites: one per ~5 kb, unit 1-6 bp, 12-60 bp long, slightly impure.
    for (std::int64_t k = 0, n = length / 5000; k < n; ++k) {
        auto unit = random_sequence(r, static_cast<std::size_t>(r.range(1, 6)), 0.4);
        auto total = static_cast<std::size_t>(r.range(12, 60));
        std::string piece;
        while (piece.size() < total) piece += unit;
        piece.resize(total);
        for (auto& b : piece)
            if (r.bernoulli(0.01)) b = bases[r.below(4)];
        overwrite(seq, r.range(0, length - 1), piece, out.microsatellite_bases);
    }
    // One assembly gap in the middle part of the contig.
    std::int64_t gap = std::min<std::int64_t>(10'000, length / 50);
    std::int64_t gap_bases = 0;
    if (gap > 0) overwrite(seq, r.range(length / 5, length * 4 / 5 - gap), std::string(static_cast<std::size_t>(gap), 'N'), gap_bases);
    return out;
}

}  // namespace

int genome::index_of(const std::string& name) const {
    auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

std::int64_t genome::usable_length() const {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < names.size(); ++i) total += end[i] - begin[i];
    return total;
}

char complement(char base) {
    switch (base) {
        case 'A': return 'T';
        case 'C': return 'G';
        case 'G': return 'C';
        case 'T': return 'A';
        case 'a': return 't';
        case 'c': return 'g';
        case 'g': return 'c';
        case 't': return 'a';
        default: return 'N';
    }
}

std::string reverse_complement(const std::string& s) {
    std::string out(s.rbegin(), s.rend());
    for (auto& b : out) b = complement(b);
    return out;
}

genome simulate_genome(const genome_options& options, std::uint64_t seed, genome_summary* summary) {
    if (options.contigs < 1) throw input_error("--contigs must be at least 1");
    if (options.contig_length < 100'000 || options.contig_length > 300'000'000)
        throw input_error("--contig-length must be between 100000 and 300000000 (a human chromosome 1 is 249 Mb)");
    if (static_cast<double>(options.contigs) * static_cast<double>(options.contig_length) > 4e9)
        throw input_error("--contigs x --contig-length must be at most 4 Gb (a human genome is 3.1 Gb)");
    auto families = make_families(seed);
    std::vector<contig_result> built(static_cast<std::size_t>(options.contigs));
    tbb::parallel_for(0, options.contigs, [&](int c) {
        built[static_cast<std::size_t>(c)] = build_contig(options.contig_length, families, seed, c);
    });
    genome g;
    genome_summary s;
    for (int c = 0; c < options.contigs; ++c) {
        auto& b = built[static_cast<std::size_t>(c)];
        g.names.push_back("chr" + std::to_string(c + 1));
        g.begin.push_back(0);
        g.end.push_back(options.contig_length);
        s.repeat_bases += b.repeat_bases;
        s.microsatellite_bases += b.microsatellite_bases;
        g.sequences.push_back(std::move(b.seq));
    }
    std::array<std::int64_t, 256> counts{};
    std::int64_t cpg = 0;
    for (const auto& seq : g.sequences)
        for (std::size_t i = 0; i < seq.size(); ++i) {
            ++counts[static_cast<unsigned char>(seq[i])];
            if (seq[i] == 'C' && i + 1 < seq.size() && seq[i + 1] == 'G') ++cpg;
        }
    double acgt = static_cast<double>(counts['A'] + counts['C'] + counts['G'] + counts['T']);
    s.n_bases = counts['N'];
    s.gc = static_cast<double>(counts['C'] + counts['G']) / acgt;
    s.cpg_observed_expected = static_cast<double>(cpg) * acgt / (static_cast<double>(counts['C']) * static_cast<double>(counts['G']));
    if (summary) *summary = s;
    return g;
}

genome load_reference(const reference_options& options) {
    io::fasta_reader fasta(options.fasta);
    std::string region_contig;
    std::int64_t region_begin = 0, region_end = -1;
    if (!options.region.empty()) {
        const std::string& r = options.region;
        auto colon = r.rfind(':');
        region_contig = r.substr(0, colon);
        if (colon != std::string::npos) {
            std::string range = r.substr(colon + 1);
            range.erase(std::remove(range.begin(), range.end(), ','), range.end());
            auto dash = range.find('-');
            try {
                std::size_t used = 0;
                region_begin = std::stoll(range.substr(0, dash), &used) - 1;
                if (used != dash && dash != std::string::npos) throw std::invalid_argument("");
                region_end = dash == std::string::npos ? -1 : std::stoll(range.substr(dash + 1), &used);
            } catch (const std::exception&) {
                throw input_error("--ref-region '" + r + "': expected CHR:BEGIN-END with 1-based positions");
            }
            if (region_begin < 0 || (region_end >= 0 && region_end <= region_begin))
                throw input_error("--ref-region '" + r + "': empty or negative range");
        }
        if (!fasta.has_contig(region_contig))
            throw input_error("--ref-region '" + r + "': contig '" + region_contig + "' is not in " + options.fasta.string());
    }
    std::vector<std::string> wanted = options.contigs;
    if (wanted.empty()) {
        if (!region_contig.empty()) wanted.push_back(region_contig);
        else
            for (int i = 0; i < fasta.contig_count(); ++i) wanted.push_back(fasta.contig_name(i));
    }
    genome g;
    for (const auto& name : wanted) {
        if (!fasta.has_contig(name))
            throw input_error("--ref-contigs: contig '" + name + "' is not in " + options.fasta.string());
        std::int64_t length = fasta.contig_length(name);
        std::int64_t begin = 0, end = length;
        if (name == region_contig) {
            begin = region_begin;
            end = region_end < 0 ? length : std::min(region_end, length);
            if (begin >= end) throw input_error("--ref-region '" + options.region + "' lies beyond the end of " + name);
        }
        std::string seq = fasta.fetch(name, 0, end);
        for (auto& b : seq) b = static_cast<char>(std::toupper(static_cast<unsigned char>(b)));
        for (auto& b : seq)
            if (b != 'A' && b != 'C' && b != 'G' && b != 'T') b = 'N';
        g.names.push_back(name);
        g.sequences.push_back(std::move(seq));
        g.begin.push_back(begin);
        g.end.push_back(end);
    }
    if (g.names.empty()) throw input_error(options.fasta.string() + ": no contigs selected");
    return g;
}

}  // namespace precis::sim
