// AUC and its DeLong interval on cases small enough to check by hand, threshold metrics, calibration.
#include <gtest/gtest.h>

#include <cmath>

#include "precis/model/elastic_net.hpp"
#include "precis/model/metrics.hpp"

namespace precis::model {

TEST(auc_delong, perfect_random_and_hand_computed_cases) {
    EXPECT_DOUBLE_EQ(auc_delong({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}).auc, 1.0);
    EXPECT_DOUBLE_EQ(auc_delong({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}).auc, 0.0);
    EXPECT_DOUBLE_EQ(auc_delong({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}).auc, 0.5);  // ties count half
    // Cases {0.4, 0.8}, controls {0.1, 0.5, 0.9}: pairs won 1+0+0 and 1+1+0 of 6 -> 0.5.
    auto r = auc_delong({0.4, 0.8, 0.1, 0.5, 0.9}, {1, 1, 0, 0, 0});
    EXPECT_DOUBLE_EQ(r.auc, 0.5);
    // DeLong: V10 = {1/3, 2/3} (var 1/18), V01 = {1, 0.5, 0} (var 1/4): se^2 = (1/18)/2 + (1/4)/3.
    EXPECT_NEAR(r.se, std::sqrt(1.0 / 36 + 1.0 / 12), 1e-12);
    EXPECT_EQ(r.lower, 0.0);  // 0.5 -/+ 1.96 se lies outside [0, 1]: clipped
    EXPECT_EQ(r.upper, 1.0);
    EXPECT_TRUE(std::isnan(auc_delong({0.1, 0.2}, {1, 1}).auc));
}

TEST(auc_delong, matches_the_pairwise_definition) {
    std::vector<double> s, y;
    for (int i = 0; i < 60; ++i) s.push_back(std::fmod(i * 0.37, 1.0)), y.push_back((i * 7) % 5 < 2);
    double wins = 0, pairs = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        for (std::size_t j = 0; j < s.size(); ++j)
            if (y[i] == 1 && y[j] == 0) pairs += 1, wins += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0);
    auto r = auc_delong(s, y);
    EXPECT_NEAR(r.auc, wins / pairs, 1e-12);
    EXPECT_GT(r.se, 0);
    EXPECT_LT(r.lower, r.auc);
    EXPECT_GT(r.upper, r.auc);
}

TEST(classify, counts_and_deciles) {
    std::vector<double> p{0.9, 0.8, 0.3, 0.6, 0.1, 0.2, 0.7, 0.4, 0.05, 0.95};
    std::vector<double> y{1, 1, 0, 0, 0, 0, 1, 1, 0, 1};
    auto c = classify(p, y, 0.5);
    // Called: 0.9 0.8 0.6 0.7 0.95 -> tp 4, fp 1; not called: 0.3 0.1 0.2 0.4 0.05 -> fn 1, tn 4.
    EXPECT_DOUBLE_EQ(c.accuracy, 0.8);
    EXPECT_DOUBLE_EQ(c.sensitivity, 0.8);
    EXPECT_DOUBLE_EQ(c.specificity, 0.8);
    EXPECT_DOUBLE_EQ(c.f1, 0.8);
    ASSERT_EQ(c.bin_count.size(), 10u);
    EXPECT_DOUBLE_EQ(c.bin_predicted.front(), 0.05);
    EXPECT_DOUBLE_EQ(c.bin_observed.back(), 1.0);
    double brier = 0;
    for (std::size_t i = 0; i < p.size(); ++i) brier += (p[i] - y[i]) * (p[i] - y[i]);
    EXPECT_DOUBLE_EQ(c.brier, brier / 10);
}

TEST(recalibration, recovers_a_known_intercept_and_slope) {
    // Outcomes drawn (deterministically, by stratified fractions) from logit P = -0.5 + 2 * eta.
    std::vector<double> eta, y;
    for (int k = -20; k <= 20; ++k) {
        double e = k / 10.0, p = logistic(-0.5 + 2 * e);
        int cases = static_cast<int>(std::lround(p * 1000));
        for (int i = 0; i < 1000; ++i) eta.push_back(e), y.push_back(i < cases);
    }
    auto r = fit_recalibration(eta, y);
    EXPECT_TRUE(r.converged);
    EXPECT_NEAR(r.intercept, -0.5, 0.01);
    EXPECT_NEAR(r.slope, 2.0, 0.02);
    auto separated = fit_recalibration({-1, -0.5, 0.5, 1}, {0, 0, 1, 1});
    EXPECT_FALSE(separated.converged);  // perfect separation is a value, not an exception
}

}  // namespace precis::model
