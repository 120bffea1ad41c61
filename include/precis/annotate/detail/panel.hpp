#pragma once
// The --panel gene list: reading it, and the entries the gene model does not know.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "precis/annotate/gene_model.hpp"

namespace precis::annotate::detail {

/// The genes of a --panel file, in file order without repeats: the first whitespace-separated field of
/// each line (the rest, such as a tab-separated note, is ignored). A UTF-8 byte order mark is skipped,
/// `#` starts a comment, blank lines are ignored. Throws input_error naming the file when it lists no gene.
std::vector<std::string> read_panel(const std::filesystem::path& path);

/// The panel entries that are neither a gene symbol nor a gene id of `genes` (case-sensitive, as findings
/// match them), in panel order, each with the model's spelling of a symbol or id that differs from it only
/// in case ("" when there is none).
std::vector<std::pair<std::string, std::string>> unmatched_panel_genes(const std::vector<std::string>& panel,
                                                                      const gene_model& genes);

}  // namespace precis::annotate::detail
