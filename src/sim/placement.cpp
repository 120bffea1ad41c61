#include "precis/sim/detail/placement.hpp"

#include <algorithm>

namespace precis::sim::detail {

placement::placement(const genome& g, std::int64_t margin)
    : m_genome(g), m_margin(margin), m_used(static_cast<std::size_t>(g.size())) {}

std::optional<std::pair<int, std::int64_t>> placement::find(rng& r, std::int64_t span) const {
    std::int64_t total = m_genome.usable_length();
    if (total <= 0) return std::nullopt;
    auto pick = static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(total)));
    int c = 0;
    while (pick >= m_genome.end[static_cast<std::size_t>(c)] - m_genome.begin[static_cast<std::size_t>(c)]) {
        pick -= m_genome.end[static_cast<std::size_t>(c)] - m_genome.begin[static_cast<std::size_t>(c)];
        ++c;
    }
    auto ci = static_cast<std::size_t>(c);
    std::int64_t lo = m_genome.begin[ci] + 2000, hi = m_genome.end[ci] - span - 2000;
    if (hi <= lo) return std::nullopt;
    std::int64_t start = r.range(lo, hi);
    for (const auto& u : m_used[ci])
        if (start < u.end + m_margin && start + span + m_margin > u.begin) return std::nullopt;
    const auto& seq = m_genome.sequences[ci];
    auto first = seq.begin() + start;
    if (std::find(first, first + span, 'N') != first + span) return std::nullopt;
    return std::make_pair(c, start);
}

void placement::occupy(int contig, interval iv) { m_used[static_cast<std::size_t>(contig)].push_back(iv); }

}  // namespace precis::sim::detail
