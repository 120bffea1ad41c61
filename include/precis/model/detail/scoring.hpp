#pragma once
// Internal: raw score sums of one input kind, before percentiles and risks are added.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/core/log.hpp"
#include "precis/io/bases.hpp"
#include "precis/model/score.hpp"

namespace precis::model::detail {

using io::same_bases;  // allele strings compare case-insensitively (VCF bases are)

/// Per-sample sums of weight x effect-allele dosage and how many weighted variants were matched.
struct raw_scores {
    std::vector<std::string> samples;
    std::vector<double> raw;
    std::int64_t matched = 0;
    /// Per sample (when asked): every matched variant's contribution, in model order.
    std::vector<std::vector<variant_contribution>> contributions;
};

/// Dosage of the effect allele to use for a missing genotype: 2 x its frequency when known, else 0.
inline double missing_dosage(const weighted_variant& v) { return v.effect_frequency >= 0 ? 2 * v.effect_frequency : 0.0; }

/// Scores every sample of a VCF/BCF (serial). Variants match on contig (normalise_contig), position and
/// alleles: the effect allele (and the other allele when given) must be alleles of the record.
/// With `contributions`, also fills raw_scores::contributions.
raw_scores score_vcf(const std::filesystem::path& vcf, const score_weights& w, bool absent_is_reference,
                     bool contributions, const logger& log);

/// The contribution of `dosage` copies of v's effect allele (see variant_contribution).
inline variant_contribution contribution_of(const weighted_variant& v, double dosage) {
    double centre = v.effect_frequency >= 0 ? 2 * v.effect_frequency : 0.0;
    return {v.chrom, v.pos, v.effect_allele, v.weight, dosage, v.weight * (dosage - centre)};
}

}  // namespace precis::model::detail
