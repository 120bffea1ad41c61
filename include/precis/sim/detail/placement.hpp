#pragma once
/// Internal: random placement of non-overlapping features (genes) on a genome, avoiding N runs.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "precis/sim/genes.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim::detail {

/// Tracks occupied intervals per contig. Not thread-safe.
class placement {
public:
    explicit placement(const genome& g, std::int64_t margin = 5000);
    /// One random try: a contig (weighted by usable length) and a start such that [start, start+span)
    /// lies in the usable range, holds no N and keeps `margin` from occupied intervals.
    std::optional<std::pair<int, std::int64_t>> find(rng& r, std::int64_t span) const;
    void occupy(int contig, interval iv);

private:
    const genome& m_genome;
    std::int64_t m_margin;
    std::vector<std::vector<interval>> m_used;
};

}  // namespace precis::sim::detail
