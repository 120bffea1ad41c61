#pragma once
/// `precis export`: a cohort HDF5 file back to VCF/BCF.
#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "precis/core/log.hpp"

namespace precis::h5 {

/// What to export.
struct export_options {
    std::filesystem::path cohort;  ///< a cohort file (docs/formats.md)
    std::filesystem::path out;     ///< .vcf.gz (indexed .tbi), .bcf (indexed .csi) or .vcf
    int threads = 1;               ///< threads: record building and BGZF compression
    bool show_progress = false;
    std::string command_line;      ///< written as ##precis_command
};

/// Writes the cohort as VCF: ##fileformat, ##contig (with lengths when known), ##FORMAT GT, ##source,
/// ##precis_command, the samples, and one biallelic record per row with GT rebuilt from dosage and
/// gt_flags (see decode_genotype). Phenotypes and covariates are not exported. Rank 0 of `comm` does the
/// work, streaming blocks of cohort_tile rows; the other ranks wait for it. Returns the number of records.
/// Throws input_error for a file that is not a cohort file, runtime_failure on write errors.
std::int64_t export_vcf(const export_options& options, MPI_Comm comm, const logger& log);

}  // namespace precis::h5
