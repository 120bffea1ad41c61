#include "precis/sim/quality_profile.hpp"

#include <algorithm>

#include "precis/core/error.hpp"
#include "precis/io/fastq.hpp"

namespace precis::sim {

quality_profile quality_profile::learn(const std::filesystem::path& fastq, std::int64_t max_reads) {
    io::fastq_reader in(fastq);
    io::fastq_record rec;
    quality_profile p;
    while (p.m_reads < max_reads && in.next(rec)) {
        if (rec.quality.size() > p.m_cumulative.size()) p.m_cumulative.resize(rec.quality.size(), {});
        for (std::size_t i = 0; i < rec.quality.size(); ++i) {
            int q = std::clamp(rec.quality[i] - 33, 0, max_quality);
            ++p.m_cumulative[i][static_cast<std::size_t>(q)];
        }
        ++p.m_reads;
    }
    if (p.m_reads == 0) throw input_error(fastq.string() + ": no reads to learn base qualities from");
    for (auto& counts : p.m_cumulative)
        for (std::size_t q = 1; q < counts.size(); ++q) counts[q] += counts[q - 1];
    return p;
}

int quality_profile::draw(rng& r, int cycle) const {
    const auto& cdf = m_cumulative[static_cast<std::size_t>(std::min(cycle, cycles() - 1))];
    std::uint64_t pick = r.below(cdf.back());
    return static_cast<int>(std::upper_bound(cdf.begin(), cdf.end(), pick) - cdf.begin());
}

double quality_profile::mean(int cycle) const {
    const auto& cdf = m_cumulative[static_cast<std::size_t>(std::min(cycle, cycles() - 1))];
    double sum = 0;
    for (std::size_t q = 0; q < cdf.size(); ++q) sum += static_cast<double>(q) * static_cast<double>(cdf[q] - (q ? cdf[q - 1] : 0));
    return sum / static_cast<double>(cdf.back());
}

}  // namespace precis::sim
