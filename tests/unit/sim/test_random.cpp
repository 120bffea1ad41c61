#include <gtest/gtest.h>

#include <cmath>

#include "precis/sim/random.hpp"

using namespace precis::sim;

TEST(SimRandom, SameSeedSameStreamSameNumbers) {
    rng a(7, "x", 3), b(7, "x", 3), c(7, "x", 4), d(7, "y", 3);
    std::uint64_t va = a.next();
    EXPECT_EQ(va, b.next());
    EXPECT_NE(va, c.next());
    EXPECT_NE(va, d.next());
}

TEST(SimRandom, SamplersHaveTheirMoments) {
    rng r(1);
    const int n = 200000;
    double sn = 0, sn2 = 0, sg = 0, sb = 0, sp = 0;
    for (int i = 0; i < n; ++i) {
        double x = r.normal();
        sn += x;
        sn2 += x * x;
        sg += r.gamma(0.5);
        sb += r.beta(2, 6);
        sp += static_cast<double>(r.poisson(3.5));
    }
    EXPECT_NEAR(sn / n, 0.0, 0.01);
    EXPECT_NEAR(sn2 / n, 1.0, 0.02);
    EXPECT_NEAR(sg / n, 0.5, 0.01);
    EXPECT_NEAR(sb / n, 0.25, 0.005);
    EXPECT_NEAR(sp / n, 3.5, 0.03);
    for (int i = 0; i < 1000; ++i) EXPECT_LT(r.below(7), 7u);
}

TEST(SimRandom, NormalQuantileInvertsCdf) {
    for (double p : {1e-6, 0.01, 0.1, 0.5, 0.9, 0.999}) EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-9 + p * 1e-7);
    EXPECT_NEAR(normal_quantile(0.9), 1.2815515655, 1e-8);
}
