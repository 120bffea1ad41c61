#pragma once
/// Read mapping: minimizer seeding, chaining into diagonal clusters, ungapped fast path, affine-gap
/// Smith-Waterman extension (parasail, runtime SIMD dispatch), pairing with a learned insert-size model.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "precis/align/index.hpp"

namespace precis::align {

/// Scoring and search limits (bwa mem's scoring scheme).
struct mapper_options {
    int match = 1;
    int mismatch = 4;
    int gap_open = 6;       ///< a gap of length L costs gap_open + L * gap_extend
    int gap_extend = 1;
    int clip_penalty = 5;   ///< clipping an end costs this much (prefer end-to-end when close)
    int min_score = 30;     ///< alignments scoring less are not reported
    int max_occurrences = 500;  ///< minimizers occurring more often are not used as seeds
    int rare_occurrences = 40;  ///< with >= 3 minimizers this rare, more frequent ones are skipped
    int max_candidates = 10;    ///< clusters extended per read
    int unpaired_penalty = 17;
    int max_supplementary_overlap = 10;  ///< bases a supplementary may share with the primary on the read
    int max_secondary = 3;      ///< secondary (flag 256) alignments per read; 0 = none
    int secondary_margin = 10;  ///< secondaries score at least the primary's AS minus this
};

/// One local alignment of one read. Coordinates are 0-based on the contig.
struct alignment {
    int contig = -1;
    std::int64_t pos = 0;             ///< leftmost reference base
    std::int64_t ref_end = 0;         ///< one past the rightmost reference base
    bool reverse = false;
    std::vector<std::uint32_t> cigar; ///< BAM encoding, includes soft clips
    int score = 0;                    ///< AS
    int sub_score = 0;                ///< XS: best other alignment of the same read part
    int nm = 0;
    std::string md;
    int read_begin = 0, read_end = 0; ///< aligned interval on the read as sequenced (forward), [begin, end)
    int mapq = 0;
    int sub_count = 0;                ///< other alignments scoring close to this one
};

/// Insert-size distribution of FR pairs (template length, bases).
struct insert_model {
    bool valid = false;
    double mean = 0, sd = 0;
    std::int64_t low = 0, high = 0;   ///< proper-pair bounds
    std::int64_t pairs_used = 0;
};

/// What came out for one read: primary (or unmapped when contig < 0) plus supplementaries (other parts
/// of a chimeric read) and secondaries (other places the same part of the read aligns about as well).
struct read_result {
    alignment primary;
    std::vector<alignment> supplementary;
    std::vector<alignment> secondary;
};

struct pair_result {
    read_result read[2];
    bool proper = false;
};

/// Stateless mapper over an index; map_* are thread-safe.
class mapper {
public:
    mapper(const genome_index& index, mapper_options options = {});
    ~mapper();
    mapper(const mapper&) = delete;
    mapper& operator=(const mapper&) = delete;

    /// Candidate alignments of one read (ACGTN sequence as sequenced), best first, with SE MAPQs set.
    std::vector<alignment> align_read(const std::string& seq, std::uint64_t tie_seed) const;
    /// Single-end result.
    read_result map_single(const std::string& seq, std::uint64_t tie_seed) const;
    /// Paired-end result: pairing, mate rescue, pair-aware MAPQ. Without a valid model reads are paired
    /// only by orientation and a 1 kb bound.
    pair_result map_pair(const std::string& seq1, const std::string& seq2, const insert_model& model,
                         std::uint64_t tie_seed) const;
    /// The same from the two reads' align_read() results, computed earlier with tie seeds tie_seed and
    /// tie_seed ^ mate_seed (e.g. while learning the insert model); consumes them.
    pair_result map_pair(const std::string& seq1, const std::string& seq2, const insert_model& model,
                         std::uint64_t tie_seed, std::vector<alignment> (&candidates)[2]) const;
    static constexpr std::uint64_t mate_seed = 0x9e3779b97f4a7c15ULL;
    const genome_index& index() const { return m_index; }
    const mapper_options& options() const { return m_options; }

private:
    struct impl;
    const genome_index& m_index;
    mapper_options m_options;
    impl* m_impl;
};

/// Estimates the insert model from pairs' single-end results (pairs with both reads uniquely mapped
/// in FR orientation on one contig), dropping outliers like bwa mem (quartiles +- 2 IQR for the mean
/// and sd, proper bounds mean +- 4 sd clipped to quartiles +- 3 IQR).
insert_model estimate_insert_model(const std::vector<std::int64_t>& insert_sizes);

/// Template length of a proper FR pair (samtools fixmate convention: 5' to 5'), or 0 when the two are
/// not on one contig in FR orientation.
std::int64_t fr_template_length(const alignment& a, const alignment& b);

}  // namespace precis::align
