// Model-level properties: genes, LD, ancestry differences, heritability and prevalence.
#include <gtest/gtest.h>

#include <cmath>

#include "precis/core/error.hpp"
#include "precis/sim/genes.hpp"
#include "precis/sim/phenotype.hpp"
#include "precis/sim/variants.hpp"

using namespace precis::sim;

namespace {

double r2(const cohort& c, std::size_t a, std::size_t b) {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    const auto H = 2 * static_cast<std::size_t>(c.samples);
    for (std::size_t h = 0; h < H; ++h) {
        double x = c.row(a)[h] != 0, y = c.row(b)[h] != 0;
        sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y;
    }
    double n = static_cast<double>(H);
    double cov = sab / n - sa / n * sb / n, va = saa / n - sa * sa / n / n, vb = sbb / n - sb * sb / n / n;
    return va > 0 && vb > 0 ? cov * cov / (va * vb) : 0.0;
}

double alt_freq(const cohort& c, std::size_t s, int pop = -1) {
    double alt = 0, n = 0;
    for (int i = 0; i < c.samples; ++i)
        if (pop < 0 || c.ancestry[static_cast<std::size_t>(i)] == pop) {
            alt += c.dosage(s, i);
            n += 2;
        }
    return alt / n;
}

struct small_world {
    genome g;
    std::vector<gene> genes;
    cohort c;
    small_world() {
        g = simulate_genome({2, 400'000}, 5);
        genes = simulate_genes(g, {12, 0.1}, 5);
        cohort_options co;
        co.samples = 1500;
        co.extra = 1;
        c = simulate_cohort(simulate_sites(g, {4000, 0.1, 0.015}, 5), co, 5);
    }
};

const small_world& world() {
    static small_world w;
    return w;
}

}  // namespace

TEST(SimModels, GeneCdsAreOrfsWithCanonicalSplicesOnBothStrands) {
    const auto& w = world();
    int plus = 0, minus = 0;
    for (const auto& ge : w.genes) {
        const auto& seq = w.g.sequences[static_cast<std::size_t>(ge.contig)];
        for (const auto& t : ge.transcripts) {
            for (std::size_t k = 0; k + 1 < t.exons.size(); ++k) {
                std::string donor = seq.substr(static_cast<std::size_t>(t.exons[k].end), 2);
                std::string acceptor = seq.substr(static_cast<std::size_t>(t.exons[k + 1].begin - 2), 2);
                EXPECT_EQ(donor, ge.strand == '+' ? "GT" : "CT") << t.id;
                EXPECT_EQ(acceptor, ge.strand == '+' ? "AG" : "AC") << t.id;
            }
            if (!t.coding()) continue;
            std::string cds = spliced_cds(w.g, ge, t);
            EXPECT_EQ(cds.size() % 3, 0u) << t.id;
            EXPECT_TRUE(is_valid_orf(cds)) << t.id << " " << translate(cds);
        }
        (ge.strand == '+' ? plus : minus) += ge.biotype == "protein_coding";
    }
    EXPECT_GT(plus, 0);
    EXPECT_GT(minus, 0);
}

TEST(SimModels, SitesMatchTheReferenceAndAreLeftAligned) {
    const auto& w = world();
    int indels = 0, multi = 0;
    for (const auto& s : w.c.sites) {
        const auto& seq = w.g.sequences[static_cast<std::size_t>(s.contig)];
        ASSERT_EQ(seq.substr(static_cast<std::size_t>(s.pos), s.ref.size()), s.ref);
        multi += s.alts.size() > 1;
        if (s.is_snv()) continue;
        ++indels;
        EXPECT_EQ(left_align(seq, s).pos, s.pos);
    }
    double n = static_cast<double>(w.c.sites.size());
    EXPECT_NEAR(indels / n, 0.10, 0.03);
    EXPECT_NEAR(multi / n, 0.015, 0.01);
}

TEST(SimModels, LeftAlignShiftsADeletionInARepeat) {
    std::string seq = "GGCACACACATT";
    variant_site del{0, 7, "ACA", {"A"}};  // deletes CA at 8-9 within the CA repeat
    auto v = left_align(seq, del);
    EXPECT_EQ(v.pos, 1);
    EXPECT_EQ(v.ref, "GCA");
    EXPECT_EQ(v.alts[0], "G");
}

TEST(SimModels, SpectrumIsDominatedByRareVariants) {
    const auto& w = world();
    int rare = 0;
    for (std::size_t s = 0; s < w.c.sites.size(); ++s) rare += std::min(alt_freq(w.c, s), 1 - alt_freq(w.c, s)) < 0.01;
    EXPECT_GT(rare, static_cast<int>(w.c.sites.size()) / 3);
}

TEST(SimModels, LinkageDisequilibriumIsHigherWithinBlocks) {
    const auto& w = world();
    std::vector<std::size_t> common;
    for (std::size_t s = 0; s < w.c.sites.size(); ++s)
        if (double f = alt_freq(w.c, s); f > 0.05 && f < 0.95) common.push_back(s);
    double near = 0, far = 0;
    int n_near = 0, n_far = 0;
    for (std::size_t i = 0; i + 1 < common.size(); ++i) {
        std::size_t a = common[i], b = common[i + 1];
        if (w.c.block[a] == w.c.block[b]) near += r2(w.c, a, b), ++n_near;
        std::size_t c = common[(i + common.size() / 2) % common.size()];
        if (w.c.block[a] != w.c.block[c]) far += r2(w.c, a, c), ++n_far;
    }
    ASSERT_GT(n_near, 20);
    ASSERT_GT(n_far, 20);
    EXPECT_GT(near / n_near, 0.1);
    EXPECT_GT(near / n_near, 4 * far / n_far);
}

TEST(SimModels, AncestriesDifferInFrequencyAndSize) {
    const auto& w = world();
    double fst_num = 0, fst_den = 0;
    for (std::size_t s = 0; s < w.c.sites.size(); ++s) {
        double p = alt_freq(w.c, s), p1 = alt_freq(w.c, s, 0), p2 = alt_freq(w.c, s, 1);
        if (p < 0.05 || p > 0.95) continue;
        fst_num += (p1 - p2) * (p1 - p2) / 4;
        fst_den += p * (1 - p);
    }
    EXPECT_GT(fst_num / fst_den, 0.03);
    EXPECT_LT(fst_num / fst_den, 0.3);
    int pop1 = 0;
    for (int i = 0; i < w.c.samples; ++i) pop1 += w.c.ancestry[static_cast<std::size_t>(i)] == 0;
    EXPECT_EQ(pop1, 1000);  // 2/3 of 1500
}

TEST(SimModels, HeritabilityAndPrevalenceNearTargets) {
    const auto& w = world();
    for (double h2 : {0.2, 0.6}) {
        auto ph = simulate_phenotypes(w.c, {50, h2, 0.15, 0.05}, 3);
        EXPECT_NEAR(ph.realised_heritability, h2, 0.06);
        EXPECT_NEAR(ph.realised_prevalence, 0.15, 0.03);
        EXPECT_EQ(ph.causal.size(), 50u);
        double cases_g = 0, controls_g = 0;
        int cases = 0;
        for (int i = 0; i < w.c.samples; ++i) {
            auto ui = static_cast<std::size_t>(i);
            (ph.disease[ui] ? cases_g : controls_g) += ph.genetic[ui];
            cases += ph.disease[ui];
        }
        EXPECT_GT(cases_g / cases, controls_g / (w.c.samples - cases));  // cases carry more risk
    }
    EXPECT_THROW(simulate_phenotypes(w.c, {50, 1.2, 0.1, 0.05}, 3), precis::input_error);
    EXPECT_THROW(simulate_phenotypes(w.c, {50, 0.5, 0.0, 0.05}, 3), precis::input_error);
}
