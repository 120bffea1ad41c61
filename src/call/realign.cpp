// Banded Gotoh alignment in log10 space (Viterbi approximation of a pair-HMM), read global, haplotype local.
#include "precis/call/detail/realign.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace precis::call::detail {

namespace {

constexpr float minus_inf = -1e30f;

struct emission_table {
    std::array<float, 64> match{};
    std::array<float, 64> mismatch{};
    emission_table() {
        for (int q = 0; q < 64; ++q) {
            double e = std::pow(10.0, -std::max(q, 2) / 10.0);
            match[static_cast<std::size_t>(q)] = static_cast<float>(std::log10(1.0 - e));
            mismatch[static_cast<std::size_t>(q)] = static_cast<float>(std::log10(e / 3.0));
        }
    }
};

const emission_table& emissions() {
    static const emission_table table;
    return table;
}

}  // namespace

double read_hap_log10(const std::uint8_t* seq, const std::uint8_t* qual, int n, const std::uint8_t* hap, int m,
                      int offset, int band, realign_scratch& scratch, double gap_open, double gap_extend) {
    const auto& em = emissions();
    const int width = 2 * band + 1;
    const auto go = static_cast<float>(gap_open);
    const auto ge = static_cast<float>(gap_extend);
    // Three states per cell, two rows: M (base i-1 on hap j-1), I (read base inserted), D (hap base skipped).
    scratch.rows.assign(static_cast<std::size_t>(6 * width), minus_inf);
    float* prev = scratch.rows.data();
    float* cur = prev + 3 * width;
    float best = minus_inf;
    for (int i = 1; i <= n; ++i) {
        const int lo = offset + i - band;  // hap column j of band cell 0 in row i
        const std::uint8_t b = seq[i - 1];
        const int q = std::min<int>(qual[i - 1], 63);
        for (int c = 0; c < width; ++c) {
            const int j = lo + c;
            float* cell = cur + 3 * c;
            cell[0] = cell[1] = cell[2] = minus_inf;
            if (j < 0 || j > m) continue;
            // M: read base i-1 against hap base j-1.
            if (j >= 1) {
                const std::uint8_t h = hap[j - 1];
                float e = (b > 3 || h > 3) ? -0.60206f : (b == h ? em.match[static_cast<std::size_t>(q)] : em.mismatch[static_cast<std::size_t>(q)]);
                float from = 0.0f;  // free start on the haplotype
                if (i > 1) {
                    const float* d = prev + 3 * c;  // (i-1, j-1) has the same band index
                    from = std::max({d[0], d[1], d[2]});
                }
                cell[0] = from + e;
            }
            // I: read base i-1 not on the haplotype; from (i-1, j), band index c+1.
            if (i > 1 && c + 1 < width) {
                const float* u = prev + 3 * (c + 1);
                cell[1] = std::max(u[0] + go, u[1] + ge);
            }
            // D: hap base j-1 skipped; from (i, j-1), band index c-1.
            if (c >= 1 && i < n) {
                const float* l = cur + 3 * (c - 1);
                cell[2] = std::max(l[0] + go, l[2] + ge);
            }
            if (i == n) best = std::max({best, cell[0], cell[1]});
        }
        std::swap(prev, cur);
    }
    return best < -1e29f ? -1000.0 : static_cast<double>(best);
}

}  // namespace precis::call::detail
