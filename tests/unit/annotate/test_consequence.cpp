// Consequences and HGVS on a hand-built transcript, checked on the plus strand and on the mirrored
// (reverse-complemented) contig where the same transcript lies on the minus strand.
#include <gtest/gtest.h>

#include <algorithm>

#include "precis/annotate/consequence.hpp"

namespace precis::annotate {
namespace {

constexpr std::int64_t contig_length = 12000;

// Exons [1000,1100) [1300,1400) [1600,1800); CDS [1050,1660): c.1 = 1050, c.51 = 1300, c.151 = 1600.
struct world {
    std::string seq;
    transcript tx;
};

std::string cds_sequence() {
    static const char* codons[] = {"CGG", "GGA", "CTG", "AAA", "GAT", "TCT", "CCC", "ACC", "GCA",
                                   "TGG", "CAG", "TAC", "AAC", "GAG", "TTC", "ATC", "GTG", "CAC"};
    std::string cds = "ATG";
    for (int i = 0; i < 68; ++i) cds += codons[i % 18];
    return cds + "TAA";  // 70 codons, 210 bases
}

world plus_world() {
    world w;
    std::uint32_t state = 12345;
    for (std::int64_t i = 0; i < contig_length; ++i) {
        state = state * 1103515245u + 12345u;
        w.seq += "ACGT"[(state >> 16) & 3];
    }
    std::string cds = cds_sequence();
    w.seq.replace(1050, 50, cds.substr(0, 50));
    w.seq.replace(1300, 100, cds.substr(50, 100));
    w.seq.replace(1600, 60, cds.substr(150, 60));
    w.seq.replace(1100, 2, "GT");
    w.seq.replace(1298, 2, "AG");
    w.seq.replace(1400, 2, "GT");
    w.seq.replace(1598, 2, "AG");
    w.seq.replace(1660, 12, "CCCAGCCCAGCC");  // 3'UTR without an in-frame stop for a while
    w.tx.id = "T1";
    w.tx.gene_id = "G1";
    w.tx.gene_name = "GENE1";
    w.tx.protein_id = "P1";
    w.tx.biotype = "protein_coding";
    w.tx.contig = "chr1";
    w.tx.strand = '+';
    w.tx.exons = {{1000, 1100}, {1300, 1400}, {1600, 1800}};
    w.tx.cds_begin = 1050;
    w.tx.cds_end = 1660;
    return w;
}

world mirror(const world& p) {
    world m = p;
    m.seq = reverse_complement(p.seq);
    m.tx.strand = '-';
    m.tx.exons.clear();
    for (auto it = p.tx.exons.rbegin(); it != p.tx.exons.rend(); ++it) m.tx.exons.push_back({contig_length - it->end, contig_length - it->begin});
    m.tx.cds_begin = contig_length - p.tx.cds_end;
    m.tx.cds_end = contig_length - p.tx.cds_begin;
    return m;
}

// Genomic position (plus world) of CDS base c (1-based).
std::int64_t g_of_c(int c) { return c <= 50 ? 1049 + c : c <= 150 ? 1300 + (c - 51) : 1600 + (c - 151); }

struct outcome {
    std::string terms, hgvs_c, hgvs_p;
};

outcome run(const world& w, std::int64_t pos, const std::string& ref, const std::string& alt) {
    allele_change c = normalise(w.seq, pos, ref, alt);
    transcript_effect e = predict(w.tx, w.seq, c);
    outcome o;
    for (so_term t : e.terms) {
        if (!o.terms.empty()) o.terms += '&';
        o.terms += name(t);
    }
    o.hgvs_c = e.hgvs_c;
    o.hgvs_p = e.hgvs_p;
    return o;
}

// Runs a plus-strand change (ref given as bases of the plus world; empty ref = insertion before pos)
// on both strands and checks the outcome is the same.
outcome both(std::int64_t pos, std::string ref, std::string alt) {
    static const world p = plus_world();
    static const world m = mirror(p);
    if (ref == "?") {
        ref = p.seq.substr(static_cast<std::size_t>(pos), 1);
        if (alt == ref) alt = std::string(1, ref == "A" ? 'C' : 'A');
    }
    // VCF-style anchored alleles for indels: prepend the previous base.
    std::string r = ref, a = alt;
    std::int64_t at = pos;
    if (ref.empty() || alt.empty()) {
        at = pos - 1;
        r = p.seq.substr(static_cast<std::size_t>(at), 1) + ref;
        a = p.seq.substr(static_cast<std::size_t>(at), 1) + alt;
    }
    outcome plus = run(p, at, r, a);
    std::int64_t mpos = contig_length - (pos + static_cast<std::int64_t>(ref.size()));
    std::string mr = reverse_complement(ref), ma = reverse_complement(alt);
    std::int64_t mat = mpos;
    if (ref.empty() || alt.empty()) {
        mat = mpos - 1;
        mr = m.seq.substr(static_cast<std::size_t>(mat), 1) + mr;
        ma = m.seq.substr(static_cast<std::size_t>(mat), 1) + ma;
    }
    outcome minus = run(m, mat, mr, ma);
    EXPECT_EQ(plus.terms, minus.terms) << "pos " << pos;
    EXPECT_EQ(plus.hgvs_c, minus.hgvs_c) << "pos " << pos;
    EXPECT_EQ(plus.hgvs_p, minus.hgvs_p) << "pos " << pos;
    return plus;
}

TEST(consequence, missense_synonymous_stop_gained) {
    auto o = both(g_of_c(4), "C", "T");
    EXPECT_EQ(o.terms, "missense_variant");
    EXPECT_EQ(o.hgvs_c, "c.4C>T");
    EXPECT_EQ(o.hgvs_p, "p.Arg2Trp");
    o = both(g_of_c(6), "G", "A");
    EXPECT_EQ(o.terms, "synonymous_variant");
    EXPECT_EQ(o.hgvs_p, "p.Arg2=");
    o = both(g_of_c(7), "G", "T");
    EXPECT_EQ(o.terms, "stop_gained");
    EXPECT_EQ(o.hgvs_p, "p.Gly3Ter");
    EXPECT_EQ(impact_of(so_term::stop_gained), impact::high);
}

TEST(consequence, start_and_stop_codons) {
    auto o = both(g_of_c(2), "T", "C");
    EXPECT_EQ(o.terms, "start_lost");
    EXPECT_EQ(o.hgvs_p, "p.Met1?");
    o = both(g_of_c(208), "T", "C");
    EXPECT_EQ(o.terms, "stop_lost");
    EXPECT_EQ(o.hgvs_p.rfind("p.Ter70GlnextTer", 0), 0u) << o.hgvs_p;
    o = both(g_of_c(210), "A", "G");
    EXPECT_EQ(o.terms, "stop_retained_variant");
    EXPECT_EQ(o.hgvs_p, "p.Ter70=");
    // ATG CGG -> ATG G..: as given (left-aligned on the plus strand) it touches codon 1 and keeps Met.
    world p = plus_world();
    o = run(p, g_of_c(2), p.seq.substr(static_cast<std::size_t>(g_of_c(2)), 4), "T");
    EXPECT_EQ(o.terms, "inframe_deletion&start_retained_variant");
}

TEST(consequence, indels_and_hgvs) {
    auto o = both(g_of_c(10), "?", "");
    EXPECT_EQ(o.terms, "frameshift_variant");
    EXPECT_EQ(o.hgvs_c, "c.10del");
    EXPECT_EQ(o.hgvs_p, "p.Leu4Ter");  // CTG AAA -> TGA: the frame shift stops at once
    o = both(g_of_c(13), "A", "");     // one A of AAA: 3'-shifted to c.15
    EXPECT_EQ(o.terms, "frameshift_variant");
    EXPECT_EQ(o.hgvs_c, "c.15del");
    EXPECT_EQ(o.hgvs_p.rfind("p.Asp6IlefsTer", 0), 0u) << o.hgvs_p;
    o = both(g_of_c(13), "AAA", "");
    EXPECT_EQ(o.terms, "inframe_deletion");
    EXPECT_EQ(o.hgvs_c, "c.13_15del");
    EXPECT_EQ(o.hgvs_p, "p.Lys5del");
    o = both(g_of_c(16), "", "GCA");
    EXPECT_EQ(o.terms, "inframe_insertion");
    EXPECT_EQ(o.hgvs_c, "c.16_17insCAG");  // 3'-shifted past the G of GAT
    EXPECT_EQ(o.hgvs_p, "p.Lys5_Asp6insAla");
    o = both(g_of_c(19), "", "GAT");
    EXPECT_EQ(o.terms, "inframe_insertion");
    EXPECT_EQ(o.hgvs_c, "c.16_18dup");
    EXPECT_EQ(o.hgvs_p, "p.Asp6dup");
    o = both(g_of_c(4), "CG", "AA");
    EXPECT_EQ(o.terms, "missense_variant");
    EXPECT_EQ(o.hgvs_c, "c.4_5delinsAA");
    EXPECT_EQ(o.hgvs_p, "p.Arg2Lys");
    o = both(g_of_c(12), "", "C");  // CT|G -> CTCG: frameshift by insertion
    EXPECT_EQ(o.terms, "frameshift_variant");
    EXPECT_EQ(o.hgvs_c, "c.11_12insC");
}

TEST(consequence, splice_intron_utr_flanks) {
    auto o = both(1100, "G", "A");
    EXPECT_EQ(o.terms, "splice_donor_variant");
    EXPECT_EQ(o.hgvs_c, "c.50+1G>A");
    o = both(1299, "G", "C");
    EXPECT_EQ(o.terms, "splice_acceptor_variant");
    EXPECT_EQ(o.hgvs_c, "c.51-1G>C");
    o = both(1104, "?", "A");
    EXPECT_NE(o.terms.find("splice_region_variant"), std::string::npos) << o.terms;
    EXPECT_EQ(o.hgvs_c.substr(0, 6), "c.50+5");
    o = both(1200, "?", "C");
    EXPECT_EQ(o.terms, "intron_variant");
    EXPECT_EQ(o.hgvs_c.substr(0, 8), "c.51-100");
    o = both(1040, "?", "C");
    EXPECT_EQ(o.terms, "5_prime_UTR_variant");
    EXPECT_EQ(o.hgvs_c.substr(0, 5), "c.-10");
    o = both(1669, "?", "T");
    EXPECT_EQ(o.terms, "3_prime_UTR_variant");
    EXPECT_EQ(o.hgvs_c.substr(0, 5), "c.*10");
    o = both(500, "?", "C");
    EXPECT_EQ(o.terms, "upstream_gene_variant");
    o = both(2300, "?", "C");
    EXPECT_EQ(o.terms, "downstream_gene_variant");
    o = both(9000, "?", "C");
    EXPECT_EQ(o.terms, "");
    world p = plus_world();
    o = run(p, 990, p.seq.substr(990, 820), p.seq.substr(990, 1));
    EXPECT_EQ(o.terms, "transcript_ablation");
}

TEST(consequence, exonic_splice_region_noncoding_nmd_incomplete) {
    world p = plus_world();
    auto o = run(p, g_of_c(49), p.seq.substr(static_cast<std::size_t>(g_of_c(49)), 1), "A");
    EXPECT_NE(o.terms.find("splice_region_variant"), std::string::npos) << o.terms;
    world nc = p;
    nc.tx.cds_begin = nc.tx.cds_end = -1;
    nc.tx.biotype = "lncRNA";
    o = run(nc, 1320, p.seq.substr(1320, 1), p.seq[1320] == 'A' ? "C" : "A");
    EXPECT_EQ(o.terms, "non_coding_transcript_exon_variant");
    EXPECT_EQ(o.hgvs_c.substr(0, 5), "n.121");
    world nmd = p;
    nmd.tx.biotype = "nonsense_mediated_decay";
    o = run(nmd, g_of_c(4), "C", "T");
    EXPECT_EQ(o.terms, "missense_variant&NMD_transcript_variant");
    world inc = p;
    inc.tx.cds_end = 1662;  // 212 coding bases: a partial last codon
    o = run(inc, 1661, p.seq.substr(1661, 1), p.seq[1661] == 'A' ? "G" : "A");
    EXPECT_EQ(o.terms, "incomplete_terminal_codon_variant&coding_sequence_variant");
}

// A change given on the plus world `p` (VCF-style: pos, ref, alt as on the plus strand, same length or
// anchored) run on p and on its mirror; the outcomes must agree.
outcome on_both_strands(const world& p, std::int64_t pos, const std::string& ref, const std::string& alt) {
    const world m = mirror(p);
    outcome plus = run(p, pos, ref, alt);
    std::int64_t mpos = contig_length - (pos + static_cast<std::int64_t>(ref.size()));
    std::string mr = reverse_complement(ref), ma = reverse_complement(alt);
    if (ref.size() != alt.size()) {  // re-anchor on the base before the mirrored change
        mr = mr.substr(0, mr.size() - 1), ma = ma.substr(0, ma.size() - 1);
        --mpos;
        mr = m.seq.substr(static_cast<std::size_t>(mpos), 1) + mr;
        ma = m.seq.substr(static_cast<std::size_t>(mpos), 1) + ma;
    }
    outcome minus = run(m, mpos, mr, ma);
    EXPECT_EQ(plus.terms, minus.terms) << "pos " << pos;
    EXPECT_EQ(plus.hgvs_c, minus.hgvs_c) << "pos " << pos;
    EXPECT_EQ(plus.hgvs_p, minus.hgvs_p) << "pos " << pos;
    return plus;
}

TEST(consequence, remaining_terms_on_both_strands) {
    world p = plus_world();
    auto base = [&](std::int64_t g) { return p.seq.substr(static_cast<std::size_t>(g), 1); };
    auto other = [&](std::int64_t g) { return base(g) == "A" ? std::string("C") : std::string("A"); };
    EXPECT_EQ(on_both_strands(p, 990, p.seq.substr(990, 820), base(990)).terms, "transcript_ablation");
    world nc = p;
    nc.tx.cds_begin = nc.tx.cds_end = -1;
    nc.tx.biotype = "lncRNA";
    auto o = on_both_strands(nc, 1320, base(1320), other(1320));
    EXPECT_EQ(o.terms, "non_coding_transcript_exon_variant");
    EXPECT_EQ(o.hgvs_c, "n.121" + base(1320) + ">" + other(1320));
    o = on_both_strands(nc, 1200, base(1200), other(1200));
    EXPECT_EQ(o.terms, "intron_variant&non_coding_transcript_variant");
    world nmd = p;
    nmd.tx.biotype = "nonsense_mediated_decay";
    EXPECT_EQ(on_both_strands(nmd, g_of_c(4), "C", "T").terms, "missense_variant&NMD_transcript_variant");
    world inc = p;
    inc.tx.cds_end = 1662;
    EXPECT_EQ(on_both_strands(inc, 1661, base(1661), other(1661)).terms,
              "incomplete_terminal_codon_variant&coding_sequence_variant");
    // (start_retained_variant is checked on the plus strand only, in start_and_stop_codons: the deletion
    // that keeps Met there left-aligns into codon 1 on one strand and away from it on the other.)
    // Deletions across the exon 1 / intron 1 boundary: splice donor, and the protein effect of losing
    // the exonic bases (c.49-50: a frameshift; c.48-50: in frame), HGVSp p.? (splicing unpredictable).
    o = on_both_strands(p, g_of_c(48), p.seq.substr(static_cast<std::size_t>(g_of_c(48)), 6), base(g_of_c(48)));
    EXPECT_EQ(o.terms, "splice_donor_variant&frameshift_variant");
    EXPECT_EQ(o.hgvs_c, "c.49_50+3del");
    EXPECT_EQ(o.hgvs_p, "p.?");
    o = on_both_strands(p, g_of_c(47), p.seq.substr(static_cast<std::size_t>(g_of_c(47)), 7), base(g_of_c(47)));
    EXPECT_EQ(o.terms, "splice_donor_variant&inframe_deletion");
    EXPECT_EQ(o.hgvs_c, "c.48_50+3del");
    // Across intron 1 / exon 2 (acceptor side): c.51-2_52del takes two exonic bases.
    o = on_both_strands(p, 1297, p.seq.substr(1297, 5), base(1297));
    EXPECT_EQ(o.terms, "splice_acceptor_variant&frameshift_variant");
    EXPECT_EQ(o.hgvs_c, "c.51-2_52del");
}

TEST(consequence, severity_and_impact_tables) {
    EXPECT_EQ(name(so_term::five_prime_utr_variant), "5_prime_UTR_variant");
    EXPECT_EQ(name(impact_of(so_term::missense_variant)), "MODERATE");
    EXPECT_EQ(name(impact_of(so_term::splice_region_variant)), "LOW");
    EXPECT_EQ(name(impact_of(so_term::intron_variant)), "MODIFIER");
    EXPECT_LT(so_term::frameshift_variant, so_term::stop_lost);
    EXPECT_EQ(translate("ATGTAA"), "M*");
    EXPECT_EQ(three_letter('W'), "Trp");
}

// One plus-world change (pos, ref, alt; empty ref = insertion before pos) normalised on the plus world
// and on the mirrored world.
struct plus_change {
    std::int64_t pos;
    std::string ref, alt;
};

std::pair<allele_change, allele_change> on_both(const world& p, const world& m, const plus_change& c) {
    std::string r = c.ref, a = c.alt;
    std::int64_t at = c.pos;
    if (r.empty() || a.empty()) {
        at = c.pos - 1;
        r = p.seq.substr(static_cast<std::size_t>(at), 1) + c.ref;
        a = p.seq.substr(static_cast<std::size_t>(at), 1) + c.alt;
    }
    std::int64_t mpos = contig_length - (c.pos + static_cast<std::int64_t>(c.ref.size()));
    std::string mr = reverse_complement(c.ref), ma = reverse_complement(c.alt);
    if (mr.empty() || ma.empty()) {
        --mpos;
        mr = m.seq.substr(static_cast<std::size_t>(mpos), 1) + mr;
        ma = m.seq.substr(static_cast<std::size_t>(mpos), 1) + ma;
    }
    return {normalise(p.seq, at, r, a), normalise(m.seq, mpos, mr, ma)};
}

// predict_combined of plus-world changes on both strands; checks they agree.
outcome combined(const std::vector<plus_change>& changes) {
    static const world p = plus_world();
    static const world m = mirror(p);
    std::vector<allele_change> on_plus, on_minus;
    for (const auto& c : changes) {
        auto [a, b] = on_both(p, m, c);
        on_plus.push_back(a);
        on_minus.push_back(b);
    }
    auto show = [](const transcript_effect& e) {
        outcome o;
        for (so_term t : e.terms) {
            if (!o.terms.empty()) o.terms += '&';
            o.terms += name(t);
        }
        o.hgvs_c = e.hgvs_c;
        o.hgvs_p = e.hgvs_p;
        return o;
    };
    outcome plus = show(predict_combined(p.tx, p.seq, on_plus));
    outcome minus = show(predict_combined(m.tx, m.seq, on_minus));
    EXPECT_EQ(plus.terms, minus.terms);
    EXPECT_EQ(plus.hgvs_c, minus.hgvs_c);
    EXPECT_EQ(plus.hgvs_p, minus.hgvs_p);
    return plus;
}

TEST(haplotype, same_codon_snvs_combine) {
    // CGG (codon 2): c.4C>T alone is Arg2Trp, c.5G>A alone Arg2Gln; together TAG, a stop.
    EXPECT_EQ(both(g_of_c(4), "C", "T").terms, "missense_variant");
    EXPECT_EQ(both(g_of_c(5), "G", "A").terms, "missense_variant");
    auto o = combined({{g_of_c(4), "C", "T"}, {g_of_c(5), "G", "A"}});
    EXPECT_EQ(o.terms, "stop_gained");
    EXPECT_EQ(o.hgvs_c, "c.[4C>T;5G>A]");
    EXPECT_EQ(o.hgvs_p, "p.Arg2Ter");
    // Given in the other order, the same.
    EXPECT_EQ(combined({{g_of_c(5), "G", "A"}, {g_of_c(4), "C", "T"}}).hgvs_c, "c.[4C>T;5G>A]");
}

TEST(haplotype, codon_split_by_an_intron) {
    // Codon 17 is c.49-51 (ATC): c.49-50 end exon 1, c.51 starts exon 2.
    auto o = combined({{g_of_c(50), "T", "A"}, {g_of_c(51), "C", "G"}});
    EXPECT_EQ(o.terms, "missense_variant");
    EXPECT_EQ(o.hgvs_c, "c.[50T>A;51C>G]");
    EXPECT_EQ(o.hgvs_p, "p.Ile17Lys");
}

TEST(haplotype, frame_restoring_indels) {
    // c.10del alone: CTG AAA -> TGA, a stop; with c.12_13insC the frame is restored: CTG -> TGC.
    EXPECT_EQ(both(g_of_c(10), "C", "").terms, "frameshift_variant");
    auto o = combined({{g_of_c(10), "C", ""}, {g_of_c(13), "", "C"}});
    EXPECT_EQ(o.terms, "missense_variant");
    EXPECT_EQ(o.hgvs_c, "c.[10del;12_13insC]");
    EXPECT_EQ(o.hgvs_p, "p.Leu4Cys");
    // Not restored (two single-base deletions): still a frameshift.
    o = combined({{g_of_c(10), "C", ""}, {g_of_c(20), "A", ""}});
    EXPECT_EQ(o.terms, "frameshift_variant");
}

TEST(haplotype, needs_coding_non_overlapping_changes) {
    EXPECT_EQ(combined({{g_of_c(4), "C", "T"}}).terms, "");                    // one change
    const world pw = plus_world();
    const std::string intronic(1, pw.seq[1200]);
    EXPECT_EQ(combined({{g_of_c(4), "C", "T"}, {1200, intronic, intronic == "C" ? "G" : "C"}}).terms, "");  // one intronic
    EXPECT_EQ(combined({{g_of_c(4), "CG", "AA"}, {g_of_c(5), "G", "A"}}).terms, "");  // overlapping
}

TEST(normalise, trims_and_left_aligns) {
    std::string seq = "GGGCACACACATTT";
    allele_change c = normalise(seq, 7, "CAC", "C");  // deletes "AC" in a CA repeat
    EXPECT_EQ(c.pos, 3);
    EXPECT_EQ(c.ref, "CA");
    EXPECT_EQ(c.alt, "");
    c = normalise(seq, 0, "GGGC", "GGTC");
    EXPECT_EQ(c.pos, 2);
    EXPECT_EQ(c.ref, "G");
    EXPECT_EQ(c.alt, "T");
}

}  // namespace
}  // namespace precis::annotate
