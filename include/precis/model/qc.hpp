#pragma once
/// Variant and sample quality control of a cohort (precis qc): statistics, filters and the /qc group.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/core/log.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::model {

/// Thresholds of precis qc (docs/qc.md). Rates are fractions in [0, 1].
struct qc_options {
    double min_call_rate = 0.95;       ///< variant kept when called / kept samples >= this
    double min_maf = 0.01;             ///< variant kept when min(p, 1 - p) >= this (p = ALT frequency)
    double min_hwe_p = 1e-6;           ///< variant kept when the HWE exact p >= this (0 disables)
    double max_sample_missing = 0.05;  ///< sample kept when missing / all variants <= this
    double het_sd = 3;                 ///< sample removed when |het rate - mean| > het_sd * sd (0 disables)
    std::int64_t block_rows = 1024;    ///< variant rows read at once
    bool show_progress = false;
};

/// Throws input_error naming the option when a threshold is outside its range.
void validate(const qc_options& options);

/// Why a variant or sample was removed (stored as uint8 in /qc/variant_filter and /qc/sample_filter).
enum class qc_filter : std::uint8_t { kept = 0, call_rate = 1, maf = 2, hwe = 3, missingness = 4, heterozygosity = 5 };

/// Everything precis qc computes, for all variant rows and all samples of the file (file order).
/// Variant statistics are over the samples that pass the missingness filter; heterozygosity over the
/// variants that pass the variant filters. Statistics that are undefined (no calls) are NaN.
struct qc_result {
    std::vector<std::int64_t> variant_counts;  ///< n_variants x 4, row-major: hom REF, het, hom ALT, missing
    std::vector<double> call_rate, alt_freq, hwe_p;
    std::vector<std::uint8_t> variant_filter;  ///< qc_filter per variant
    std::vector<std::int64_t> sample_missing;  ///< missing calls over all variant rows
    std::vector<double> missing_rate, het_rate, inbreeding_f;
    std::vector<std::uint8_t> sample_filter;   ///< qc_filter per sample
    std::int64_t removed(qc_filter f, bool samples) const;
};

/// Hardy-Weinberg exact test p-value (Wigginton, Cutler & Abecasis 2005) for genotype counts; the sum
/// of the probabilities of all het counts at most as likely as the observed one (no mid-p), as plink's
/// --hardy. Returns 1 for no calls. Thread-safe.
double hwe_exact_p(std::int64_t het, std::int64_t hom_ref, std::int64_t hom_alt);

/// Runs the filters in the documented order over the cohort, samples sharded over `comm` (collective;
/// every rank gets the full, identical result). Uses TBB within a rank.
qc_result run_qc(const h5::cohort_reader& cohort, const qc_options& options, const mpi::communicator& comm,
                 const logger& log);

/// Replaces /qc of the cohort file `path` with `result` (masks, statistics, thresholds as attributes).
/// Collective: every rank must have closed its handles on `path`; rank 0 writes. Atomic at the group level.
void write_qc(const std::filesystem::path& path, const qc_result& result, const qc_options& options,
              const std::string& command_line, const mpi::communicator& comm);

/// Writes PREFIX.variants.tsv and PREFIX.samples.tsv (rank 0 only; atomic per file).
void write_qc_tsv(const std::string& prefix, const h5::cohort_reader& cohort, const qc_result& result);

}  // namespace precis::model
