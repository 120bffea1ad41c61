#pragma once
/// Splitting an indexed VCF/BCF into genomic windows of about equal record count, so that MPI ranks can
/// take runs of windows (convert, annotate).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace precis::io {

/// Records whose POS lies in [begin, end) (0-based) of header contig `tid`; tid < 0: the whole file,
/// read sequentially.
struct vcf_window {
    int tid = -1;
    std::int64_t begin = 0;
    std::int64_t end = 0;
    double weight = 1;  ///< expected records, from the index statistics
};

/// About `count` windows over the contigs of `vcf`, in file order: each contig is cut by position into a
/// number of windows proportional to its indexed record count (at least one; a contig without records
/// gets one window of weight 0). The plan depends only on the file and `count`. Without an index, one
/// whole-file window when `ranks` is 1, else an input_error telling to index the file for `purpose`
/// (e.g. "converting").
std::vector<vcf_window> plan_vcf_windows(const std::filesystem::path& vcf, int count, int ranks,
                                         const std::string& purpose);

}  // namespace precis::io
