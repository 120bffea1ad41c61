// Gene placement on an immutable reference: GT...AG exon structures whose spliced sequence holds an ORF.
#include <algorithm>

#include "precis/core/error.hpp"
#include "precis/sim/detail/placement.hpp"
#include "precis/sim/genes.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim {

namespace {

bool is_stop(const std::string& s, std::size_t i) {
    return s[i] == 'T' && ((s[i + 1] == 'A' && (s[i + 2] == 'A' || s[i + 2] == 'G')) || (s[i + 1] == 'G' && s[i + 2] == 'A'));
}

// Longest ATG...stop ORF of `rna` (all three frames): [begin, end) including the stop, or {0, 0}.
std::pair<std::size_t, std::size_t> longest_orf(const std::string& rna) {
    std::pair<std::size_t, std::size_t> best{0, 0};
    for (std::size_t frame = 0; frame < 3; ++frame) {
        std::size_t atg = std::string::npos;
        for (std::size_t i = frame; i + 3 <= rna.size(); i += 3) {
            if (atg == std::string::npos && rna.compare(i, 3, "ATG") == 0) atg = i;
            if (is_stop(rna, i)) {
                if (atg != std::string::npos && i + 3 - atg > best.second - best.first) best = {atg, i + 3};
                atg = std::string::npos;
            }
        }
    }
    return best;
}

// Exons (window offsets, transcript order) with GT donors and AG acceptors near random target lengths.
std::vector<interval> splice_structure(rng& r, const std::string& window, bool coding) {
    int n = coding ? static_cast<int>(r.range(2, 8)) : static_cast<int>(r.range(2, 4));
    std::vector<interval> exons;
    std::int64_t pos = 0, w = static_cast<std::int64_t>(window.size());
    for (int k = 0; k < n; ++k) {
        std::int64_t len = k == 0 ? r.range(150, 500) : (k == n - 1 ? r.range(300, 1200) : r.range(80, 300));
        std::int64_t end = pos + len;
        if (k + 1 == n) {
            if (end > w) return {};
            exons.push_back({pos, end});
            break;
        }
        while (end + 2 <= w && end < pos + len + 60 && window.compare(static_cast<std::size_t>(end), 2, "GT") != 0) ++end;
        if (end + 2 > w || window.compare(static_cast<std::size_t>(end), 2, "GT") != 0) return {};
        exons.push_back({pos, end});
        std::int64_t intron = std::clamp<std::int64_t>(static_cast<std::int64_t>(r.exponential(1500)), 100, 8000);
        std::int64_t next = end + intron;
        while (next <= w && next < end + intron + 100 && window.compare(static_cast<std::size_t>(next - 2), 2, "AG") != 0) ++next;
        if (next > w || window.compare(static_cast<std::size_t>(next - 2), 2, "AG") != 0) return {};
        pos = next;
    }
    return exons;
}

}  // namespace

std::vector<gene> place_genes_on_reference(const genome& g, const gene_options& options, std::uint64_t seed,
                                           gene_summary* summary) {
    if (options.genes < 0) throw input_error("--genes must not be negative");
    rng r(seed, "genes-on-reference");
    gene_summary s;
    int n_lnc = options.genes > 0 ? std::max(1, static_cast<int>(options.genes * options.lncrna_fraction + 0.5)) : 0;
    std::vector<gene> genes;
    detail::placement place(g);
    const std::int64_t window_length = 60'000;
    for (int i = 0; i < options.genes + n_lnc; ++i) {
        bool coding = i < options.genes;
        for (int attempt = 0; attempt < 3000; ++attempt) {
            ++s.attempts;
            ++s.failed_attempts;
            auto where = place.find(r, window_length);
            if (!where) continue;
            gene ge;
            ge.contig = where->first;
            ge.strand = r.bernoulli(0.5) ? '+' : '-';
            ge.biotype = coding ? "protein_coding" : "lncRNA";
            std::int64_t start = where->second;
            const auto& seq = g.sequences[static_cast<std::size_t>(ge.contig)];
            std::string window = seq.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(window_length));
            if (ge.strand == '-') window = reverse_complement(window);
            auto exons = splice_structure(r, window, coding);
            if (exons.empty()) continue;
            std::string rna;
            std::vector<std::int64_t> window_of_rna;
            for (const auto& e : exons)
                for (std::int64_t j = e.begin; j < e.end; ++j) {
                    rna.push_back(window[static_cast<std::size_t>(j)]);
                    window_of_rna.push_back(j);
                }
            auto genomic = [&](std::int64_t w) { return ge.strand == '+' ? start + w : start + window_length - 1 - w; };
            transcript t;
            t.biotype = ge.biotype;
            if (coding) {
                auto [orf_begin, orf_end] = longest_orf(rna);
                if (orf_end - orf_begin < 300) continue;
                // Keep the exons from the one holding the ATG to the one holding the stop.
                std::int64_t first_w = window_of_rna[orf_begin], last_w = window_of_rna[orf_end - 1];
                std::vector<interval> kept;
                for (const auto& e : exons)
                    if (e.end > first_w && e.begin <= last_w) kept.push_back(e);
                if (kept.size() < 2) continue;
                exons = kept;
                std::int64_t a = genomic(first_w), b = genomic(last_w);
                t.cds_begin = std::min(a, b);
                t.cds_end = std::max(a, b) + 1;
            }
            for (const auto& e : exons) {
                std::int64_t a = genomic(e.begin), b = genomic(e.end - 1);
                t.exons.push_back({std::min(a, b), std::max(a, b) + 1});
            }
            std::sort(t.exons.begin(), t.exons.end(), [](const interval& x, const interval& y) { return x.begin < y.begin; });
            ge.transcripts.push_back(std::move(t));
            if (coding && !is_valid_orf(spliced_cds(g, ge, ge.transcripts.front()))) continue;
            if (coding && r.bernoulli(0.35) && detail::add_exon_skipping_isoform(g, ge)) ++s.two_isoforms;
            place.occupy(ge.contig, {ge.transcripts.front().exons.front().begin, ge.transcripts.front().exons.back().end});
            --s.failed_attempts;
            (coding ? s.protein_coding : s.lncrna) += 1;
            genes.push_back(std::move(ge));
            break;
        }
    }
    std::sort(genes.begin(), genes.end(), [](const gene& a, const gene& b) {
        return a.contig != b.contig ? a.contig < b.contig : a.transcripts.front().exons.front().begin < b.transcripts.front().exons.front().begin;
    });
    for (std::size_t i = 0; i < genes.size(); ++i) detail::name_gene(genes[i], static_cast<int>(i) + 1);
    if (summary) *summary = s;
    return genes;
}

}  // namespace precis::sim
