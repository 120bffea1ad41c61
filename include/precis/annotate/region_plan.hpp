#pragma once
/// Genomic windows of about equal indexed record count, for splitting a VCF between ranks.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace precis::annotate {

/// Records whose POS lies in [begin, end) (0-based) of header contig `tid`; tid < 0: the whole file.
struct window {
    int tid = -1;
    std::int64_t begin = 0;
    std::int64_t end = 0;
    double weight = 1;  ///< expected records
};

/// About `count` windows over the indexed contigs of `vcf`, in file order, split by contig length in
/// proportion to the indexed record counts. The plan does not depend on the number of ranks. Without an
/// index (or without index statistics) one whole-file window; then `ranks` must be 1, else input_error.
std::vector<window> plan_windows(const std::filesystem::path& vcf, int ranks, int count = 256);

}  // namespace precis::annotate
