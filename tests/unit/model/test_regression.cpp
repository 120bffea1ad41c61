// Regression kernels against independently computed values: R 4.x lm/glm (epsilon 1e-14) and a
// separate R implementation of Firth's penalised likelihood; the closed form of Firth on a 2x2 table.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "precis/model/regression.hpp"

namespace precis::model {

namespace {

// R: set.seed(7); n <- 40; age <- round(rnorm(n, 50, 10)); sex <- rbinom(n, 1, 0.5); g <- rbinom(n, 2, 0.3);
// yq <- round(0.5 * g + 0.02 * age + rnorm(n), 3); yb <- rbinom(n, 1, plogis(-3 + 0.05 * age + 0.6 * g))
// (the script with the Firth reference implementation is in docs/gwas.md).
const std::vector<double> age{ 73, 38, 43, 46, 40, 41, 57, 49, 52, 72, 54, 77, 73, 53, 69, 55, 41, 47, 50, 60, 58, 57, 63, 36, 63, 52, 58, 56, 40, 47, 41, 57, 51, 49, 46, 44, 60, 39, 49, 53 };
const std::vector<double> sex{ 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1 };
const std::vector<double> g{ 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 2, 0, 2, 0, 1, 0, 0, 0, 1, 0, 1, 2, 1 };
const std::vector<double> yq{  2.302999999999999936,  0.764000000000000012,  1.389000000000000012,  0.527000000000000024,  0.507000000000000006,  0.508000000000000007,  1.294000000000000039,  0.675000000000000044, -0.245999999999999996,  2.027000000000000135,  3.216000000000000192,  1.395000000000000018,  2.579000000000000181,  1.796000000000000041,  2.726999999999999869,  1.026000000000000023,  2.438000000000000167, -0.100000000000000006,  1.062000000000000055,  1.548999999999999932,  2.178999999999999826,  2.228000000000000203,  1.181000000000000050,  0.045999999999999999,  1.568999999999999950, -0.064000000000000001,  2.150999999999999801,  3.142999999999999794,  1.639999999999999902,  2.060000000000000053,  0.394000000000000017,  2.099000000000000199,  1.665000000000000036,  1.592000000000000082,  0.031000000000000000,  2.923999999999999932, -0.042000000000000003,  2.383000000000000007,  2.963000000000000078,  1.864000000000000101 };
const std::vector<double> yb{ 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1 };

regression_workspace design(const std::vector<double>& dosage) {
    regression_workspace ws(static_cast<std::int64_t>(age.size()), 4);
    for (std::size_t i = 0; i < age.size(); ++i) {
        ws.x(static_cast<Eigen::Index>(i), 0) = 1;
        ws.x(static_cast<Eigen::Index>(i), 1) = age[i];
        ws.x(static_cast<Eigen::Index>(i), 2) = sex[i];
        ws.x(static_cast<Eigen::Index>(i), 3) = dosage[i];
    }
    return ws;
}

const std::vector<double> all(age.size(), 1.0);

}  // namespace

TEST(regression, linear_matches_r_lm) {
    auto ws = design(g);
    auto t = linear_test(yq.data(), all.data(), static_cast<std::int64_t>(all.size()), ws);
    ASSERT_EQ(t.status, fit_status::ok);
    EXPECT_NEAR(t.beta, 0.836632198772, 1e-10);
    EXPECT_NEAR(t.se, 0.248282264916, 1e-10);
    EXPECT_NEAR(t.stat, 3.36968167684, 1e-9);
    EXPECT_NEAR(t.p, 0.00180658661634, 1e-12);
}

TEST(regression, logistic_matches_r_glm) {
    auto ws = design(g);
    auto t = logistic_test(yb.data(), all.data(), small_vector::Zero(4), ws);
    ASSERT_EQ(t.status, fit_status::ok);
    EXPECT_NEAR(t.beta, 0.347860593323, 1e-9);
    EXPECT_NEAR(t.se, 0.647462999655, 1e-9);
    EXPECT_NEAR(t.stat, 0.537267138831, 1e-9);
    EXPECT_NEAR(t.p, 0.591083100873, 1e-9);
}

TEST(regression, firth_matches_independent_r_implementation) {
    auto ws = design(g);
    auto t = firth_test(yb.data(), all.data(), small_vector::Zero(4), ws);
    ASSERT_EQ(t.status, fit_status::ok);
    EXPECT_NEAR(t.beta, 0.30129621683, 1e-8);
    EXPECT_NEAR(t.se, 0.633388981702, 1e-8);
}

TEST(regression, masked_samples_equal_dropped_samples) {
    // Masking the first 5 samples gives the fit of the remaining 35.
    std::vector<double> mask(all);
    for (int i = 0; i < 5; ++i) mask[static_cast<std::size_t>(i)] = 0;
    auto ws = design(g);
    auto masked = logistic_test(yb.data(), mask.data(), small_vector::Zero(4), ws);
    auto lin_masked = linear_test(yq.data(), mask.data(), 35, ws);
    regression_workspace small(35, 4);
    small.x = ws.x.bottomRows(35);
    std::vector<double> ones(35, 1.0);
    auto dropped = logistic_test(yb.data() + 5, ones.data(), small_vector::Zero(4), small);
    auto lin_dropped = linear_test(yq.data() + 5, ones.data(), 35, small);
    ASSERT_EQ(masked.status, fit_status::ok);
    EXPECT_NEAR(masked.beta, dropped.beta, 1e-10);
    EXPECT_NEAR(masked.se, dropped.se, 1e-10);
    EXPECT_NEAR(lin_masked.beta, lin_dropped.beta, 1e-12);
    EXPECT_NEAR(lin_masked.p, lin_dropped.p, 1e-12);
}

TEST(regression, separation_fails_logistic_and_firth_gives_the_two_by_two_closed_form) {
    // One binary predictor, complete separation: every carrier is a case. Cells: carriers 6 cases / 0
    // controls, non-carriers 10 cases / 24 controls. Firth's estimate adds 1/2 to every cell.
    const double a = 6, b = 0, c = 10, d = 24;
    std::vector<double> y, x;
    for (int i = 0; i < a; ++i) y.push_back(1), x.push_back(1);
    for (int i = 0; i < c; ++i) y.push_back(1), x.push_back(0);
    for (int i = 0; i < d; ++i) y.push_back(0), x.push_back(0);
    regression_workspace ws(static_cast<std::int64_t>(y.size()), 2);
    for (std::size_t i = 0; i < y.size(); ++i) ws.x(static_cast<Eigen::Index>(i), 0) = 1, ws.x(static_cast<Eigen::Index>(i), 1) = x[i];
    std::vector<double> mask(y.size(), 1.0);
    EXPECT_NE(logistic_test(y.data(), mask.data(), small_vector::Zero(2), ws).status, fit_status::ok);
    auto t = firth_test(y.data(), mask.data(), small_vector::Zero(2), ws);
    ASSERT_EQ(t.status, fit_status::ok);
    EXPECT_NEAR(t.beta, std::log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5))), 1e-8);
    // Wald variance from the information at the estimate: fitted risks (a+1/2)/(a+b+1), (c+1/2)/(c+d+1).
    const double m1 = (a + 0.5) / (a + b + 1), m0 = (c + 0.5) / (c + d + 1);
    EXPECT_NEAR(t.se, std::sqrt(1 / ((a + b) * m1 * (1 - m1)) + 1 / ((c + d) * m0 * (1 - m0))), 1e-8);
}

TEST(regression, singular_design_is_a_value) {
    auto ws = design(g);
    ws.x.col(3) = ws.x.col(1);  // the tested column duplicates age
    EXPECT_EQ(linear_test(yq.data(), all.data(), 40, ws).status, fit_status::singular);
    EXPECT_NE(logistic_test(yb.data(), all.data(), small_vector::Zero(4), ws).status, fit_status::ok);
}

TEST(regression, p_values_match_r) {
    EXPECT_NEAR(student_p(2.0, 10), 0.0733880347707, 1e-12);
    EXPECT_NEAR(normal_p(-5) / 5.73303143758e-07, 1.0, 1e-9);
    EXPECT_NEAR(normal_p(30) / 9.8134278543e-198, 1.0, 1e-9);
}

}  // namespace precis::model
