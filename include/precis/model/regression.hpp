#pragma once
/// Per-variant regression kernels of `precis gwas`: OLS with a t test, logistic regression by IRLS with a
/// Wald test, and Firth-penalised logistic regression. Failures (no convergence, singular design) are
/// returned as values so the caller can fall back (logistic -> Firth) or report an error code.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace precis::model {

/// Largest number of predictors (intercept + covariates + PCs + the genotype) of one regression.
inline constexpr int max_predictors = 32;

/// Small fixed-capacity matrices: sized per call, never allocated on the heap.
using small_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, max_predictors, max_predictors>;
using small_vector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, max_predictors, 1>;

/// Outcome of one fit.
enum class fit_status {
    ok,
    no_convergence,  ///< iteration limit reached or the estimates diverged
    singular,        ///< the (weighted) design is not of full rank
};

/// Estimate of the last predictor (the tested one) and its Wald statistic. `stat` is t (linear) or z
/// (logistic, Firth); `p` is two-sided. All NaN unless status == ok.
struct coefficient_test {
    fit_status status = fit_status::singular;
    double beta = 0, se = 0, stat = 0, p = 0;
    int iterations = 0;
};

/// Per-thread scratch memory of the kernels for `n` samples and `k` predictors; allocated once, reused
/// for every variant. Not shareable between threads.
struct regression_workspace {
    regression_workspace(std::int64_t n, int k);
    Eigen::MatrixXd x;      ///< n x k design; the caller fills it (last column: the tested predictor)
    Eigen::MatrixXd xw;     ///< n x k scratch (weighted design)
    Eigen::VectorXd eta, mu, w, r, h;  ///< n-vectors
};

/// OLS of y on ws.x over the samples with mask 1 (mask is 0/1 per sample, `obs` of them set); t test
/// of the last coefficient with obs - k degrees of freedom.
coefficient_test linear_test(const double* y, const double* mask, std::int64_t obs, regression_workspace& ws);

/// Iteration limits and tolerances of the logistic fits.
struct logistic_control {
    int max_iterations = 50;
    /// Convergence when max |step| < tolerance * (1 + max |beta|). Newton converges quadratically, so the
    /// estimate after a step of 1e-7 is within ~1e-14 of the optimum.
    double tolerance = 1e-7;
    /// The same for Firth's Fisher scoring, which converges only linearly near rare-variant optima.
    double firth_tolerance = 1e-9;
    double max_abs_beta = 30;  ///< |beta| beyond this counts as divergence (separation)
};

/// Logistic regression of y (0/1) on ws.x over mask-1 samples by Newton/IRLS from `start` (k values;
/// pass the null-model fit with 0 for the tested predictor). Wald z test of the last coefficient.
/// When `fitted` is given it receives all k estimates.
coefficient_test logistic_test(const double* y, const double* mask, const small_vector& start,
                               regression_workspace& ws, const logistic_control& control = {},
                               small_vector* fitted = nullptr);

/// Firth-penalised logistic regression (Jeffreys-prior penalty 0.5 log|I|) by Newton steps with step
/// halving on the penalised likelihood; Wald z test with the inverse information at the estimate, as
/// plink2 --glm firth reports.
coefficient_test firth_test(const double* y, const double* mask, const small_vector& start, regression_workspace& ws,
                            const logistic_control& control = {});

/// Two-sided p-value of a standard normal z, accurate far into the tail (erfc).
double normal_p(double z);
/// Two-sided p-value of Student's t with `df` degrees of freedom.
double student_p(double t, double df);

}  // namespace precis::model
