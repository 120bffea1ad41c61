#pragma once
/// precis call: germline SNV and indel calling from sorted, indexed BAM/CRAM files, one or many samples.
#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/core/log.hpp"

namespace precis::call {

/// Options of one calling run. Positions in `regions` are as the user wrote them (see docs/call.md).
struct call_options {
    std::filesystem::path ref;               ///< indexed FASTA (plain or bgzipped)
    std::vector<std::filesystem::path> bams; ///< sorted, indexed BAM/CRAM files, one sample each
    std::filesystem::path out;               ///< .vcf.gz (tbi-indexed) or .bcf (csi-indexed)
    std::string regions;                     ///< empty (all contigs), "chr[:beg-end][,...]" or a BED file
    int min_mapq = 20;                       ///< reads below are ignored
    int min_baseq = 13;                      ///< bases below are ignored for SNVs
    double min_qual = 20;                    ///< QUAL below: FILTER LowQual
    int min_depth = 5;                       ///< site DP (all samples) below: FILTER LowDepth
    double snv_prior = 1e-3;                 ///< prior probability that a site holds an SNV
    double indel_prior = 1e-3;               ///< prior probability that a site holds an indel (as bcftools call -P)
    std::int64_t chunk_size = 100000;        ///< bases per work unit
    int threads = 1;
    std::string command_line;                ///< for ##precisCommand
};

/// What a run did, identical on every rank.
struct call_summary {
    std::int64_t chunks = 0;
    std::int64_t records = 0;
    std::int64_t snv_records = 0;
    std::int64_t indel_records = 0;
    std::int64_t passing = 0;
    std::vector<std::string> samples;
};

/// Calls variants over the requested regions. The genome is cut into fixed chunks, chunks are given to
/// ranks in contiguous runs balanced by read count (from the BAM indexes), TBB threads work on chunks
/// inside a rank, and rank 0 writes the records in genome order, so the output is byte-identical for any
/// rank and thread count. Throws input_error for bad input (missing, unsorted or unindexed BAM, contigs
/// that differ from the FASTA, no sample name), naming the file. Collective over `comm`.
call_summary run(const call_options& options, MPI_Comm comm, const logger& log);

}  // namespace precis::call
