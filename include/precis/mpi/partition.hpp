#pragma once
/// Splitting work between ranks.
#include <cstdint>
#include <vector>

namespace precis::mpi {

/// Half-open range [begin, end) of item indices.
struct index_range {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    std::int64_t size() const { return end - begin; }
    bool operator==(const index_range&) const = default;
};

/// Contiguous block `part` of `n` items split into `parts` blocks whose sizes differ by at most one;
/// the first n % parts blocks get the extra item.
index_range block_range(std::int64_t n, int parts, int part);

/// Splits a sequence of weighted items into `parts` contiguous runs of near-equal total weight.
/// Returns parts+1 boundaries b (b[0] = 0, b[parts] = weights.size()); part p takes [b[p], b[p+1]).
/// Weights must be non-negative.
std::vector<std::int64_t> weighted_boundaries(const std::vector<double>& weights, int parts);

}  // namespace precis::mpi
