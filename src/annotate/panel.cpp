// The --panel gene list.
#include "precis/annotate/detail/panel.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "precis/core/error.hpp"

namespace precis::annotate::detail {

namespace {

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::vector<std::string> read_panel(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path.string() + ": cannot open the --panel file");
    std::vector<std::string> panel;
    std::unordered_set<std::string> seen;
    std::string line;
    for (bool first = true; std::getline(in, line); first = false) {
        if (first && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a UTF-8 byte order mark (spreadsheet exports)
        line.erase(std::min(line.find('#'), line.size()));
        const auto b = line.find_first_not_of(" \t\r\f\v");
        if (b == std::string::npos) continue;
        std::string gene = line.substr(b, line.find_first_of(" \t\r\f\v", b) - b);
        if (seen.insert(gene).second) panel.push_back(std::move(gene));
    }
    if (panel.empty()) throw input_error(path.string() + ": --panel lists no genes");
    return panel;
}

std::vector<std::pair<std::string, std::string>> unmatched_panel_genes(const std::vector<std::string>& panel,
                                                                      const gene_model& genes) {
    std::unordered_set<std::string> names;
    for (const transcript& t : genes.transcripts()) names.insert(t.gene_name), names.insert(t.gene_id);
    std::vector<std::pair<std::string, std::string>> unmatched;
    for (const auto& gene : panel)
        if (!names.count(gene)) unmatched.emplace_back(gene, "");
    if (unmatched.empty()) return unmatched;
    std::unordered_map<std::string, std::string> by_upper;  // the first spelling in the model's order
    for (const transcript& t : genes.transcripts()) {
        by_upper.emplace(upper(t.gene_name), t.gene_name);
        by_upper.emplace(upper(t.gene_id), t.gene_id);
    }
    for (auto& [gene, hint] : unmatched)
        if (auto it = by_upper.find(upper(gene)); it != by_upper.end()) hint = it->second;
    return unmatched;
}

}  // namespace precis::annotate::detail
