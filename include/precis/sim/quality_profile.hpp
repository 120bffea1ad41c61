#pragma once
/// Empirical base-quality profiles learned from real FASTQ, for Illumina-like simulated reads.
#include <array>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "precis/sim/random.hpp"

namespace precis::sim {

/// Per-cycle distributions of Phred base qualities (0..max_quality), as ART builds them from real runs.
/// Cycles past the longest learned read reuse the last cycle. Immutable after learning; thread-safe reads.
class quality_profile {
public:
    static constexpr int max_quality = 41;

    /// Learns from the first `max_reads` reads of a FASTQ file (plain or gzipped). Throws input_error
    /// naming the file and record for a malformed or truncated FASTQ, or a file without reads.
    static quality_profile learn(const std::filesystem::path& fastq, std::int64_t max_reads = 200000);

    /// A quality for 0-based cycle `cycle`, drawn from that cycle's distribution.
    int draw(rng& r, int cycle) const;
    /// Mean quality at a cycle (for reports and tests).
    double mean(int cycle) const;
    int cycles() const { return static_cast<int>(m_cumulative.size()); }
    std::int64_t reads() const { return m_reads; }

private:
    // Per cycle, cumulative counts over qualities 0..max_quality.
    std::vector<std::array<std::uint64_t, max_quality + 1>> m_cumulative;
    std::int64_t m_reads = 0;
};

}  // namespace precis::sim
