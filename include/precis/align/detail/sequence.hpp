#pragma once
// Small base helpers shared by the index and the mapper.
#include <string>
#include <string_view>

namespace precis::align::detail {

/// 0..3 for A C G T (any case), 4 for anything else.
inline int base_code(char c) {
    switch (c) {
        case 'A': case 'a': return 0;
        case 'C': case 'c': return 1;
        case 'G': case 'g': return 2;
        case 'T': case 't': return 3;
        default: return 4;
    }
}

/// ACGT upper-cased; every other character becomes N (what the aligner scores).
inline char normalise_base(char c) { return "ACGTN"[base_code(c)]; }

/// Reverse complement over ACGTN (other characters become N).
inline std::string reverse_complement(std::string_view s) {
    std::string r(s.size(), 'N');
    for (std::size_t i = 0; i < s.size(); ++i) r[s.size() - 1 - i] = "TGCAN"[base_code(s[i])];
    return r;
}

}  // namespace precis::align::detail
