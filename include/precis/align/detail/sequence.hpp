#pragma once
// Small base helpers shared by the index and the mapper.
#include <string>
#include <string_view>

namespace precis::align::detail {

/// 0..3 for A C G T (any case), 4 for anything else (a table: this runs for every base of every read).
inline constexpr struct base_code_table {
    unsigned char v[256];
    constexpr base_code_table() : v() {
        for (auto& x : v) x = 4;
        v['A'] = v['a'] = 0;
        v['C'] = v['c'] = 1;
        v['G'] = v['g'] = 2;
        v['T'] = v['t'] = 3;
    }
} base_codes{};
inline int base_code(char c) { return base_codes.v[static_cast<unsigned char>(c)]; }

/// ACGT upper-cased; every other character becomes N (what the aligner scores).
inline char normalise_base(char c) { return "ACGTN"[base_code(c)]; }

/// Reverse complement over ACGTN (other characters become N).
inline std::string reverse_complement(std::string_view s) {
    std::string r(s.size(), 'N');
    for (std::size_t i = 0; i < s.size(); ++i) r[s.size() - 1 - i] = "TGCAN"[base_code(s[i])];
    return r;
}

}  // namespace precis::align::detail
