#pragma once
/// `precis gwas`: per-variant association of one phenotype with the ALT dosage, adjusted for covariates
/// and principal components; linear (OLS, t test) or logistic (IRLS, Wald z) with plink2-style Firth
/// fallback. Variants are split into contiguous blocks over MPI ranks and over TBB threads inside a rank.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/core/log.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/io/vcf.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::model {

enum class gwas_model { automatic, logistic, linear };
/// plink2 --glm no-firth / firth-fallback / firth.
enum class firth_mode { never, fallback, always };

/// What `precis gwas` does; filled by the CLI.
struct gwas_options {
    std::filesystem::path cohort;
    std::string phenotype;                ///< name under /phenotypes
    std::vector<std::string> covariates;  ///< names under /covariates
    int pcs = 0;                          ///< first N columns of /pca/scores as covariates
    gwas_model model = gwas_model::automatic;
    firth_mode firth = firth_mode::fallback;
    std::int64_t min_mac = 0;             ///< variants with a smaller minor allele count are not reported
    std::int64_t block_variants = 512;    ///< kept variants read and tested per block
    bool show_progress = false;
};

/// Why a variant has no estimate (plink2 ERRCODE names in to_string).
enum class gwas_error : std::uint8_t { none, const_allele, const_omitted_allele, no_convergence, firth_no_convergence, singular };
/// "." for none, else plink2's code: CONST_OMITTED_ALLELE (no ALT allele observed), CONST_ALLELE (every
/// observed dosage equal otherwise), LOGISTIC_CONVERGE_FAIL, FIRTH_CONVERGE_FAIL, VIF_INFINITE (singular).
const char* to_string(gwas_error e);

/// Test of one variant. beta is on the log-odds scale for logistic models; stat is t or z.
struct variant_test {
    double beta = 0, se = 0, stat = 0, p = 0;
    std::int64_t obs_ct = 0;  ///< samples in the regression (non-missing genotype)
    double alt_count = 0;     ///< ALT alleles among them
    bool firth = false;
    bool reported = true;     ///< false when filtered out by min_mac
    gwas_error error = gwas_error::none;
};

/// Analysis-wide facts and, on rank 0, every variant's test in cohort row order.
struct gwas_result {
    bool logistic = false;
    firth_mode firth = firth_mode::fallback;
    std::string phenotype;
    std::int64_t n_samples = 0, n_cases = 0, n_controls = 0;  ///< cases/controls for logistic only
    std::vector<std::string> predictors;                      ///< covariate and PC names, in design order
    std::vector<io::contig_info> contigs;
    std::vector<std::int64_t> rows;  ///< cohort rows of the tested (kept) variants
    h5::variant_rows variants;       ///< their columns (rank 0 only)
    std::vector<variant_test> tests; ///< one per row (rank 0 only)
};

/// Runs the analysis. Collective over `comm`: every rank opens the cohort, builds the same design,
/// tests its contiguous block of kept variants, and rank 0 gathers all tests (other ranks return the
/// result without rows' tests). Throws input_error for unknown names, a non-binary phenotype with
/// --model logistic, --pcs without /pca/scores, no usable samples; identical output at any rank count.
gwas_result run_gwas(const gwas_options& options, const mpi::communicator& comm, const logger& log);

}  // namespace precis::model
