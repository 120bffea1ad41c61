#include "precis/model/mlp.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <random>

namespace precis::model {
namespace {

// Inputs are standardised with input_mean / input_sd before the hidden layer.
TEST(Mlp, PredictStandardisesInputs) {
    mlp net;
    net.inputs = {"a", "b"};
    net.input_mean = {10, 0}, net.input_sd = {2, 1};
    net.hidden = 1;
    net.w1 = {1, -1}, net.b1 = {0.5}, net.w2 = {2}, net.b2 = -1;
    const double a = (14.0 - 10) / 2 * 1 - 1 * 3 + 0.5;
    EXPECT_DOUBLE_EQ(net.predict({14, 3}), 2 * std::tanh(a) - 1);
    net.output_mean = 5, net.output_sd = 3;
    EXPECT_DOUBLE_EQ(net.predict({14, 3}), (2 * std::tanh(a) - 1) * 3 + 5);
}

struct data {
    std::vector<double> z, y;
};

data nonlinear(std::size_t n, bool binomial) {
    std::mt19937_64 rng(3);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform;
    data d;
    for (std::size_t i = 0; i < n; ++i) {
        double x1 = normal(rng), x2 = normal(rng);
        d.z.push_back(x1), d.z.push_back(x2);
        double f = std::sin(2 * x1) + 0.5 * x2;  // not linear in x1
        d.y.push_back(binomial ? (uniform(rng) < 1 / (1 + std::exp(-3 * f)) ? 1.0 : 0.0) : f);
    }
    return d;
}

mlp fit(const data& d, family f, int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    mlp net;
    net.inputs = {"x1", "x2"}, net.input_mean = {0, 0}, net.input_sd = {1, 1};
    mlp_options o;
    o.hidden = 8, o.epochs = 1500, o.learning_rate = 0.02, o.decay = 1e-4;
    fit_mlp(net, d.z, d.y, f, o);
    return net;
}

// The network learns a function a linear model cannot (sin), to a small error.
TEST(Mlp, FitsANonlinearFunction) {
    auto d = nonlinear(3000, false);
    auto net = fit(d, family::gaussian, 2);
    double mse = 0, var = 0, mean = 0;
    for (double v : d.y) mean += v / static_cast<double>(d.y.size());
    for (std::size_t i = 0; i < d.y.size(); ++i) {
        double r = net.predict({d.z[2 * i], d.z[2 * i + 1]}) - d.y[i];
        mse += r * r, var += (d.y[i] - mean) * (d.y[i] - mean);
    }
    EXPECT_LT(mse / var, 0.05);  // a linear fit leaves about 45 % of the variance of sin(2x) + x/2
}

// Chunked sums added in order: the same weights at any thread count.
TEST(Mlp, SameWeightsAtAnyThreadCount) {
    auto d = nonlinear(2500, true);
    auto one = fit(d, family::binomial, 1), two = fit(d, family::binomial, 2);
    EXPECT_EQ(one.w1, two.w1);
    EXPECT_EQ(one.w2, two.w2);
    EXPECT_EQ(one.b1, two.b1);
    EXPECT_EQ(one.b2, two.b2);
}

}  // namespace
}  // namespace precis::model
