#include "precis/sim/clinvar.hpp"

#include <algorithm>
#include <tuple>

#include "precis/sim/random.hpp"

namespace precis::sim {

namespace {

const char* pick(rng& r, std::initializer_list<std::pair<double, const char*>> choices) {
    double u = r.uniform();
    for (const auto& [p, v] : choices)
        if ((u -= p) < 0) return v;
    return std::prev(choices.end())->second;
}

struct coding_map {
    std::string cds;                 // transcript orientation
    std::vector<std::int64_t> gpos;  // genomic position of each CDS base
};

coding_map map_cds(const genome& g, const gene& ge) {
    coding_map m;
    const auto& t = ge.transcripts.front();
    for (const auto& s : t.cds_segments())
        for (std::int64_t p = s.begin; p < s.end; ++p) m.gpos.push_back(p);
    if (ge.strand == '-') std::reverse(m.gpos.begin(), m.gpos.end());
    m.cds = spliced_cds(g, ge, t);
    return m;
}

char to_genomic(const gene& ge, char b) { return ge.strand == '-' ? complement(b) : b; }

variant_site snv(const genome& g, int contig, std::int64_t pos, char alt) {
    variant_site v;
    v.contig = contig;
    v.pos = pos;
    v.ref = std::string(1, g.sequences[static_cast<std::size_t>(contig)][static_cast<std::size_t>(pos)]);
    v.alts = {std::string(1, alt)};
    return v;
}

// A coding SNV at a random codon (not the first or last) whose amino-acid change satisfies `want`.
template <class Want>
bool coding_snv(rng& r, const genome& g, const gene& ge, const coding_map& m, Want want, variant_site& out) {
    std::size_t codons = m.cds.size() / 3;
    std::size_t first = 1 + r.below(codons - 2);
    for (std::size_t k = 0; k < codons - 2; ++k) {
        std::size_t codon = 1 + (first - 1 + k) % (codons - 2);
        std::string ref = m.cds.substr(codon * 3, 3);
        for (std::size_t j = 0; j < 3; ++j)
            for (char b : {'A', 'C', 'G', 'T'}) {
                if (b == ref[j]) continue;
                std::string alt = ref;
                alt[j] = b;
                if (!want(translate(ref)[0], translate(alt)[0])) continue;
                out = snv(g, ge.contig, m.gpos[codon * 3 + j], to_genomic(ge, b));
                return true;
            }
    }
    return false;
}

}  // namespace

std::vector<known_variant> simulate_clinvar(const genome& g, const std::vector<gene>& genes, const cohort& c,
                                            std::uint64_t seed) {
    rng r(seed, "clinvar");
    std::vector<known_variant> out;
    for (std::size_t gi = 0; gi < genes.size(); ++gi) {
        const gene& ge = genes[gi];
        if (ge.biotype != "protein_coding") continue;
        const auto& seq = g.sequences[static_cast<std::size_t>(ge.contig)];
        coding_map m = map_cds(g, ge);
        std::string disease = ge.name + "-related_disorder";
        auto add = [&](variant_site v, const char* sig, const char* mc, const char* dn) {
            known_variant k;
            k.site = left_align(seq, std::move(v));
            k.clnsig = sig;
            k.consequence = mc;
            k.disease = dn ? dn : disease;
            k.gene_info = ge.name + ":" + std::to_string(ge.number);
            k.gene = gi;
            k.variant_class = k.site.is_snv() ? "single_nucleotide_variant" : k.site.ref.size() > 1 ? "Deletion" : "Insertion";
            bool path = k.pathogenic();
            bool benign = std::string(sig).find("enign") != std::string::npos;
            k.revstat = path ? pick(r, {{0.05, "practice_guideline"}, {0.2, "reviewed_by_expert_panel"},
                                        {0.4, "criteria_provided,_multiple_submitters,_no_conflicts"},
                                        {0.3, "criteria_provided,_single_submitter"}, {0.05, "no_assertion_criteria_provided"}})
                      : benign ? pick(r, {{0.6, "criteria_provided,_multiple_submitters,_no_conflicts"},
                                          {0.4, "criteria_provided,_single_submitter"}})
                               : pick(r, {{0.7, "criteria_provided,_single_submitter"},
                                          {0.2, "criteria_provided,_multiple_submitters,_no_conflicts"},
                                          {0.1, "no_assertion_criteria_provided"}});
            out.push_back(std::move(k));
        };
        variant_site v;
        if (coding_snv(r, g, ge, m, [](char a, char b) { return a != '*' && b == '*'; }, v))
            add(v, "Pathogenic", "SO:0001587|nonsense", nullptr);
        {  // frameshift: a 1 bp deletion or a 1-2 bp insertion inside the CDS
            std::size_t at = 3 + r.below(m.cds.size() - 9);
            std::int64_t p = m.gpos[at];
            variant_site f;
            f.contig = ge.contig;
            if (r.bernoulli(0.5)) {
                f.pos = p - 1;
                f.ref = seq.substr(static_cast<std::size_t>(p - 1), 2);
                f.alts = {f.ref.substr(0, 1)};
            } else {
                f.pos = p;
                f.ref = seq.substr(static_cast<std::size_t>(p), 1);
                f.alts = {f.ref + std::string(1 + r.below(2), "ACGT"[r.below(4)])};
            }
            add(f, r.bernoulli(0.7) ? "Pathogenic" : "Likely_pathogenic", "SO:0001589|frameshift_variant", nullptr);
        }
        const auto& exons = ge.transcripts.front().exons;
        if (exons.size() >= 2 && r.bernoulli(0.8)) {  // canonical splice-site SNV
            std::size_t k = r.below(exons.size() - 1);
            bool left = r.bernoulli(0.5);  // intron start (genomic) or intron end
            std::int64_t p = left ? exons[k].end + static_cast<std::int64_t>(r.below(2)) : exons[k + 1].begin - 1 - static_cast<std::int64_t>(r.below(2));
            bool donor = left == (ge.strand == '+');
            char ref = seq[static_cast<std::size_t>(p)];
            char alt = "ACGT"[(std::string("ACGT").find(ref) + 1 + r.below(3)) % 4];
            add(snv(g, ge.contig, p, alt), r.bernoulli(0.6) ? "Pathogenic" : "Pathogenic/Likely_pathogenic",
                donor ? "SO:0001575|splice_donor_variant" : "SO:0001574|splice_acceptor_variant", nullptr);
        }
        for (int i = 0; i < 2; ++i)
            if (coding_snv(r, g, ge, m, [](char a, char b) { return a != b && a != '*' && b != '*'; }, v))
                add(v, "Uncertain_significance", "SO:0001583|missense_variant", nullptr);
        if (coding_snv(r, g, ge, m, [](char a, char b) { return a == b; }, v))
            add(v, r.bernoulli(0.5) ? "Benign" : "Likely_benign", "SO:0001819|synonymous_variant", "not_specified|not_provided");
        for (std::size_t k = 0; k + 1 < exons.size(); ++k) {  // one deep-intronic benign SNV
            if (exons[k + 1].begin - exons[k].end < 60) continue;
            std::int64_t p = r.range(exons[k].end + 20, exons[k + 1].begin - 21);
            char ref = seq[static_cast<std::size_t>(p)];
            add(snv(g, ge.contig, p, "ACGT"[(std::string("ACGT").find(ref) + 1 + r.below(3)) % 4]), "Benign",
                "SO:0001627|intron_variant", "not_specified");
            break;
        }
        // Common cohort SNVs in introns of the gene are known benign variants.
        int common = 0;
        for (std::size_t s = 0; s < c.sites.size() && common < 2; ++s) {
            const auto& site = c.sites[s];
            if (site.contig != ge.contig || site.pos < ge.span.begin || site.pos >= ge.span.end || !site.is_snv() ||
                site.alts.size() != 1)
                continue;
            bool exonic = std::any_of(exons.begin(), exons.end(), [&](const interval& e) { return site.pos >= e.begin - 10 && site.pos < e.end + 10; });
            if (exonic) continue;
            std::size_t alt = 0;
            for (std::size_t h = 0; h < 2 * static_cast<std::size_t>(c.samples); ++h) alt += c.row(s)[h] != 0;
            if (static_cast<double>(alt) < 0.05 * 2 * c.samples) continue;
            add(site, "Benign", "SO:0001627|intron_variant", "not_specified");
            ++common;
        }
    }
    std::sort(out.begin(), out.end(), [](const known_variant& a, const known_variant& b) {
        return std::tie(a.site.contig, a.site.pos, a.site.ref, a.site.alts) < std::tie(b.site.contig, b.site.pos, b.site.ref, b.site.alts);
    });
    out.erase(std::unique(out.begin(), out.end(), [](const known_variant& a, const known_variant& b) {
                  return a.site.contig == b.site.contig && a.site.pos == b.site.pos && a.site.ref == b.site.ref && a.site.alts == b.site.alts;
              }), out.end());
    std::int64_t id = 10000 + static_cast<std::int64_t>(r.below(5000));
    for (auto& k : out) {
        k.variation_id = id += 1 + static_cast<std::int64_t>(r.below(400));
        k.allele_id = k.variation_id + 15000 + static_cast<std::int64_t>(r.below(100));
        k.rs = 100000000 + static_cast<std::int64_t>(r.below(900000000));
    }
    return out;
}

}  // namespace precis::sim
