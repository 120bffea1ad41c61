#pragma once
/// PGS Catalog scoring files (format 2.0): writing a model's weights and parsing any scoring file.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "precis/model/risk_model.hpp"

namespace precis::model {

/// A parsed scoring file: header `#key=value` lines and the weighted variants.
struct pgs_score {
    std::map<std::string, std::string> header;  ///< e.g. pgs_id, genome_build, weight_type
    std::vector<weighted_variant> variants;     ///< ref/alt empty; other_allele empty when the file has none
};

/// Writes the nonzero weights of `m` as a PGS Catalog scoring file (columns chr_name chr_position
/// effect_allele other_allele effect_weight allelefrequency_effect) atomically: bgzip-compressed when `path`
/// ends in .gz (readable by any gzip reader), else plain text.
void write_pgs_file(const risk_model& m, const std::filesystem::path& path, const std::string& pgs_id,
                    const std::string& genome_build);

/// Parses a scoring file, plain text or gzip/bgzip-compressed (the Catalog's .txt.gz). Required columns:
/// chr_name, chr_position, effect_allele and effect_weight; other_allele and allelefrequency_effect are
/// used when present. Throws input_error naming the file and line for a missing column, a short row, a
/// non-numeric or non-finite value, or an allelefrequency_effect outside [0, 1] (an empty one is unknown:
/// effect_frequency -1) or a read error (a truncated compressed file), and naming the file for another
/// compression (xz, bzip2, zstd).
pgs_score read_pgs_file(const std::filesystem::path& path);

}  // namespace precis::model
