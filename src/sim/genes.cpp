#include "precis/sim/genes.hpp"

#include <algorithm>
#include <cstdio>

#include "precis/core/error.hpp"
#include "precis/sim/detail/placement.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim {

namespace {

int base_index(char b) {
    switch (b) {
        case 'T': return 0;
        case 'C': return 1;
        case 'A': return 2;
        case 'G': return 3;
        default: return -1;
    }
}

const char* sense_codons[] = {"TTT", "TTC", "TTA", "TTG", "TCT", "TCC", "TCA", "TCG", "TAT", "TAC", "TGT",
                              "TGC", "TGG", "CTT", "CTC", "CTA", "CTG", "CCT", "CCC", "CCA", "CCG", "CAT",
                              "CAC", "CAA", "CAG", "CGT", "CGC", "CGA", "CGG", "ATT", "ATC", "ATA", "ATG",
                              "ACT", "ACC", "ACA", "ACG", "AAT", "AAC", "AAA", "AAG", "AGT", "AGC", "AGA",
                              "AGG", "GTT", "GTC", "GTA", "GTG", "GCT", "GCC", "GCA", "GCG", "GAT", "GAC",
                              "GAA", "GAG", "GGT", "GGC", "GGA", "GGG"};

std::string random_bases(rng& r, std::size_t n) {
    static const char b[] = {'A', 'C', 'G', 'T'};
    std::string s(n, 'A');
    for (auto& c : s) c = b[r.below(4)];
    return s;
}

// Exon and intron lengths of a new protein-coding gene in transcript order.
struct layout {
    std::vector<std::int64_t> exon;
    std::vector<std::int64_t> intron;
    std::int64_t span() const {
        std::int64_t s = 0;
        for (auto e : exon) s += e;
        for (auto i : intron) s += i;
        return s;
    }
};

layout random_layout(rng& r, bool coding) {
    layout l;
    int n = coding ? static_cast<int>(r.range(2, 12)) : static_cast<int>(r.range(2, 4));
    for (int k = 0; k < n; ++k) {
        std::int64_t len = coding ? r.range(70, 250) : r.range(150, 800);
        if (coding && k == 0) len = r.range(150, 400);
        if (coding && k == n - 1) len = r.range(400, 1200);
        l.exon.push_back(len);
        if (k + 1 < n) l.intron.push_back(std::clamp<std::int64_t>(static_cast<std::int64_t>(r.exponential(1500)), 150, 8000));
    }
    return l;
}

}  // namespace

std::vector<interval> transcript::cds_segments() const {
    std::vector<interval> out;
    if (!coding()) return out;
    for (const auto& e : exons) {
        interval s{std::max(e.begin, cds_begin), std::min(e.end, cds_end)};
        if (s.begin < s.end) out.push_back(s);
    }
    return out;
}

std::string spliced_cds(const genome& g, const gene& ge, const transcript& t) {
    std::string out;
    const auto& seq = g.sequences[static_cast<std::size_t>(ge.contig)];
    for (const auto& s : t.cds_segments())
        out += seq.substr(static_cast<std::size_t>(s.begin), static_cast<std::size_t>(s.length()));
    return ge.strand == '-' ? reverse_complement(out) : out;
}

std::string translate(const std::string& cds) {
    static const char table[] = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
    std::string out;
    for (std::size_t i = 0; i + 3 <= cds.size(); i += 3) {
        int a = base_index(cds[i]), b = base_index(cds[i + 1]), c = base_index(cds[i + 2]);
        out.push_back(a < 0 || b < 0 || c < 0 ? 'X' : table[a * 16 + b * 4 + c]);
    }
    return out;
}

bool is_valid_orf(const std::string& cds) {
    if (cds.size() < 6 || cds.size() % 3 != 0 || cds.compare(0, 3, "ATG") != 0) return false;
    std::string protein = translate(cds);
    return protein.find_first_of("*X") == protein.size() - 1 && protein.back() == '*';
}

namespace detail {

void name_gene(gene& ge, int number) {
    char buf[64];
    ge.number = number;
    std::snprintf(buf, sizeof buf, "ENSSIMG%011d", number);
    ge.id = buf;
    ge.name = (ge.biotype == "lncRNA" ? "LINC-PRCS" : "PRCS") + std::to_string(number);
    ge.span = {ge.transcripts.front().exons.front().begin, ge.transcripts.front().exons.back().end};
    for (std::size_t k = 0; k < ge.transcripts.size(); ++k) {
        auto& t = ge.transcripts[k];
        std::snprintf(buf, sizeof buf, "ENSSIMT%011d", number * 100 + static_cast<int>(k) + 1);
        t.id = buf;
        t.name = ge.name + "-" + std::to_string(201 + k);
        t.canonical = k == 0;
        if (t.coding()) {
            std::snprintf(buf, sizeof buf, "ENSSIMP%011d", number * 100 + static_cast<int>(k) + 1);
            t.protein_id = buf;
        }
        ge.span.begin = std::min(ge.span.begin, t.exons.front().begin);
        ge.span.end = std::max(ge.span.end, t.exons.back().end);
    }
}

bool add_exon_skipping_isoform(const genome& g, gene& ge) {
    const transcript& t0 = ge.transcripts.front();
    if (!t0.coding() || t0.exons.size() < 4) return false;
    std::vector<std::size_t> candidates;
    for (std::size_t k = 1; k + 1 < t0.exons.size(); ++k) {
        const auto& e = t0.exons[k];
        if (e.begin > t0.cds_begin && e.end < t0.cds_end && e.length() % 3 == 0) candidates.push_back(k);
    }
    for (std::size_t k : candidates) {
        transcript t1 = t0;
        t1.canonical = false;
        t1.exons.erase(t1.exons.begin() + static_cast<std::ptrdiff_t>(k));
        if (!is_valid_orf(spliced_cds(g, ge, t1))) continue;
        ge.transcripts.push_back(std::move(t1));
        return true;
    }
    return false;
}

}  // namespace detail

std::vector<gene> simulate_genes(genome& g, const gene_options& options, std::uint64_t seed, gene_summary* summary) {
    if (options.genes < 0) throw input_error("--genes must not be negative");
    rng r(seed, "genes");
    gene_summary s;
    int n_lnc = options.genes > 0 ? std::max(1, static_cast<int>(options.genes * options.lncrna_fraction + 0.5)) : 0;
    std::vector<gene> genes;
    detail::placement place(g);
    for (int i = 0; i < options.genes + n_lnc; ++i) {
        bool coding = i < options.genes;
        for (int attempt = 0; attempt < 200; ++attempt) {
            ++s.attempts;
            layout l = random_layout(r, coding);
            bool isoform = coding && l.exon.size() >= 4 && r.bernoulli(0.35);
            if (isoform) {
                auto k = static_cast<std::size_t>(r.range(1, static_cast<std::int64_t>(l.exon.size()) - 2));
                l.exon[k] -= l.exon[k] % 3;
            }
            gene ge;
            ge.biotype = coding ? "protein_coding" : "lncRNA";
            ge.strand = r.bernoulli(0.5) ? '+' : '-';
            auto where = place.find(r, l.span());
            if (!where) {
                ++s.failed_attempts;
                continue;
            }
            ge.contig = where->first;
            std::int64_t start = where->second, span = l.span();
            auto& seq = g.sequences[static_cast<std::size_t>(ge.contig)];
            std::string window = seq.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(span));
            if (ge.strand == '-') window = reverse_complement(window);
            // The mature RNA in transcript orientation.
            std::int64_t exonic = 0;
            for (auto e : l.exon) exonic += e;
            std::string rna;
            std::int64_t utr5 = 0, cds_len = 0;
            if (coding) {
                utr5 = r.range(40, l.exon.front() - 20);
                std::int64_t utr3 = r.range(100, l.exon.back() - 60);
                cds_len = exonic - utr5 - utr3;
                cds_len -= cds_len % 3;
                std::string u5 = random_bases(r, static_cast<std::size_t>(utr5));
                for (std::size_t p = u5.find("ATG"); p != std::string::npos; p = u5.find("ATG")) u5[p + 2] = 'C';
                std::string cds = "ATG";
                while (static_cast<std::int64_t>(cds.size()) < cds_len - 3) cds += sense_codons[r.below(61)];
                double u = r.uniform();
                cds += u < 0.3 ? "TAA" : u < 0.5 ? "TAG" : "TGA";
                rna = u5 + cds + random_bases(r, static_cast<std::size_t>(exonic - utr5 - cds_len));
            }
            transcript t;
            t.biotype = ge.biotype;
            std::vector<std::int64_t> window_of_rna;  // window offset of each RNA base
            std::int64_t off = 0, at = 0;
            for (std::size_t k = 0; k < l.exon.size(); ++k) {
                for (std::int64_t j = 0; j < l.exon[k]; ++j, ++at) {
                    if (coding) window[static_cast<std::size_t>(off + j)] = rna[static_cast<std::size_t>(at)];
                    window_of_rna.push_back(off + j);
                }
                interval e = ge.strand == '+' ? interval{start + off, start + off + l.exon[k]}
                                              : interval{start + span - off - l.exon[k], start + span - off};
                t.exons.push_back(e);
                off += l.exon[k];
                if (k < l.intron.size()) {
                    window.replace(static_cast<std::size_t>(off), 2, "GT");
                    window.replace(static_cast<std::size_t>(off + l.intron[k] - 2), 2, "AG");
                    off += l.intron[k];
                }
            }
            std::sort(t.exons.begin(), t.exons.end(), [](const interval& a, const interval& b) { return a.begin < b.begin; });
            if (coding) {
                auto genomic = [&](std::int64_t rna_pos) {
                    std::int64_t w = window_of_rna[static_cast<std::size_t>(rna_pos)];
                    return ge.strand == '+' ? start + w : start + span - 1 - w;
                };
                std::int64_t a = genomic(utr5), b = genomic(utr5 + cds_len - 1);
                t.cds_begin = std::min(a, b);
                t.cds_end = std::max(a, b) + 1;
            }
            seq.replace(static_cast<std::size_t>(start), static_cast<std::size_t>(span),
                        ge.strand == '-' ? reverse_complement(window) : window);
            ge.transcripts.push_back(std::move(t));
            if (coding && !is_valid_orf(spliced_cds(g, ge, ge.transcripts.front())))
                throw runtime_failure("simulate: internal error: gene " + std::to_string(i + 1) + " has no valid ORF");
            if (isoform && detail::add_exon_skipping_isoform(g, ge)) ++s.two_isoforms;
            place.occupy(ge.contig, {start, start + span});
            (coding ? s.protein_coding : s.lncrna) += 1;
            genes.push_back(std::move(ge));
            break;
        }
    }
    std::sort(genes.begin(), genes.end(), [](const gene& a, const gene& b) {
        return a.contig != b.contig ? a.contig < b.contig : a.span.begin < b.span.begin;
    });
    for (std::size_t i = 0; i < genes.size(); ++i) detail::name_gene(genes[i], static_cast<int>(i) + 1);
    if (summary) *summary = s;
    return genes;
}

}  // namespace precis::sim
