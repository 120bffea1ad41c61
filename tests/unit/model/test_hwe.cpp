// Hardy-Weinberg exact p: hand-computed values and an independent brute-force enumeration.
#include <gtest/gtest.h>

#include <cmath>

#include "precis/core/error.hpp"
#include "precis/model/qc.hpp"

namespace precis::model {

namespace {

// P(het count h | n genotypes, r copies of the rarer allele) from factorials (Wigginton et al. eq. 1).
double log_prob(std::int64_t h, std::int64_t n, std::int64_t r) {
    const std::int64_t rare_hom = (r - h) / 2, common_hom = n - h - rare_hom;
    return std::lgamma(n + 1.0) - std::lgamma(rare_hom + 1.0) - std::lgamma(common_hom + 1.0) - std::lgamma(h + 1.0) +
           h * std::log(2.0) + std::lgamma(r + 1.0) + std::lgamma(2.0 * n - r + 1) - std::lgamma(2.0 * n + 1);
}

double brute_force(std::int64_t het, std::int64_t hom_ref, std::int64_t hom_alt) {
    const std::int64_t n = het + hom_ref + hom_alt, r = het + 2 * std::min(hom_ref, hom_alt);
    const double observed = log_prob(het, n, r);
    double p = 0;
    for (std::int64_t h = r % 2; h <= r && h <= n; h += 2) {
        const double lp = log_prob(h, n, r);
        if (lp <= observed + 1e-9) p += std::exp(lp);
    }
    return std::min(1.0, p);
}

}  // namespace

TEST(hwe_exact_p, hand_computed_two_samples) {
    // n = 2, two copies of each allele: P(het = 0) = 1/3, P(het = 2) = 2/3.
    EXPECT_NEAR(hwe_exact_p(0, 1, 1), 1.0 / 3.0, 1e-15);
    EXPECT_NEAR(hwe_exact_p(2, 0, 0), 1.0, 1e-15);
}

TEST(hwe_exact_p, hand_computed_three_samples) {
    // n = 3, 2 ALT copies: het 2 (P = 12/15 = 0.8), het 0 with one hom ALT (P = 3/15 = 0.2).
    EXPECT_NEAR(hwe_exact_p(0, 2, 1), 0.2, 1e-15);
    EXPECT_NEAR(hwe_exact_p(2, 1, 0), 1.0, 1e-15);
}

TEST(hwe_exact_p, degenerate_counts_give_one) {
    EXPECT_EQ(hwe_exact_p(0, 0, 0), 1.0);
    EXPECT_EQ(hwe_exact_p(0, 100, 0), 1.0);
    EXPECT_EQ(hwe_exact_p(0, 0, 7), 1.0);
}

TEST(hwe_exact_p, matches_brute_force_enumeration) {
    for (std::int64_t het : {0, 1, 5, 17, 40, 100})
        for (std::int64_t hom_ref : {0, 3, 20, 150})
            for (std::int64_t hom_alt : {0, 1, 9, 60}) {
                const double want = brute_force(het, hom_ref, hom_alt), got = hwe_exact_p(het, hom_ref, hom_alt);
                EXPECT_NEAR(got, want, 1e-9 * std::max(want, 1e-300) + 1e-300)
                    << het << " " << hom_ref << " " << hom_alt;
            }
}

TEST(hwe_exact_p, excess_homozygosity_is_significant) {
    EXPECT_LT(hwe_exact_p(0, 500, 500), 1e-100);
    EXPECT_GT(hwe_exact_p(500, 250, 250), 0.5);
    EXPECT_THROW(hwe_exact_p(-1, 2, 2), runtime_failure);
}

}  // namespace precis::model
