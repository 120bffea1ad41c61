#pragma once
/// precis train: an elastic-net risk model over a cohort, with cross-validation and held-out metrics.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/core/log.hpp"
#include "precis/model/elastic_net.hpp"
#include "precis/model/mlp.hpp"
#include "precis/model/risk_model.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::model {

/// Options of one training run (docs/train.md).
struct train_options {
    std::filesystem::path cohort;       ///< cohort.h5 (QC masks in /qc are applied)
    std::string phenotype;              ///< /phenotypes/NAME; 0/1 (or 1/2) is binomial, otherwise gaussian
    std::vector<std::string> covariates;  ///< /covariates/NAME, unpenalised
    int pcs = 0;                        ///< first N columns of /pca/scores as unpenalised covariates
    std::filesystem::path clinical;     ///< optional TSV: sample id column, then numeric unpenalised features
    bool genomic = true;                ///< include the genotypes of kept variants
    elastic_net_options net;            ///< alpha, nlambda, lambda_min_ratio (0: glmnet's rule), covariance_max; family is detected
    int folds = 5;
    std::string select = "deviance";    ///< "deviance" (minimum CV deviance) or "auc" (maximum CV AUC)
    double test_fraction = 0.2;         ///< stratified held-out test fraction
    std::uint64_t seed = 1;             ///< drives the test split and the folds
    std::string model = "elastic-net";  ///< or "mlp": a fusion network over the polygenic score and covariates
    mlp_options mlp;                    ///< with model "mlp"
    std::filesystem::path folds_out;    ///< optional TSV of the split: sample_id, role (test, foldK, unused)
    std::string command_line;           ///< provenance
};

/// Trains on the kept samples with a phenotype (and every requested covariate) present: stratified
/// test split, the lambda path on the training samples, k-fold CV with the same lambdas, the fit at the
/// chosen lambda, test metrics, recalibration on the out-of-fold predictions, the reference score
/// distribution. Collective over `comm`; the returned model is the same on every rank.
/// Throws input_error for an unknown phenotype or covariate, missing /pca/scores with pcs > 0, a bad
/// clinical table, or too few samples.
risk_model train(const train_options& options, const mpi::communicator& comm, const logger& log);

}  // namespace precis::model
