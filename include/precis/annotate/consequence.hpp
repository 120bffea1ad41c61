#pragma once
/// Sequence Ontology consequences and HGVS of one allele on one transcript.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "precis/annotate/gene_model.hpp"

namespace precis::annotate {

/// SO terms in VEP's severity order (most severe first).
enum class so_term {
    transcript_ablation,
    splice_acceptor_variant,
    splice_donor_variant,
    stop_gained,
    frameshift_variant,
    stop_lost,
    start_lost,
    inframe_insertion,
    inframe_deletion,
    missense_variant,
    protein_altering_variant,
    splice_region_variant,
    incomplete_terminal_codon_variant,
    start_retained_variant,
    stop_retained_variant,
    synonymous_variant,
    coding_sequence_variant,
    five_prime_utr_variant,
    three_prime_utr_variant,
    non_coding_transcript_exon_variant,
    intron_variant,
    nmd_transcript_variant,
    non_coding_transcript_variant,
    upstream_gene_variant,
    downstream_gene_variant,
    intergenic_variant,
};

/// VEP's IMPACT classes.
enum class impact { high, moderate, low, modifier };

/// The SO name, e.g. "5_prime_UTR_variant".
std::string_view name(so_term term);
/// HIGH, MODERATE, LOW or MODIFIER for a term.
impact impact_of(so_term term);
/// "HIGH", "MODERATE", "LOW", "MODIFIER".
std::string_view name(impact value);

/// One allele in minimal form on a contig: [pos, pos + ref.size()) is replaced by alt (0-based).
/// An insertion has an empty ref (inserted before base pos); a deletion an empty alt.
struct allele_change {
    std::int64_t pos = 0;
    std::string ref;
    std::string alt;
    bool is_indel() const { return ref.size() != alt.size() || ref.empty() || alt.empty(); }
};

/// The effect of an allele on one transcript: terms sorted by severity and the VEP columns.
/// Positions are 1-based strings as VEP prints them ("12", "12-14"); empty when not applicable.
struct transcript_effect {
    const transcript* tx = nullptr;
    std::vector<so_term> terms;
    std::string exon, intron;  ///< "3/11"
    std::string hgvs_c, hgvs_p;  ///< "c.35G>A", "p.Arg12Trp" (without the transcript prefix)
    std::string cdna_position, cds_position, protein_position, amino_acids, codons;
    std::int64_t distance = -1;  ///< to the transcript, for upstream/downstream
    /// 0-based CDS coordinates [cds_begin, cds_end) of the change when it lies wholly in the coding exons
    /// (cds_begin == cds_end: an insertion before CDS base cds_begin); -1 otherwise.
    std::int64_t cds_begin = -1, cds_end = -1;
    so_term most_severe() const { return terms.front(); }
};

/// Computes the effect of `change` on `tx`, whose contig sequence is `contig_seq` (upper case).
/// Returns an effect with no terms when the allele is farther than `flank` bases from the transcript.
/// Pure function; thread-safe.
transcript_effect predict(const transcript& tx, std::string_view contig_seq, const allele_change& change,
                          std::int64_t flank = 5000);

/// The joint effect of several alleles on one haplotype of `tx` (bcftools csq's haplotype-aware
/// consequence): every change must lie wholly in the coding exons and none may overlap another. The
/// changes are applied together to the spliced CDS between the first and the last, and the result is
/// classified like one allele: coding terms, HGVSp, Protein_position, Amino_acids, Codons,
/// CDS_position (first-last). HGVSc lists the individual c. changes in cis: "c.[4C>T;6G>A]". Returns an
/// effect with no terms when the conditions do not hold. Pure function; thread-safe.
transcript_effect predict_combined(const transcript& tx, std::string_view contig_seq, std::vector<allele_change> changes);

/// Reduces REF/ALT at 0-based `pos` to the minimal form (drops the shared suffix, then the shared prefix)
/// and, for indels, left-aligns it against `contig_seq`.
allele_change normalise(std::string_view contig_seq, std::int64_t pos, std::string_view ref, std::string_view alt);

/// Standard-code translation of a DNA string (upper case), one letter per codon, '*' for stops, 'X' for
/// codons with other letters; a trailing partial codon is dropped.
std::string translate(std::string_view dna);
/// "Arg", "Ter" for '*', "Xaa" for unknown.
std::string_view three_letter(char aa);
/// Reverse complement (upper case; other letters become N).
std::string reverse_complement(std::string_view dna);

}  // namespace precis::annotate
