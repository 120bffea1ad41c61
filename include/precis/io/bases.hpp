#pragma once
/// Comparing allele strings as VCF does: bases are case-insensitive (a soft-masked "a" is "A").
#include <algorithm>
#include <cctype>
#include <string_view>

namespace precis::io {

inline bool same_bases(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
           });
}

}  // namespace precis::io
