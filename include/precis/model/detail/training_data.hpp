#pragma once
// Internal: the standardised, sharded design of a training run and its sample split.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "precis/core/log.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/model/elastic_net.hpp"
#include "precis/model/genotype_source.hpp"
#include "precis/model/train.hpp"

namespace precis::model::detail {

/// Role of a kept sample in a run.
enum class role : std::int8_t { unused = -1, test = -2 };  // values >= 0 are training folds

/// The design of this rank's shard plus global (kept-sample order) bookkeeping, identical on all ranks.
struct training_data {
    model::family family = model::family::binomial;
    design d;                              ///< local shard, standardised
    std::vector<std::int64_t> fold;        ///< per kept sample: fold >= 0, or role::unused / role::test
    std::vector<double> y;                 ///< per kept sample, 0/1 or raw (NaN when unused)
    double y_mean = 0, y_sd = 1;           ///< gaussian: design.y = (y - y_mean) / y_sd
    std::vector<std::string> dense_names;  ///< covariates, PC1.., clinical columns
    std::vector<double> dense_mean, dense_sd;
    std::vector<double> variant_mean, variant_sd;  ///< per kept variant, training samples (sd 0: constant)
    std::int64_t n_train = 0;              ///< training samples (all folds)
    /// Per fold f and kept variant j: counts of dosage 0, 1, 2 among the training samples of fold f
    /// (index (f * n_variants + j) * 3 + g), and the fold sizes; for the per-fold standardisation.
    std::vector<std::int64_t> fold_counts, fold_size;
    std::vector<double> pcs;               ///< kept samples x n_pcs (row-major), for ancestry adjustment
    std::int64_t n_pcs = 0;
    mpi::index_range shard;                ///< this rank's kept samples
};

/// Builds the training data (collective). See train() for the errors.
training_data load_training_data(const train_options& o, const h5::cohort_reader& cohort,
                                 const genotype_source& source, const mpi::communicator& comm, const logger& log);

/// Standardisation table of the fit that leaves out fold `f` (cv.glmnet standardises each fold's fit
/// on its own samples): the dosage with missing calls imputed to the training mean, centred on its mean
/// over the other training folds and divided by its 1/n standard deviation there. A missing call's entry
/// is then (training mean - fold mean) / sd, as in glmnet given the imputed matrix. Zeros for a column
/// constant there, and for one whose observed calls are constant there (it would vary only through its
/// imputed calls: a missingness indicator with a tiny sd, which explodes on held-out carriers).
std::vector<std::array<double, 4>> fold_lut(const training_data& t, std::int64_t f);

/// Components of the cohort's /pca/scores (0 when absent); input_error when it is not [n_samples, k].
std::int64_t pca_components(const h5::cohort_reader& cohort);

/// Reads the first `k` (all when k <= 0, at most 20) columns of /pca/scores for the kept samples;
/// empty when the cohort has no /pca. Sets `k` to the number read.
std::vector<double> read_pcs(const h5::cohort_reader& cohort, const std::vector<std::int64_t>& kept, std::int64_t& k);

}  // namespace precis::model::detail
