#pragma once
/// precis annotate: consequences, HGVS, ClinVar and frequencies for a VCF, MPI-parallel over regions.
#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "precis/core/log.hpp"

namespace precis::annotate {

/// Inputs and outputs of one annotate run. Optional paths are empty when not given.
struct annotate_options {
    std::filesystem::path ref;          ///< indexed FASTA
    std::filesystem::path genes;        ///< GFF3 or GTF (plain or gzipped)
    std::filesystem::path vcf;          ///< input VCF/BCF; indexed when run on more than one rank
    std::filesystem::path out;          ///< output .vcf.gz (bgzipped, .tbi-indexed)
    std::filesystem::path known;        ///< ClinVar-format VCF
    std::filesystem::path frequencies;  ///< VCF with AF and AF_* INFO fields
    std::filesystem::path panel;        ///< gene symbols or ids, one a line
    std::filesystem::path tsv;          ///< one row per allele x transcript
    std::filesystem::path findings;     ///< reportable findings per sample (docs/annotate.md)
    bool strict = false;                ///< bad records and GFF3 lines are input errors
    bool haplotypes = true;             ///< combine phased alleles per haplotype (HCSQ; needs samples)
    int threads = 1;
    int compression_level = -1;         ///< BGZF level of the output: -1 HTSlib's default (6), 0 (none) to 9
};

/// What a run saw, summed over ranks (valid on every rank).
struct annotate_summary {
    std::int64_t records = 0;
    std::int64_t alleles = 0;
    std::int64_t csq_entries = 0;
    std::int64_t findings = 0;
    std::map<std::string, std::int64_t> problems;  ///< "REF does not match the FASTA" -> count, ...
};

/// The CSQ sub-field names, '|'-separated, as declared in the output header.
const char* csq_format();

/// Annotates options.vcf into options.out (and the optional TSV and findings). Ranks of `comm` take
/// contiguous runs of genomic windows balanced by indexed record count, annotate them with TBB threads,
/// write their part, and rank 0 concatenates the parts after the header: the decompressed output is
/// identical at any rank count. Collective over `comm`. Throws input_error for bad input.
annotate_summary run(const annotate_options& options, MPI_Comm comm, const logger& log);

}  // namespace precis::annotate
