// --regions: contig lists, 1-based ranges and BED files to merged 0-based intervals.
#include "precis/call/detail/regions.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "precis/core/error.hpp"

namespace precis::call::detail {

namespace {

bool parse_int(std::string_view s, std::int64_t& v) {
    std::string digits;
    for (char c : s)
        if (c != ',') digits += c;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return ec == std::errc() && p == digits.data() + digits.size() && !digits.empty();
}

}  // namespace

std::vector<region> parse_regions(const std::string& spec, const std::vector<std::string>& contigs,
                                  const std::vector<std::int64_t>& lengths) {
    std::vector<region> out;
    auto contig_index = [&](const std::string& name, const std::string& where) {
        auto it = std::find(contigs.begin(), contigs.end(), name);
        if (it == contigs.end()) throw input_error(where + ": contig " + name + " is not in the reference");
        return static_cast<int>(it - contigs.begin());
    };
    // A region past the contig's end would silently give no calls (a typo, or another reference build).
    auto inside = [&](int c, std::int64_t begin, const std::string& where) {
        const auto length = lengths[static_cast<std::size_t>(c)];
        if (begin >= length)
            throw input_error(where + ": starts past the end of " + contigs[static_cast<std::size_t>(c)] + " (" +
                              std::to_string(length) + " bases in the reference)");
    };
    if (spec.empty()) {
        for (std::size_t c = 0; c < contigs.size(); ++c) out.push_back({static_cast<int>(c), 0, lengths[c]});
    } else if (std::filesystem::is_regular_file(spec)) {
        std::ifstream in(spec);
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (line.empty() || line[0] == '#' || line.rfind("track", 0) == 0 || line.rfind("browser", 0) == 0) continue;
            std::istringstream fields(line);
            std::string chrom, b, e;
            const std::string where = spec + ": line " + std::to_string(number);
            std::int64_t begin = 0, end = 0;
            if (!(fields >> chrom >> b >> e) || !parse_int(b, begin) || !parse_int(e, end) || begin < 0 || end < begin)
                throw input_error(where + ": want CHROM START END (0-based, END >= START)");
            int c = contig_index(chrom, where);
            inside(c, begin, where);
            out.push_back({c, begin, std::min(end, lengths[static_cast<std::size_t>(c)])});
        }
        if (out.empty()) throw input_error(spec + ": BED file without any region");
    } else {
        std::string item;
        std::istringstream list(spec);
        while (std::getline(list, item, ',')) {
            if (item.empty()) continue;
            const std::string where = "--regions " + item;
            auto colon = item.rfind(':');
            if (colon == std::string::npos || std::find(contigs.begin(), contigs.end(), item) != contigs.end()) {
                int c = contig_index(item, where);
                out.push_back({c, 0, lengths[static_cast<std::size_t>(c)]});
                continue;
            }
            int c = contig_index(item.substr(0, colon), where);
            std::string range = item.substr(colon + 1);
            auto dash = range.find('-');
            std::int64_t beg = 0, end = 0;
            if (dash == std::string::npos || !parse_int(range.substr(0, dash), beg) || !parse_int(range.substr(dash + 1), end) ||
                beg < 1 || end < beg)
                throw input_error(where + ": want CHR:BEG-END, 1-based and inclusive");
            inside(c, beg - 1, where);
            out.push_back({c, beg - 1, std::min(end, lengths[static_cast<std::size_t>(c)])});
        }
        if (out.empty()) throw input_error("--regions '" + spec + "': no region given (and no such BED file)");
    }
    std::sort(out.begin(), out.end(), [](const region& a, const region& b) {
        return std::tie(a.contig, a.begin, a.end) < std::tie(b.contig, b.begin, b.end);
    });
    std::vector<region> merged;
    for (const auto& r : out) {
        if (r.begin >= r.end) continue;
        if (!merged.empty() && merged.back().contig == r.contig && r.begin <= merged.back().end)
            merged.back().end = std::max(merged.back().end, r.end);
        else
            merged.push_back(r);
    }
    return merged;
}

}  // namespace precis::call::detail
