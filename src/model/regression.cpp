#include "precis/model/regression.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <bit>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace precis::model {

namespace {

using small_llt = Eigen::LLT<small_matrix>;

/// Variance of the last coefficient: the last diagonal element of info^-1.
double last_variance(const small_llt& llt, int k) {
    small_vector e = small_vector::Zero(k);
    e(k - 1) = 1;
    return llt.solve(e)(k - 1);
}

constexpr int max_halvings = 40;

bool finite(const small_vector& v) { return v.allFinite(); }

/// Whether the last step was below the tolerance, relative to the size of the estimates.
bool converged(const small_vector& step, const small_vector& beta, double tolerance) {
    return step.cwiseAbs().maxCoeff() < tolerance * (1.0 + beta.cwiseAbs().maxCoeff());
}


/// mu = 1 / (1 + exp(-eta)) and w = mask mu (1 - mu) over n samples, eta in [-700, 700]. exp is computed inline (Cody-Waite
/// reduction by ln 2, degree-13 Taylor polynomial on |r| <= ln2/2, exponent bits set directly; within
/// 2 ulp of libm) in a loop of plain arithmetic that the compiler vectorises; target_clones builds an
/// AVX2 and a baseline version of this one source and picks one at load time from the CPU.
__attribute__((target_clones("avx2", "default"))) void logistic_kernel(const double* __restrict eta,
                                                                      const double* __restrict mask,
                                                                      double* __restrict mu, double* __restrict w,
                                                                      std::int64_t n) {
    constexpr double log2e = 1.4426950408889634, ln2_hi = 0.6931471803691238, ln2_lo = 1.9082149292705877e-10;
    constexpr double shifter = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
    for (std::int64_t i = 0; i < n; ++i) {
        const double x = -eta[i];  // clamped to [-700, 700] by the caller
        const double kd = x * log2e + shifter;
        const double k = kd - shifter;
        const double r = (x - k * ln2_hi) - k * ln2_lo;
        double p = 1.0 / 6227020800.0;
        p = p * r + 1.0 / 479001600.0;
        p = p * r + 1.0 / 39916800.0;
        p = p * r + 1.0 / 3628800.0;
        p = p * r + 1.0 / 362880.0;
        p = p * r + 1.0 / 40320.0;
        p = p * r + 1.0 / 5040.0;
        p = p * r + 1.0 / 720.0;
        p = p * r + 1.0 / 120.0;
        p = p * r + 1.0 / 24.0;
        p = p * r + 1.0 / 6.0;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        const std::uint64_t bits = (std::bit_cast<std::uint64_t>(kd) - std::bit_cast<std::uint64_t>(shifter) + 1023) << 52;
        const double e = p * std::bit_cast<double>(bits);
        const double m = 1.0 / (1.0 + e);
        mu[i] = m;
        w[i] = mask[i] * m * (1.0 - m);
    }
}

/// Fills mu and the IRLS weights w (0 outside the mask) at ws.eta; returns the log-likelihood when
/// `want_loglik` (else 0).
double logistic_state(const double* y, const double* mask, regression_workspace& ws, bool want_loglik) {
    const std::int64_t n = ws.x.rows();
    Eigen::Map<const Eigen::ArrayXd> ya(y, n), ma(mask, n);
    ws.eta = ws.eta.cwiseMax(-700.0).cwiseMin(700.0);  // exp stays finite; mu saturates long before
    logistic_kernel(ws.eta.data(), mask, ws.mu.data(), ws.w.data(), n);
    if (!want_loglik) return 0;
    // Probability of each observed outcome (1 outside the mask), floored at 1e-35 so that products of 8
    // stay normal; the log of each product of 8 costs one log instead of eight.
    ws.r.array() = (ma * (ya * ws.mu.array() + (1.0 - ya) * (1.0 - ws.mu.array())).max(1e-35) + (1.0 - ma));
    const std::int64_t groups = n / 8;
    double loglik = 0;
    for (std::int64_t i = groups * 8; i < n; ++i) loglik += std::log(ws.r[i]);
    double* r = ws.r.data();
    for (std::int64_t g = 0; g < groups; ++g) {
        const double* q = r + 8 * g;
        r[g] = ((q[0] * q[1]) * (q[2] * q[3])) * ((q[4] * q[5]) * (q[6] * q[7]));
    }
    return loglik + ws.r.head(groups).array().log().sum();
}

/// Lower triangle of X' diag(w) X (x column-major n x k, k <= max_predictors) into `lower` (k(k+1)/2
/// values, row by row). One pass over the samples, four at a time in four fixed lanes whose sums are added
/// in a fixed order: vectorised and deterministic. Compiled for AVX2 and baseline, chosen at load time.
__attribute__((target_clones("avx2", "default"))) void weighted_gram(const double* __restrict x,
                                                                    const double* __restrict w, std::int64_t n,
                                                                    int k, double* __restrict lower) {
    constexpr int lanes = 4;
    double acc[max_predictors * (max_predictors + 1) / 2 * lanes];
    std::fill(acc, acc + k * (k + 1) / 2 * lanes, 0.0);
    const std::int64_t body = n / lanes * lanes;
    for (std::int64_t i = 0; i < body; i += lanes) {
        int p = 0;
        for (int a = 0; a < k; ++a) {
            const double* xa = x + a * n + i;
            for (int b = 0; b <= a; ++b, ++p) {
                const double* xb = x + b * n + i;
                for (int l = 0; l < lanes; ++l) acc[p * lanes + l] += xa[l] * xb[l] * w[i + l];
            }
        }
    }
    for (std::int64_t i = body; i < n; ++i) {
        int p = 0;
        for (int a = 0; a < k; ++a)
            for (int b = 0; b <= a; ++b, ++p) acc[p * lanes] += x[a * n + i] * x[b * n + i] * w[i];
    }
    for (int p = 0; p < k * (k + 1) / 2; ++p)
        lower[p] = (acc[p * lanes] + acc[p * lanes + 1]) + (acc[p * lanes + 2] + acc[p * lanes + 3]);
}

/// X' W X (the Fisher information) with W = ws.w.
void information(regression_workspace& ws, small_matrix& info) {
    const int k = static_cast<int>(ws.x.cols());
    double lower[max_predictors * (max_predictors + 1) / 2];
    weighted_gram(ws.x.data(), ws.w.data(), ws.x.rows(), k, lower);
    info.resize(k, k);
    int p = 0;
    for (int a = 0; a < k; ++a)
        for (int b = 0; b <= a; ++b, ++p) info(a, b) = info(b, a) = lower[p];
}

coefficient_test wald(const small_llt& llt, const small_vector& beta, int iterations) {
    const int k = static_cast<int>(beta.size());
    coefficient_test t;
    t.iterations = iterations;
    const double var = last_variance(llt, k);
    if (!(var > 0) || !std::isfinite(var)) {
        t.status = fit_status::singular;
        return t;
    }
    t.status = fit_status::ok;
    t.beta = beta(k - 1);
    t.se = std::sqrt(var);
    t.stat = t.beta / t.se;
    t.p = normal_p(t.stat);
    return t;
}

}  // namespace

regression_workspace::regression_workspace(std::int64_t n, int k)
    : x(n, k), xw(n, k), eta(n), mu(n), w(n), r(n), h(n) {}

double normal_p(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

double student_p(double t, double df) {
    if (!std::isfinite(t)) return std::isnan(t) ? t : 0.0;
    boost::math::students_t dist(df);
    return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

coefficient_test linear_test(const double* y, const double* mask, std::int64_t obs, regression_workspace& ws) {
    const int k = static_cast<int>(ws.x.cols());
    const std::int64_t n = ws.x.rows();
    coefficient_test t;
    if (obs <= k) return t;
    Eigen::Map<const Eigen::VectorXd> yv(y, n), mv(mask, n);
    ws.xw = ws.x.array().colwise() * mv.array();
    small_matrix info;
    info.noalias() = ws.x.transpose() * ws.xw;
    small_vector xty;
    xty.noalias() = ws.xw.transpose() * yv;
    small_llt llt(info);
    if (llt.info() != Eigen::Success) return t;
    small_vector beta = llt.solve(xty);
    if (!finite(beta)) return t;
    ws.eta.noalias() = ws.x * beta;
    ws.r = (yv - ws.eta).cwiseProduct(mv);
    const double df = static_cast<double>(obs - k);
    const double sigma2 = ws.r.squaredNorm() / df;
    const double var = sigma2 * last_variance(llt, k);
    if (!(var > 0) || !std::isfinite(var)) return t;
    t.status = fit_status::ok;
    t.beta = beta(k - 1);
    t.se = std::sqrt(var);
    t.stat = t.beta / t.se;
    t.p = student_p(t.stat, df);
    return t;
}

coefficient_test logistic_test(const double* y, const double* mask, const small_vector& start,
                               regression_workspace& ws, const logistic_control& control, small_vector* fitted) {
    const int k = static_cast<int>(ws.x.cols());
    const std::int64_t n = ws.x.rows();
    Eigen::Map<const Eigen::VectorXd> yv(y, n), mv(mask, n);
    small_vector beta = start, previous = start, score, step = small_vector::Zero(k);
    small_matrix info;
    small_llt llt;
    coefficient_test fail;
    fail.status = fit_status::no_convergence;
    constexpr double max_step = 5.0;  // largest Newton step (log-odds)
    double previous_loglik = -std::numeric_limits<double>::infinity();
    int halvings = 0;
    // Newton's method for the logistic likelihood can overshoot far from the optimum (e.g. from the null
    // fit for a rare variant, where carriers' fitted risks saturate): steps are capped and halved while the
    // likelihood drops. Steps below 0.5 are in Newton's quadratic region, where the check (a log per
    // sample) is skipped.
    bool check = true;
    for (int newton = 0; newton <= control.max_iterations;) {
        ws.eta.noalias() = ws.x * beta;
        const double loglik = logistic_state(y, mask, ws, check);
        if (check && loglik < previous_loglik && halvings < max_halvings) {
            step *= 0.5;
            beta = previous + step;
            ++halvings;
            continue;
        }
        halvings = 0;
        if (!finite(beta) || std::fabs(beta(k - 1)) > control.max_abs_beta) return fail;
        information(ws, info);
        llt.compute(info);
        if (llt.info() != Eigen::Success) {
            fail.status = fit_status::singular;
            return fail;
        }
        if (newton > 0 && converged(step, beta, control.tolerance)) {
            if (fitted) *fitted = beta;
            return wald(llt, beta, newton);
        }
        ws.r = (yv - ws.mu).cwiseProduct(mv);
        score.noalias() = ws.x.transpose() * ws.r;
        step = llt.solve(score);
        if (!finite(step)) return fail;
        const double largest = step.cwiseAbs().maxCoeff();
        if (largest > max_step) step *= max_step / largest;
        previous = beta;
        previous_loglik = check ? loglik : -std::numeric_limits<double>::infinity();
        check = largest > 0.5;
        beta = previous + step;
        ++newton;
    }
    return fail;
}

coefficient_test firth_test(const double* y, const double* mask, const small_vector& start, regression_workspace& ws,
                            const logistic_control& control) {
    const int k = static_cast<int>(ws.x.cols());
    const std::int64_t n = ws.x.rows();
    constexpr double max_step = 5.0;  // largest Newton step (log-odds), as logistf
    Eigen::Map<const Eigen::VectorXd> yv(y, n), mv(mask, n);
    small_matrix info, l_inverse;
    small_llt llt;
    // Penalised log-likelihood l + 0.5 log|I| at `beta` (-inf when not `wanted`, NaN when I is singular);
    // leaves mu, w and the factor of I of that point in ws and llt.
    auto evaluate = [&](const small_vector& beta, bool wanted) {
        ws.eta.noalias() = ws.x * beta;
        const double loglik = logistic_state(y, mask, ws, wanted);
        information(ws, info);
        llt.compute(info);
        if (llt.info() != Eigen::Success) return std::numeric_limits<double>::quiet_NaN();
        if (!wanted) return -std::numeric_limits<double>::infinity();
        return loglik + llt.matrixL().nestedExpression().diagonal().array().log().sum();
    };
    // The Fisher-scoring step I^-1 U* at the last evaluated point, U* = X'(y - mu + h (1/2 - mu)), with h
    // the diagonal of the hat matrix W^1/2 X I^-1 X' W^1/2: h_i = w_i sum_a (sum_{b<=a} L^-1_ab x_ib)^2,
    // column by column (vectorised axpys over samples). Only for accepted points.
    auto direction = [&](small_vector& step) {
        l_inverse = llt.matrixL().solve(small_matrix::Identity(k, k));
        auto t = ws.xw.col(0);
        ws.h.setZero();
        for (int a = 0; a < k; ++a) {
            t = l_inverse(a, 0) * ws.x.col(0);
            for (int b = 1; b <= a; ++b) t += l_inverse(a, b) * ws.x.col(b);
            ws.h += t.cwiseAbs2();
        }
        ws.h = ws.h.cwiseProduct(ws.w);
        ws.r = (yv - ws.mu + ws.h.cwiseProduct((0.5 - ws.mu.array()).matrix())).cwiseProduct(mv);
        small_vector score;
        score.noalias() = ws.x.transpose() * ws.r;
        step = llt.solve(score);
    };
    coefficient_test fail;
    fail.status = fit_status::singular;
    small_vector beta = start, step, taken = small_vector::Zero(k), candidate;
    double loglik = evaluate(beta, true);
    if (std::isnan(loglik)) return fail;
    direction(step);
    fail.status = fit_status::no_convergence;
    for (int newton = 0; newton <= control.max_iterations; ++newton) {
        if (!finite(step)) return fail;
        if (converged(step, beta, control.firth_tolerance)) return wald(llt, beta, newton);
        // Fisher scoring on the penalised likelihood can overshoot (for rare variants by about twice the
        // distance to the optimum, so that full steps oscillate around it). When the step reverses the
        // previous one, go to the secant estimate of the optimum between the two points instead.
        const double back = step.norm(), forth = taken.norm();
        if (newton > 0 && step.dot(taken) < 0) step *= forth / (forth + back);
        const double largest = step.cwiseAbs().maxCoeff();
        if (largest > max_step) step *= max_step / largest;
        // Halve while the penalised likelihood drops; steps below 1e-3 are not checked (nor the likelihood
        // computed), as rounding in the likelihood (~1e-13 relative) would then hide the change (~|I| step^2).
        const bool check = step.cwiseAbs().maxCoeff() > 1e-3;
        double next = 0;
        for (int h = 0;; ++h) {
            candidate = beta + step;
            next = evaluate(candidate, check);
            if (std::isnan(next)) {
                fail.status = fit_status::singular;
                return fail;
            }
            if (!check || !(next < loglik) || h == max_halvings) break;
            step *= 0.5;
        }
        beta = candidate;
        taken = step;
        loglik = next;
        direction(step);
    }
    return fail;
}

}  // namespace precis::model
