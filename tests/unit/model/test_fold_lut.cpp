// The per-fold standardisation table of precis train (cv.glmnet's per-fold standardisation of the
// mean-imputed matrix), checked against the fold's column written out and standardised by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "precis/model/detail/training_data.hpp"

namespace precis::model::detail {

namespace {

// One variant, two folds of 4 training samples each; counts of dosage 0, 1, 2 per fold (the 4th is missing).
training_data two_folds(std::array<std::int64_t, 3> fold0, std::array<std::int64_t, 3> fold1) {
    training_data t;
    t.d.n_variants = 1;
    t.fold_size = {4, 4};
    t.fold_counts = {fold0[0], fold0[1], fold0[2], fold1[0], fold1[1], fold1[2]};
    t.n_train = 8;
    const double observed = static_cast<double>(fold0[0] + fold0[1] + fold0[2] + fold1[0] + fold1[1] + fold1[2]);
    t.variant_mean = {static_cast<double>(fold0[1] + fold1[1] + 2 * (fold0[2] + fold1[2])) / observed};
    return t;
}

}  // namespace

TEST(fold_lut, standardises_the_imputed_column_on_the_fitting_fold) {
    auto t = two_folds({2, 1, 0}, {3, 0, 0});
    const double m = t.variant_mean[0];  // 1/6
    // Leaving out fold 1, the fit sees fold 0: dosages 0, 0, 1 and one missing call imputed to m.
    const double x[4] = {0, 0, 1, m};
    double mean = 0, var = 0;
    for (double v : x) mean += v / 4;
    for (double v : x) var += (v - mean) * (v - mean) / 4;
    const double sd = std::sqrt(var);
    auto lut = fold_lut(t, 1);
    ASSERT_EQ(lut.size(), 1u);
    EXPECT_NEAR(lut[0][0], (0 - mean) / sd, 1e-12);
    EXPECT_NEAR(lut[0][1], (1 - mean) / sd, 1e-12);
    EXPECT_NEAR(lut[0][2], (2 - mean) / sd, 1e-12);
    EXPECT_NEAR(lut[0][3], (m - mean) / sd, 1e-12);  // a missing call: the training mean, standardised
}

TEST(fold_lut, observed_calls_constant_in_the_fold_make_a_constant_column) {
    // Leaving out fold 0, the fit sees fold 1: dosages 0, 0, 0 and a missing call imputed to m = 1/6. The
    // imputed value alone would make a missingness indicator with sd 0.07, whose held-out carriers (dosage
    // 1 in fold 0) would get (1 - 0.04) / 0.07 = 13: the column carries no weight in this fold instead.
    auto t = two_folds({2, 1, 0}, {3, 0, 0});
    auto lut = fold_lut(t, 0);
    for (double v : lut[0]) EXPECT_EQ(v, 0.0);
}

}  // namespace precis::model::detail
