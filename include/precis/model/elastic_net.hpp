#pragma once
/// Elastic-net regression (logistic or linear) along a lambda path, data-parallel over sample shards.
///
/// Every rank holds only its shard of the samples. Sums over samples (gradients, Hessian entries,
/// deviances) are accumulated as 64-bit fixed-point integers (each per-sample term truncated to a
/// multiple of 2^-32, see fixed_point_scale) and reduced with MPI_Allreduce on integers, which is exact and
/// independent of the order of addition. Everything else is replicated arithmetic on the reduced values,
/// so coefficients are bitwise identical at any rank count and any thread count.
#include <array>
#include <cstdint>
#include <vector>

#include "precis/mpi/communicator.hpp"

namespace precis::model {

/// Quantum of the per-sample terms of every reduced sum: terms are truncated to multiples of 1/scale.
inline constexpr double fixed_point_scale = 4294967296.0;  // 2^32

/// Response distribution.
enum class family { binomial, gaussian };

/// One rank's shard of a standardised design. The intercept is implicit; `dense` columns (covariates,
/// principal components, clinical features) are unpenalised; genotype columns are penalised.
struct design {
    std::int64_t n_local = 0;      ///< samples in this rank's shard
    std::int64_t n_variants = 0;   ///< genotype columns
    std::vector<std::int8_t> dosage;  ///< n_variants x n_local, variant-major; 0/1/2, -1 missing
    /// Standardised value of dosage 0, 1, 2 and of a missing call for each variant, indexed by
    /// lut_slot(dosage): (d - mean) / sd, a missing call imputed to the training mean. With the full
    /// training set's mean the missing entry is 0; a cross-validation fold centres on its own mean, where
    /// it is (training mean - fold mean) / sd, as in glmnet's per-fold standardisation of an imputed
    /// matrix. All four are 0 for a variant that is constant in the fitted samples.
    std::vector<std::array<double, 4>> lut;
    std::int64_t n_dense = 0;     ///< unpenalised columns
    std::vector<double> dense;    ///< n_dense x n_local, column-major (column c starts at c * n_local)
    std::vector<double> y;        ///< n_local responses (0/1 for binomial)
};

/// Index into design::lut of a dosage (0, 1, 2; -1 missing).
inline std::size_t lut_slot(std::int8_t dosage) { return dosage < 0 ? 3 : static_cast<std::size_t>(dosage); }

/// Solver settings. The objective (glmnet's) is
///   (1/n) * deviance/2 + lambda * sum_j (alpha |b_j| + (1 - alpha) / 2 b_j^2)
/// over the genotype coefficients b_j of the standardised design.
struct elastic_net_options {
    model::family family = model::family::binomial;
    double alpha = 0.5;              ///< 1 = lasso, 0 = ridge
    int nlambda = 50;
    double lambda_min_ratio = 0.01;  ///< smallest lambda / largest
    double tolerance = 1e-9;         ///< coordinate-descent and Newton convergence (weighted squared change)
    int max_newton = 100;            ///< proximal Newton steps per lambda
    int max_sweeps = 10000;          ///< coordinate-descent sweeps per Newton step
    /// Covariance updates (glmnet's "covariance" mode: the Gram matrix of the active columns from one
    /// reduction per Newton step, then local sweeps) when at most this many columns are active at the
    /// start of a Newton step; above it, residual ("naive") updates with one reduction per moving coordinate.
    std::int64_t covariance_max = 300;
};

/// Coefficients at one lambda on the standardised scale.
struct coefficients {
    double intercept = 0;
    std::vector<double> dense;     ///< n_dense
    std::vector<double> variants;  ///< n_variants (mostly zeros)
    bool converged = true;         ///< false when a Newton or coordinate-descent limit was reached
};

/// Communication of a fit: exact reductions (MPI_Allreduce calls at more than one rank), the int64 values
/// they carried, the wall seconds spent in them (including waits for the slowest rank) and in the whole fit.
struct reduction_stats {
    std::int64_t count = 0, values = 0;
    double seconds = 0, total_seconds = 0;
};

/// A fitted path: lambdas (decreasing) and the coefficients at each.
struct path_fit {
    std::vector<double> lambda;
    std::vector<coefficients> fits;
    reduction_stats reductions;
};

/// Fits the path on the local samples with `use[i]` != 0 (use.size() == d.n_local). With `lambdas`
/// empty, the sequence is computed: lambda_max (the smallest lambda with all genotype coefficients 0,
/// from the unpenalised fit of intercept and dense columns) down to lambda_min_ratio * lambda_max,
/// log-spaced, nlambda values. Collective over `comm`; uses oneTBB within the rank.
path_fit fit_path(const design& d, const std::vector<std::uint8_t>& use, const elastic_net_options& options,
                  const std::vector<double>& lambdas, const mpi::communicator& comm);

/// Linear predictor of every local sample (standardised design) for `c`. Local, thread-parallel.
std::vector<double> linear_predictor(const design& d, const coefficients& c);

/// Logistic function, numerically safe.
double logistic(double eta);

}  // namespace precis::model
