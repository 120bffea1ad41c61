#pragma once
/// The cohort encoding of one genotype: an ALT dosage and phase/ploidy flags, from and to HTSlib GT values.
#include <cstdint>

namespace precis::h5 {

/// Dosage of a call with a missing allele.
inline constexpr std::int8_t dosage_missing = -1;
/// gt_flags bit 0: the call is phased ('|').
inline constexpr std::int8_t gt_phased = 1;
/// gt_flags bit 1: a heterozygote written ALT first (1/0 or 1|0).
inline constexpr std::int8_t gt_alt_first = 2;
/// gt_flags bit 2: a haploid call (one allele; dosage 0 or 1).
inline constexpr std::int8_t gt_haploid = 4;
/// gt_flags bit 3: a diploid call with exactly one missing allele (dosage -1), e.g. ./1.
inline constexpr std::int8_t gt_half_missing = 8;
/// gt_flags bit 4: with gt_half_missing, the called allele is ALT.
inline constexpr std::int8_t gt_called_alt = 16;
/// gt_flags bit 5: with gt_half_missing, the missing allele is written second (1/.).
inline constexpr std::int8_t gt_missing_second = 32;

/// One sample's call in one biallelic row.
struct encoded_genotype {
    std::int8_t dosage = dosage_missing;
    std::int8_t flags = 0;
    bool operator==(const encoded_genotype&) const = default;
};

/// What can be wrong with a GT value.
enum class genotype_fault { none, too_many_alleles, allele_out_of_range };

/// Encodes the GT of one sample, `gt[0..max_ploidy)` in HTSlib's encoding (bcf_gt_*, padded with
/// bcf_int32_vector_end), for the biallelic row of ALT allele `alt` (1-based allele index into the record's
/// alleles; 0 < alt < n_allele, or alt = 1 for a record without ALT): alleles equal to `alt` count as ALT,
/// all other alleles as REF (as `bcftools norm -m-` splits records). Any missing allele makes the dosage
/// -1. A call without any allele is missing and haploid. Returns the fault and leaves `out` unspecified
/// when the GT has more than two alleles or names an allele the record does not have. Thread-safe.
genotype_fault encode_genotype(const std::int32_t* gt, int max_ploidy, int alt, int n_allele, encoded_genotype& out);

/// Rebuilds HTSlib GT values for a biallelic record (allele 0 REF, 1 ALT): writes gt[0] and gt[1]
/// (gt[1] = bcf_int32_vector_end for a haploid call), exactly as encode_genotype saw them: allele order,
/// phase and half-missing calls included. Thread-safe.
void decode_genotype(encoded_genotype g, std::int32_t* gt);

}  // namespace precis::h5
