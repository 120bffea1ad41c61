#pragma once
/// A trained risk model and its HDF5 file, model.h5 (docs/model.md).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/model/metrics.hpp"
#include "precis/model/mlp.hpp"

namespace precis::model {

/// Value of the root attribute `format` of model.h5.
inline constexpr const char* model_format = "precis-model";
/// Value of `format_version` written by this version (the only one it reads).
inline constexpr const char* model_format_version = "1.0";

/// One weighted variant on the original dosage scale. `pos` is 1-based; the effect allele is the one
/// whose copies are counted (the cohort's ALT).
struct weighted_variant {
    std::string chrom;
    std::int64_t pos = 0;
    std::string ref, alt, effect_allele, other_allele;
    double weight = 0;
    double effect_frequency = -1;  ///< frequency of the effect allele in the training samples; -1 unknown
};

/// Everything `precis train` learns and `precis score` needs. Linear predictor of a sample:
///   intercept + sum_c covariate_weights[c] * covariate_c + sum_v weight_v * dosage_v
/// with a missing dosage replaced by 2 * effect_frequency. The polygenic score is the last sum alone.
struct risk_model {
    std::string family = "binomial";  ///< "binomial" or "gaussian"
    std::string model_type = "elastic-net";  ///< or "mlp": absolute risk from `network` (docs/model.md)
    std::string phenotype;
    std::vector<weighted_variant> variants;  ///< nonzero weights only, cohort order
    double intercept = 0;
    std::vector<std::string> covariate_names;  ///< cohort covariates, PCs as PC1.., clinical columns
    std::vector<double> covariate_weights, covariate_mean, covariate_sd;

    // Fitting: the lambda path and its cross-validation.
    double alpha = 0.5;
    std::string selection = "deviance";
    std::int64_t folds = 5, seed = 1, chosen_index = 0;
    double test_fraction = 0.2;
    std::vector<double> lambda, cv_deviance, cv_deviance_se, cv_auc;
    std::vector<std::int64_t> n_nonzero;
    std::int64_t n_train = 0, n_test = 0;
    bool converged = true;

    // Held-out test metrics (binomial), the recalibration used for absolute risk.
    auc_result test_auc;
    classification_metrics test;
    std::vector<std::string> test_samples;  ///< ids of the held-out test samples, cohort order
    double test_r2 = 0;  ///< gaussian: squared correlation of prediction and outcome on the test samples
    recalibration calibration;

    // Reference distribution of the polygenic score in the training samples and its regression on PCs.
    std::vector<double> reference_scores;  ///< sorted ascending
    double reference_mean = 0, reference_sd = 0;
    std::vector<double> pc_weights;  ///< intercept, then one per PC; empty without PCs
    double pc_residual_sd = 0;

    // model_type "mlp": the fusion network over the polygenic score and the covariates; the elastic-net
    // weights above still define the polygenic score, and test metrics are the network's.
    mlp network;
    double linear_test_auc = 0;  ///< mlp: the elastic net's own test AUC, for comparison

    // Provenance.
    std::string command, created, precis_version, cohort_path, cohort_created, cohort_command;
    std::int64_t cohort_bytes = 0;
};

/// Writes `m` to `path` atomically (temporary name, then rename). Serial: call on one rank.
void write_model(const risk_model& m, const std::filesystem::path& path);

/// Reads model.h5. Throws input_error naming the file when it is not a precis model or has another
/// format_version, or when a dataset is missing.
risk_model read_model(const std::filesystem::path& path);

/// Percentile (0..100, ties counted half) of `score` in the sorted `reference`.
double percentile(const std::vector<double>& reference, double score);

}  // namespace precis::model
