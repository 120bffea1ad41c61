#pragma once
/// Principal components of the cohort (precis pca): randomized SVD of the standardised genotype matrix
/// over sample shards, the /pca group, and projection of new samples onto stored components.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "precis/core/log.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::model {

/// Settings of precis pca (docs/pca.md).
struct pca_options {
    int k = 10;                     ///< components
    int oversampling = 10;          ///< extra random directions (l = k + oversampling)
    int power_iterations = 4;       ///< subspace iterations, each re-orthonormalised
    std::uint64_t seed = 1;         ///< the random test matrix is a function of (seed, sample, column) only
    std::int64_t block_rows = 1024; ///< variant rows read at once
    bool show_progress = false;
};

/// Throws input_error naming the option when a setting is out of range.
void validate(const pca_options& options);

/// A matrix of `rows()` rows whose columns are split over ranks: this rank holds columns
/// [col_offset(), col_offset() + local_cols()) of cols(). The products are local (not reduced).
class sharded_matrix {
public:
    virtual ~sharded_matrix() = default;
    virtual std::int64_t rows() const = 0;
    virtual std::int64_t cols() const = 0;
    virtual std::int64_t col_offset() const = 0;
    virtual std::int64_t local_cols() const = 0;
    /// out (rows x l) = X_local * right (local_cols x l).
    virtual void multiply(const Eigen::MatrixXd& right, Eigen::MatrixXd& out) const = 0;
    /// out (local_cols x l) = X_local^T * left (rows x l).
    virtual void multiply_transposed(const Eigen::MatrixXd& left, Eigen::MatrixXd& out) const = 0;
};

/// Top singular triplets: X ~ U diag(s) V^T. `left` (rows x k) is on every rank; `right_local` holds this
/// rank's rows of V. Each component's sign makes its largest-|left| entry positive.
struct svd_result {
    Eigen::VectorXd singular_values;
    Eigen::MatrixXd left;
    Eigen::MatrixXd right_local;
};

/// Randomized SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4): Y = X Omega, then `iterations` rounds of
/// Z = orth(X^T Q), Q = orth(X Z); finally the SVD of Q^T X from its l x l Gram matrix. Collective over
/// `comm`: one Allreduce of a rows x l or l x l matrix per step. Omega depends only on `seed` and the global
/// column index, so results agree across rank counts up to rounding. Throws input_error when k > cols.
svd_result randomized_svd(const sharded_matrix& x, int k, int oversampling, int iterations, std::uint64_t seed,
                          const mpi::communicator& comm);

/// A fitted PCA: what /pca stores. Vectors are in file order over all variant rows / samples.
struct pca_model {
    int k = 0;
    std::vector<double> eigenvalues;    ///< k, on plink2's GRM scale: s^2 / M (M variants used)
    std::vector<double> scores;         ///< n_samples x k row-major; NaN for samples outside the mask
    std::vector<double> loadings;       ///< n_variants x k row-major: U diag(1/s); 0 for unused variants
    std::vector<double> variant_mean;   ///< 2p of the kept samples
    std::vector<double> variant_scale;  ///< 1/sqrt(2p(1-p)); 0 for unused variants
    std::uint64_t seed = 0;
    int iterations = 0;
    std::int64_t variants_used = 0;
};

/// Fits the PCA over the kept variants (QC mask, 0 < p < 1) and kept samples (collective; every rank gets
/// the whole model). Holds this rank's int8 shard of the kept matrix in memory (kept variants x shard bytes).
pca_model run_pca(const h5::cohort_reader& cohort, const pca_options& options, const mpi::communicator& comm,
                  const logger& log);

/// Replaces /pca of `path` (collective; every rank must have closed `path`; rank 0 writes).
void write_pca(const std::filesystem::path& path, const pca_model& model, const pca_options& options,
               const std::string& command_line, const mpi::communicator& comm);

/// Reads /pca of an open cohort; input_error naming the file when it has none or it is inconsistent.
pca_model read_pca(const h5::cohort_reader& cohort);

/// Writes PREFIX.eigenvec (#IID PC1..PCk, kept samples) and PREFIX.eigenval as plink2 does (atomic).
void write_plink_eigen(const std::string& prefix, const std::vector<std::string>& samples, const pca_model& model);

/// Scores of new samples on a stored PCA.
struct projection {
    std::vector<std::string> samples;
    std::vector<double> scores;      ///< samples x k row-major
    std::int64_t model_variants = 0; ///< variants with a loading
    std::int64_t matched = 0;        ///< of those, found in the input (same or swapped alleles)
    std::int64_t flipped = 0;        ///< of the matched, found with REF and ALT swapped
    std::int64_t unmatched_records = 0; ///< input alleles that match no model variant
};

/// Projects the samples of `vcf` onto `model` (whose variants are `variants`, all rows of the cohort):
/// variants matched on chrom/pos/ref/alt (multi-allelic records split as bcftools norm -m-; swapped REF/ALT
/// flipped), missing calls and unmatched model variants contribute the mean (0). Projecting the cohort's
/// own genotypes reproduces their scores. Serial; throws input_error for an unreadable VCF and for a second
/// record of a model variant (also swapped, or inside a multi-allelic record), naming the file and record.
projection project(const pca_model& model, const h5::variant_rows& variants, const std::filesystem::path& vcf);

/// Writes `p` as TSV: sample_id PC1..PCk (atomic).
void write_projection(const std::filesystem::path& path, const projection& p, int k);

}  // namespace precis::model
