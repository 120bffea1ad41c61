#pragma once
/// The --regions option: contigs, 1-based ranges or a BED file, as sorted, merged 0-based intervals.
#include <cstdint>
#include <string>
#include <vector>

namespace precis::call::detail {

/// Bases [begin, end) (0-based, half-open) of FASTA contig index `contig`.
struct region {
    int contig = 0;
    std::int64_t begin = 0;
    std::int64_t end = 0;
    bool operator==(const region&) const = default;
};

/// `spec` empty: every contig whole. An existing file: BED (chrom, 0-based start, end; '#', 'track' and
/// 'browser' lines skipped). Otherwise a comma-separated list of `chr` or `chr:beg-end` (1-based,
/// inclusive). Returns the intervals in FASTA contig order, overlapping ones merged, clipped to the contig.
/// Throws input_error for an unknown contig or a malformed range, naming the option or the BED line.
std::vector<region> parse_regions(const std::string& spec, const std::vector<std::string>& contigs,
                                  const std::vector<std::int64_t>& lengths);

}  // namespace precis::call::detail
