#pragma once
/// `precis convert`: VCF/BCF (+ phenotype and covariate tables) to a cohort HDF5 file.
#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "precis/core/log.hpp"

namespace precis::h5 {

/// What to convert. Paths as given by the user.
struct convert_options {
    std::filesystem::path vcf;  ///< bgzipped or plain VCF, or BCF; indexed (.tbi/.csi) for more than one rank
    std::filesystem::path out;  ///< the cohort file, written under a temporary name and renamed when complete
    std::optional<std::filesystem::path> phenotypes;  ///< TSV, see read_sample_table
    std::optional<std::filesystem::path> covariates;  ///< TSV, see read_sample_table
    int threads = 1;             ///< threads per rank (BGZF decompression and genotype encoding)
    bool show_progress = false;  ///< progress line on rank 0
    std::string command_line;    ///< stored as the root attribute `command`
};

/// What was converted (the same on every rank).
struct convert_summary {
    std::int64_t samples = 0;
    std::int64_t records = 0;  ///< VCF records
    std::int64_t rows = 0;     ///< biallelic rows (multi-allelic records split)
    std::int64_t file_bytes = 0;
    double seconds = 0;
};

/// Converts `options.vcf` to the cohort format (docs/formats.md). Collective over `comm`: the ranks convert
/// disjoint genomic regions balanced by record count (from the index and a cheap sample-free counting
/// pass) and write them collectively at their global rows; the output is identical at every rank count.
/// One rank reads an unindexed file sequentially; more ranks need an index (input_error otherwise).
/// Records must be sorted (contigs in header order, POS non-decreasing). Throws input_error for bad input
/// (the same error on every rank), runtime_failure for I/O failures; on failure no file is left under
/// options.out. Logs on rank 0 through `log`. Uses TBB within the caller's thread limit.
convert_summary convert(const convert_options& options, MPI_Comm comm, const logger& log);

}  // namespace precis::h5
