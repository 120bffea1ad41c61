#pragma once
// Haplotype-aware consequences: phased alleles in the same codon, and frame-restoring indels, combined.
#include <htslib/vcf.h>

#include <cstddef>
#include <deque>
#include <utility>
#include <vector>

#include "precis/annotate/detail/record.hpp"

namespace precis::annotate::detail {

/// Alleles of one haplotype combined into one protein change on one transcript.
struct compound {
    const transcript* tx = nullptr;
    std::vector<std::pair<std::size_t, int>> members;     ///< (record index in the chunk, ALT index), genomic order
    transcript_effect effect;                              ///< predict_combined() of the members
    std::vector<std::pair<std::size_t, int>> haplotypes;   ///< (sample index, haplotype 1-based)
};

/// Finds, per sample, haplotype and coding transcript, the alleles of records [0, n) of a chunk that
/// act together: alleles in the same codon (also across an intron), and a frameshift with the alleles up
/// to the one that restores the frame (a frameshift never restored: with every later allele of the
/// haplotype in the transcript, as bcftools csq). A genotype takes part when it is phased (or homozygous, or
/// haploid); phase is assumed to hold along the chunk (PS is not read). Appends the HCSQ entry to the
/// first member record's out.hcsq and the per-sample overrides (all members) used by the findings. `compounds` owns
/// the combined effects and must outlive finish_record(). Deterministic: the result depends on the
/// records of the chunk only.
void combine_haplotypes(const record_context& ctx, bcf1_t* const* recs, record_output* outs, std::size_t n,
                        std::deque<compound>& compounds);

}  // namespace precis::annotate::detail
