// The insert-size model learned from the first pairs, and the template length of an FR pair.
#include <algorithm>
#include <cmath>

#include "precis/align/mapper.hpp"

namespace precis::align {

std::int64_t fr_template_length(const alignment& a, const alignment& b) {
    if (a.contig < 0 || a.contig != b.contig || a.reverse == b.reverse) return 0;
    const alignment& f = a.reverse ? b : a;
    const alignment& r = a.reverse ? a : b;
    if (f.pos >= r.ref_end) return 0;
    return r.ref_end - f.pos;
}

insert_model estimate_insert_model(const std::vector<std::int64_t>& sizes_in) {
    insert_model m;
    if (sizes_in.size() < 25) return m;
    std::vector<std::int64_t> s = sizes_in;
    std::sort(s.begin(), s.end());
    auto pct = [&](double p) { return s[static_cast<std::size_t>(p * static_cast<double>(s.size() - 1) + .5)]; };
    double q25 = static_cast<double>(pct(.25)), q75 = static_cast<double>(pct(.75));
    double iqr = q75 - q25;
    double lo = q25 - 2 * iqr, hi = q75 + 2 * iqr;
    double sum = 0, sum2 = 0;
    std::int64_t n = 0;
    for (auto v : s)
        if (v >= lo && v <= hi) {
            sum += static_cast<double>(v);
            sum2 += static_cast<double>(v) * static_cast<double>(v);
            ++n;
        }
    if (n < 25) return m;
    m.valid = true;
    m.mean = sum / static_cast<double>(n);
    m.sd = std::sqrt(std::max(0.0, sum2 / static_cast<double>(n) - m.mean * m.mean));
    m.pairs_used = n;
    double l3 = q25 - 3 * iqr, h3 = q75 + 3 * iqr;
    m.low = static_cast<std::int64_t>(std::max({1.0, m.mean - 4 * m.sd, std::min(l3, m.mean - 4 * m.sd)}));
    m.high = static_cast<std::int64_t>(std::max(m.mean + 4 * m.sd, h3) + .5);
    return m;
}

}  // namespace precis::align
