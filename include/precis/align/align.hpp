#pragma once
/// precis align: FASTQ (single or paired) -> coordinate-sorted, indexed BAM/CRAM, MPI over read batches.
#include <cstdint>
#include <filesystem>
#include <string>

#include "precis/align/mapper.hpp"
#include "precis/core/log.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::align {

/// What `precis align` does (docs/align.md).
struct align_options {
    std::filesystem::path reference;  ///< the FASTA the index was built from (checksummed)
    std::filesystem::path index;      ///< default REFERENCE.pidx
    std::filesystem::path reads1, reads2;  ///< reads2 empty for single-end
    std::filesystem::path out;        ///< .bam, or .cram with `cram`
    bool cram = false;
    std::string read_group;           ///< '@RG\tID:..' with literal \t or tabs; empty for none
    std::string command_line;         ///< for @PG CL
    std::int64_t batch_pairs = 20000; ///< reads (pairs) per batch; batches are dealt to ranks round-robin
    std::int64_t insert_sample = 20000;  ///< first pairs used to learn the insert-size model
    std::int64_t sort_memory = std::int64_t{2048} << 20;  ///< bytes of records a rank holds before writing a sorted run
    int threads = 1;
    bool show_progress = true;
    mapper_options mapping;
};

struct align_stats {
    std::int64_t reads = 0, mapped = 0, proper_pairs = 0;
    insert_model model;
    double map_seconds = 0, total_seconds = 0;
};

/// Aligns on every rank of `comm`; rank 0 writes `out` (+ .bai/.crai) atomically. Collective: throws the
/// same input_error on every rank for bad input (the first failing rank's message).
align_stats run_align(const align_options& options, const mpi::communicator& comm, const logger& log);

}  // namespace precis::align
