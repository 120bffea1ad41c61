#pragma once
/// Calling one chunk of the genome: reads, candidates, evidence, genotypes, VCF text lines.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "precis/call/detail/realign.hpp"
#include "precis/io/fasta.hpp"
#include "precis/io/sam.hpp"

namespace precis::call::detail {

/// A work unit: sites with 0-based positions in [begin, end) on FASTA contig `contig`.
struct chunk {
    int contig = 0;
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

/// Thresholds of the caller (see call_options).
struct caller_params {
    int min_mapq = 20;
    int min_baseq = 13;
    double min_qual = 20;
    int min_depth = 5;
    double snv_prior = 1e-3;
    double indel_prior = 1e-3;
    int min_alt_reads = 2;
    double min_snv_fraction = 0.1;
    double min_indel_fraction = 0.05;
    int max_alt_alleles = 3;
    std::int64_t pad = 300;  ///< reads are fetched this far beyond the chunk
};

/// The inputs every caller shares: FASTA contig names/lengths and, per BAM, the BAM tid of each FASTA
/// contig (-1 when the BAM does not have it).
struct caller_inputs {
    std::filesystem::path ref;
    std::vector<std::filesystem::path> bams;
    std::vector<std::string> contig_names;
    std::vector<std::int64_t> contig_lengths;
    std::vector<std::vector<int>> bam_tids;
};

/// Calls chunks one at a time with its own FASTA and BAM readers. Not thread-safe: one per thread.
class chunk_caller {
public:
    chunk_caller(const caller_inputs& inputs, const caller_params& params);
    ~chunk_caller();
    /// VCF body lines (tab-separated, newline-terminated) of the sites in `c`, in position order.
    /// Throws input_error naming the BAM when it turns out to be unsorted.
    std::string call(const chunk& c);

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
};

}  // namespace precis::call::detail
