#include "precis/mpi/partition.hpp"

#include <algorithm>
#include <numeric>

namespace precis::mpi {

index_range block_range(std::int64_t n, int parts, int part) {
    std::int64_t base = n / parts;
    std::int64_t extra = n % parts;
    std::int64_t begin = part * base + std::min<std::int64_t>(part, extra);
    std::int64_t size = base + (part < extra ? 1 : 0);
    return {begin, begin + size};
}

std::vector<std::int64_t> weighted_boundaries(const std::vector<double>& weights, int parts) {
    const auto n = static_cast<std::int64_t>(weights.size());
    std::vector<std::int64_t> bounds(parts + 1, n);
    bounds[0] = 0;
    double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (total <= 0) {
        for (int p = 0; p < parts; ++p) bounds[p] = block_range(n, parts, p).begin;
        return bounds;
    }
    // Part p ends at the first item where the running weight reaches (p+1)/parts of the total.
    double running = 0;
    int p = 0;
    for (std::int64_t i = 0; i < n && p < parts - 1; ++i) {
        running += weights[i];
        while (p < parts - 1 && running >= total * (p + 1) / parts) bounds[++p] = i + 1;
    }
    for (int q = p + 1; q < parts; ++q) bounds[q] = n;
    return bounds;
}

}  // namespace precis::mpi
