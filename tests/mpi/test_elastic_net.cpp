// The elastic-net solver at 1, 2 and 4 ranks: closed-form solutions (one-predictor lasso, ridge), glmnet's
// answer on a fixed small data set, and coefficients of the sharded fit equal to the one-rank fit (1e-8).
#include <gtest/gtest.h>
#include <mpi.h>

#include <Eigen/Dense>
#include <cmath>

#include "precis/model/elastic_net.hpp"
#include "precis/mpi/partition.hpp"

namespace precis::model {

namespace {

// A global data set: dosages from a fixed hash, y from a logistic or linear model of the first variants.
struct global_data {
    std::int64_t n, p;
    std::vector<std::int8_t> g;  // p x n
    std::vector<double> cov;     // n (one covariate)
    std::vector<double> y;
};

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
double uniform(std::uint64_t k) { return static_cast<double>(mix(k) >> 11) / 9007199254740992.0; }

global_data make_data(std::int64_t n, std::int64_t p, bool binary, bool missing) {
    global_data d{n, p, {}, {}, {}};
    for (std::int64_t j = 0; j < p; ++j) {
        double f = 0.05 + 0.4 * uniform(static_cast<std::uint64_t>(j) * 7919);
        for (std::int64_t i = 0; i < n; ++i) {
            std::uint64_t k = static_cast<std::uint64_t>(j * n + i) * 2 + 1000;
            int dose = (uniform(k) < f) + (uniform(k + 1) < f);
            if (missing && uniform(k ^ 0x55) < 0.01) dose = -1;
            d.g.push_back(static_cast<std::int8_t>(dose));
        }
    }
    for (std::int64_t i = 0; i < n; ++i) {
        d.cov.push_back(uniform(static_cast<std::uint64_t>(i) + 77) * 4);
        double eta = -1 + 0.3 * d.cov.back();
        for (std::int64_t j = 0; j < std::min<std::int64_t>(p, 5); ++j)
            eta += (j % 2 ? -0.6 : 0.8) * std::max<int>(0, d.g[static_cast<std::size_t>(j * n + i)]);
        d.y.push_back(binary ? (uniform(static_cast<std::uint64_t>(i) + 999) < logistic(eta) ? 1.0 : 0.0)
                             : eta + uniform(static_cast<std::uint64_t>(i) + 5) - 0.5);
    }
    return d;
}

// The shard [range) of `data`, standardised over all samples as train_data does.
design shard_of(const global_data& data, mpi::index_range range, bool with_covariate) {
    design d;
    d.n_local = range.size();
    d.n_variants = data.p;
    for (std::int64_t j = 0; j < data.p; ++j) {
        double c[3] = {0, 0, 0};
        for (std::int64_t i = 0; i < data.n; ++i)
            if (auto x = data.g[static_cast<std::size_t>(j * data.n + i)]; x >= 0) c[x] += 1;
        double obs = c[0] + c[1] + c[2], mean = (c[1] + 2 * c[2]) / obs;
        double var = (c[0] * mean * mean + c[1] * (1 - mean) * (1 - mean) + c[2] * (2 - mean) * (2 - mean)) / static_cast<double>(data.n);
        double sd = std::sqrt(var);
        d.lut.push_back({-mean / sd, (1 - mean) / sd, (2 - mean) / sd});
        for (auto i = range.begin; i < range.end; ++i) d.dosage.push_back(data.g[static_cast<std::size_t>(j * data.n + i)]);
    }
    if (with_covariate) {
        double m = 0, v = 0;
        for (double x : data.cov) m += x;
        m /= static_cast<double>(data.n);
        for (double x : data.cov) v += (x - m) * (x - m);
        double sd = std::sqrt(v / static_cast<double>(data.n));
        d.n_dense = 1;
        for (auto i = range.begin; i < range.end; ++i) d.dense.push_back((data.cov[static_cast<std::size_t>(i)] - m) / sd);
    }
    for (auto i = range.begin; i < range.end; ++i) d.y.push_back(data.y[static_cast<std::size_t>(i)]);
    return d;
}

// Moves every column's centre `shift` standard deviations above its mean, missing calls staying at the
// mean: what a cross-validation fold's table does (fold mean != training mean), so the missing entry is nonzero.
void off_centre(design& d, double shift) {
    for (auto& l : d.lut)
        for (auto& v : l) v -= shift;
}

// The 997-sample, 300-variant binary problem (1 % missing calls, one covariate): this rank's shard, the whole
// data on one rank, and all-samples masks for both.
struct sharded_problem {
    global_data data;
    design shard, whole;
    std::vector<std::uint8_t> use, all;
};

sharded_problem binary_problem(const mpi::communicator& comm) {
    sharded_problem p{make_data(997, 300, true, true), {}, {}, {}, {}};
    p.shard = shard_of(p.data, mpi::block_range(p.data.n, comm.size(), comm.rank()), true);
    p.whole = shard_of(p.data, {0, p.data.n}, true);
    p.use.assign(static_cast<std::size_t>(p.shard.n_local), 1);
    p.all.assign(static_cast<std::size_t>(p.data.n), 1);
    return p;
}

}  // namespace

TEST(elastic_net, one_predictor_lasso_matches_soft_thresholding) {
    mpi::communicator comm(MPI_COMM_WORLD);
    auto data = make_data(301, 1, false, false);
    auto d = shard_of(data, mpi::block_range(data.n, comm.size(), comm.rank()), false);
    elastic_net_options o;
    o.family = family::gaussian;
    o.alpha = 1;
    o.tolerance = 1e-16;
    o.nlambda = 8;
    auto fit = fit_path(d, std::vector<std::uint8_t>(static_cast<std::size_t>(d.n_local), 1), o, {}, comm);
    // Closed form: b = S(x'(y - ybar)/n, lambda) for a standardised x.
    auto full = shard_of(data, {0, data.n}, false);
    double ybar = 0, xy = 0;
    for (double v : data.y) ybar += v;
    ybar /= static_cast<double>(data.n);
    for (std::int64_t i = 0; i < data.n; ++i) xy += full.lut[0][static_cast<std::size_t>(full.dosage[static_cast<std::size_t>(i)])] * (data.y[static_cast<std::size_t>(i)] - ybar);
    xy /= static_cast<double>(data.n);
    EXPECT_NEAR(fit.lambda.front(), std::abs(xy), 1e-9);
    for (std::size_t l = 0; l < fit.lambda.size(); ++l) {
        double expected = std::abs(xy) > fit.lambda[l] ? xy - std::copysign(fit.lambda[l], xy) : 0.0;
        EXPECT_NEAR(fit.fits[l].variants[0], expected, 1e-7) << "lambda " << fit.lambda[l];
        EXPECT_NEAR(fit.fits[l].intercept, ybar, 1e-7);
    }
    EXPECT_NE(fit.fits.back().variants[0], 0.0);
}

TEST(elastic_net, ridge_matches_the_normal_equations) {
    mpi::communicator comm(MPI_COMM_WORLD);
    auto data = make_data(400, 6, false, false);
    auto d = shard_of(data, mpi::block_range(data.n, comm.size(), comm.rank()), false);
    elastic_net_options o;
    o.family = family::gaussian;
    o.alpha = 0;
    o.tolerance = 1e-20;
    const double lambda = 0.05;
    auto fit = fit_path(d, std::vector<std::uint8_t>(static_cast<std::size_t>(d.n_local), 1), o, {lambda}, comm);
    auto full = shard_of(data, {0, data.n}, false);
    Eigen::MatrixXd X(data.n, data.p);
    Eigen::VectorXd y(data.n);
    for (std::int64_t i = 0; i < data.n; ++i) {
        y(i) = data.y[static_cast<std::size_t>(i)];
        for (std::int64_t j = 0; j < data.p; ++j)
            X(i, j) = full.lut[static_cast<std::size_t>(j)][static_cast<std::size_t>(full.dosage[static_cast<std::size_t>(j * data.n + i)])];
    }
    Eigen::VectorXd yc = y.array() - y.mean();
    const double n = static_cast<double>(data.n);
    Eigen::MatrixXd A = X.transpose() * X / n + lambda * Eigen::MatrixXd::Identity(data.p, data.p);
    Eigen::VectorXd b = A.ldlt().solve(X.transpose() * yc / n);
    for (std::int64_t j = 0; j < data.p; ++j) EXPECT_NEAR(fit.fits[0].variants[static_cast<std::size_t>(j)], b(j), 1e-7);
}

// Expected values computed once with R 4.2 / glmnet 4.1 on the same data (written out by make_data(200, 5,
// true, false) with the covariate): glmnet(cbind(cov, G), y, family = "binomial", alpha = 0.5,
// lambda = c(0.05, 0.01), penalty.factor = c(0, rep(1, 5)), thresh = 1e-14); coefficients on the
// standardised scale are coef * sd (1/n variance). glmnet rescales penalty.factor to sum to the number of
// columns (6/5 here), so its lambdas 0.05 and 0.01 are 0.06 and 0.012 in our parameterisation.
TEST(elastic_net, logistic_agrees_with_glmnet) {
    mpi::communicator comm(MPI_COMM_WORLD);
    auto data = make_data(200, 5, true, false);
    auto d = shard_of(data, mpi::block_range(data.n, comm.size(), comm.rank()), true);
    elastic_net_options o;
    o.alpha = 0.5;
    o.tolerance = 1e-16;
    auto fit = fit_path(d, std::vector<std::uint8_t>(static_cast<std::size_t>(d.n_local), 1), o, {0.06, 0.012}, comm);
    ASSERT_EQ(fit.fits.size(), 2u);
    const double expected[2][5] = {{0.2183853023, -0.0868200805, 0.2858696068, -0.2318356460, 0.0298007455},
                                   {0.3900482009, -0.2359915704, 0.4854252221, -0.4171615521, 0.1342109243}};
    for (int l = 0; l < 2; ++l)
        for (int j = 0; j < 5; ++j) EXPECT_NEAR(fit.fits[static_cast<std::size_t>(l)].variants[static_cast<std::size_t>(j)], expected[l][j], 2e-5) << l << " " << j;
}

TEST(elastic_net, sharded_fit_equals_the_one_rank_fit) {
    mpi::communicator comm(MPI_COMM_WORLD), self(MPI_COMM_SELF);
    auto [data, d, whole, use, all] = binary_problem(comm);
    elastic_net_options o;
    o.nlambda = 12;
    auto sharded = fit_path(d, use, o, {}, comm);
    auto serial = fit_path(whole, all, o, {}, self);
    ASSERT_EQ(sharded.lambda.size(), serial.lambda.size());
    std::int64_t nonzero = 0;
    for (std::size_t l = 0; l < serial.lambda.size(); ++l) {
        EXPECT_NEAR(sharded.lambda[l], serial.lambda[l], 1e-12);
        EXPECT_NEAR(sharded.fits[l].intercept, serial.fits[l].intercept, 1e-8);
        EXPECT_NEAR(sharded.fits[l].dense[0], serial.fits[l].dense[0], 1e-8);
        for (std::size_t j = 0; j < serial.fits[l].variants.size(); ++j) {
            EXPECT_NEAR(sharded.fits[l].variants[j], serial.fits[l].variants[j], 1e-8);
            nonzero += serial.fits[l].variants[j] != 0;
        }
    }
    EXPECT_GT(nonzero, 50);  // the comparison covers a real path, not zeros
    // The fixed-point reductions make the results bitwise equal, not merely close.
    EXPECT_EQ(sharded.fits.back().variants, serial.fits.back().variants);
}

// Residual ("naive") updates, the path's tail in covariance mode, and covariance updates throughout all
// solve the same problems: the same coefficients up to the convergence tolerance, also when sharded.
TEST(elastic_net, covariance_and_naive_updates_agree) {
    mpi::communicator comm(MPI_COMM_WORLD), self(MPI_COMM_SELF);
    auto [data, d, whole, use, all] = binary_problem(comm);
    elastic_net_options o;
    o.nlambda = 12;
    o.tolerance = 1e-13;
    auto covariance = fit_path(d, use, o, {}, comm);
    o.covariance_max = 0;  // residual updates: one reduction per moving coordinate, so serial here
    auto naive = fit_path(whole, all, o, {}, self);
    o.covariance_max = 20;  // switches to residual updates along the path
    auto mixed = fit_path(whole, all, o, {}, self);
    for (std::size_t l = 0; l < naive.lambda.size(); ++l) {
        EXPECT_NEAR(covariance.fits[l].intercept, naive.fits[l].intercept, 1e-6);
        EXPECT_NEAR(mixed.fits[l].intercept, naive.fits[l].intercept, 1e-6);
        for (std::size_t j = 0; j < naive.fits[l].variants.size(); ++j) {
            EXPECT_NEAR(covariance.fits[l].variants[j], naive.fits[l].variants[j], 1e-6) << l << " " << j;
            EXPECT_NEAR(mixed.fits[l].variants[j], naive.fits[l].variants[j], 1e-6) << l << " " << j;
        }
    }
}

// A constant shift of a column only moves the unpenalised intercept. With missing calls (which carry their
// own table entry) every solver mode must reproduce the centred fit's coefficients, to 1e-5: off-centre
// columns converge more slowly (3e-6 here). Missing calls left at 0 after the shift would differ by 0.02.
TEST(elastic_net, a_shifted_column_moves_only_the_intercept) {
    mpi::communicator comm(MPI_COMM_WORLD), self(MPI_COMM_SELF);
    auto [data, d, whole, use, all] = binary_problem(comm);
    elastic_net_options o;
    o.nlambda = 12;
    o.tolerance = 1e-13;
    auto centred = fit_path(d, use, o, {}, comm);
    off_centre(d, 0.3);
    off_centre(whole, 0.3);
    auto covariance = fit_path(d, use, o, centred.lambda, comm);
    o.covariance_max = 0;
    auto naive = fit_path(whole, all, o, centred.lambda, self);
    std::int64_t nonzero = 0;
    for (std::size_t l = 0; l < centred.lambda.size(); ++l)
        for (std::size_t j = 0; j < centred.fits[l].variants.size(); ++j) {
            EXPECT_NEAR(covariance.fits[l].variants[j], centred.fits[l].variants[j], 1e-5) << l << " " << j;
            EXPECT_NEAR(naive.fits[l].variants[j], centred.fits[l].variants[j], 1e-5) << l << " " << j;
            nonzero += centred.fits[l].variants[j] != 0;
        }
    EXPECT_GT(nonzero, 50);
}

}  // namespace precis::model
