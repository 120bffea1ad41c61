#include "precis/h5/sample_table.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <unordered_map>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::h5 {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        std::size_t tab = line.find('\t', start);
        out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) return out;
        start = tab + 1;
    }
}

bool is_missing(const std::string& field) {
    return field.empty() || field == "NA" || field == "NaN" || field == "nan" || field == ".";
}

}  // namespace

sample_table read_sample_table(const std::filesystem::path& path, const std::vector<std::string>& samples) {
    require_readable_file(path, "table");
    const std::string file = path.string();
    std::ifstream in(path);
    if (!in) throw input_error(file + ": cannot open");

    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < samples.size(); ++i) index.emplace(samples[i], i);

    sample_table table;
    std::string line;
    std::int64_t line_no = 0;
    bool have_header = false;
    std::set<std::string> seen;
    std::size_t matched = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        auto fields = split_tabs(line);
        const std::string where = "line " + std::to_string(line_no);
        if (!have_header) {
            const std::string& first = fields[0];
            if (first != "sample_id" && first != "IID" && first != "#IID" && first != "sample")
                throw input_error::at(file, where + ", column 1",
                                      "no header: the first column must be named sample_id, IID, #IID or sample, "
                                      "found '" + first + "'");
            if (fields.size() < 2) throw input_error::at(file, where, "the header names no value columns");
            std::set<std::string> names;
            for (std::size_t c = 1; c < fields.size(); ++c) {
                const std::string& name = fields[c];
                std::string at = where + ", column " + std::to_string(c + 1);
                if (name.empty() || name == "." || name.find('/') != std::string::npos)
                    throw input_error::at(file, at, "invalid column name '" + name + "' (empty, '.' or with '/')");
                if (!names.insert(name).second) throw input_error::at(file, at, "duplicate column name '" + name + "'");
                table.names.push_back(name);
            }
            table.values.assign(table.names.size(),
                                std::vector<double>(samples.size(), std::numeric_limits<double>::quiet_NaN()));
            have_header = true;
            continue;
        }
        if (fields.size() != table.names.size() + 1)
            throw input_error::at(file, where, std::to_string(fields.size()) + " fields, the header has " +
                                                   std::to_string(table.names.size() + 1));
        const std::string& id = fields[0];
        if (id.empty()) throw input_error::at(file, where + ", column 1", "empty sample ID");
        if (!seen.insert(id).second) throw input_error::at(file, where + ", column 1", "duplicate sample '" + id + "'");
        auto it = index.find(id);
        if (it == index.end()) {
            ++table.unknown_samples;
        } else {
            ++matched;
        }
        for (std::size_t c = 1; c < fields.size(); ++c) {
            const std::string& field = fields[c];
            double value = std::numeric_limits<double>::quiet_NaN();
            if (!is_missing(field)) {
                char* end = nullptr;
                errno = 0;
                value = std::strtod(field.c_str(), &end);
                if (end != field.c_str() + field.size() || errno == ERANGE || !std::isfinite(value))
                    throw input_error::at(file, where + ", column " + std::to_string(c + 1) + " (" + table.names[c - 1] + ")",
                                          "not a finite number: '" + field + "'");
            }
            if (it != index.end()) table.values[c - 1][it->second] = value;
        }
    }
    if (in.bad()) throw input_error(file + ": read error");
    if (!have_header) throw input_error::at(file, "line 1", "no header (the file is empty)");
    table.missing_samples = static_cast<std::int64_t>(samples.size() - matched);
    return table;
}

}  // namespace precis::h5
