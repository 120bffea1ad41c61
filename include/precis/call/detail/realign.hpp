#pragma once
/// Read-against-haplotype likelihood for indel genotyping: a banded, quality-aware glocal alignment.
#include <cstdint>
#include <vector>

namespace precis::call::detail {

/// Scratch space reused between calls (one per thread).
struct realign_scratch {
    std::vector<float> rows;
};

/// log10 likelihood of the best (Viterbi) alignment of the whole read against part of `hap`:
/// read bases `seq` (0-3 = ACGT, 4 = N) with phred qualities `qual`, `n` bases; haplotype bases `hap`
/// (same codes), `m` bases; read base 0 is expected at hap position `offset` (may be negative), and the
/// alignment stays within `band` positions of that diagonal. Matches score log10(1 - e), mismatches
/// log10(e / 3) with e = 10^(-q/10); gaps open at `gap_open` and extend at `gap_extend` (log10).
/// Haplotype ends are free. Returns a very low value when no cell of the band is usable.
double read_hap_log10(const std::uint8_t* seq, const std::uint8_t* qual, int n, const std::uint8_t* hap, int m,
                      int offset, int band, realign_scratch& scratch, double gap_open = -4.0,
                      double gap_extend = -1.0);

}  // namespace precis::call::detail
