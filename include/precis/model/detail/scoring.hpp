#pragma once
// Internal: raw score sums of one input kind, before percentiles and risks are added.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/core/log.hpp"
#include "precis/model/score.hpp"

namespace precis::model::detail {

/// Per-sample sums of weight x effect-allele dosage and how many weighted variants were matched.
struct raw_scores {
    std::vector<std::string> samples;
    std::vector<double> raw;
    std::int64_t matched = 0;
};

/// Dosage of the effect allele to use for a missing genotype: 2 x its frequency when known, else 0.
inline double missing_dosage(const weighted_variant& v) { return v.effect_frequency >= 0 ? 2 * v.effect_frequency : 0.0; }

/// Scores every sample of a VCF/BCF (serial). Variants match on contig (normalise_contig), position and
/// alleles: the effect allele (and the other allele when given) must be alleles of the record.
raw_scores score_vcf(const std::filesystem::path& vcf, const score_weights& w, bool absent_is_reference,
                     const logger& log);

}  // namespace precis::model::detail
