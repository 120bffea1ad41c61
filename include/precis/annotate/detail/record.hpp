#pragma once
// Annotation of one VCF record: CSQ and known-variant INFO, the VCF text line, TSV and findings rows.
#include <htslib/vcf.h>

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "precis/annotate/consequence.hpp"
#include "precis/annotate/gene_model.hpp"
#include "precis/annotate/known_variants.hpp"

namespace precis::annotate::detail {

/// Read-only inputs shared by all threads.
struct record_context {
    const gene_model* genes = nullptr;
    const genome_map* genome = nullptr;
    /// The sequence of each input-header contig id (null when absent from the FASTA or from this rank's
    /// share); ids beyond it are looked up in `genome` by name.
    std::vector<const std::string*> sequences;
    const known_variants* known = nullptr;
    const std::unordered_set<std::string>* panel = nullptr;  ///< empty set: no panel
    const bcf_hdr_t* in_header = nullptr;
    bcf_hdr_t* out_header = nullptr;  ///< input header plus the INFO fields precis adds
    std::vector<std::string> samples;
    std::string file;  ///< the input VCF, for messages
    bool want_tsv = false;
    bool want_findings = false;
    bool haplotypes = false;  ///< combine phased alleles in the same codon / frame-restoring indels (HCSQ)
};

/// One annotated ALT allele of a record.
struct allele_result {
    int allele = 0;  ///< ALT index, 1-based
    allele_change change;  ///< minimal, left-aligned
    std::string shown;     ///< VEP's allele string
    std::vector<transcript_effect> effects;  ///< one per transcript within 5 kb
    std::size_t picked = 0;
    const clinvar_entry* cv = nullptr;
};

/// A haplotype-combined effect that replaces the effect of `allele` for `sample` (findings).
struct effect_override {
    std::size_t sample = 0;
    int allele = 0;
    int haplotype = 0;  ///< 1-based
    bool leading = false;  ///< the allele is the compound's first member (genomic order): its row carries it
    const transcript_effect* effect = nullptr;  ///< owned by the chunk's compound list
};

/// Everything one record produces (analyse_record fills the first part, finish_record the text).
struct record_output {
    std::vector<allele_result> results;
    std::vector<int> genotypes;  ///< GT of every sample (ploidy values each), when samples are needed
    std::vector<std::int32_t> phase_sets;  ///< FORMAT/PS per sample (haplotype pass; empty when the record has none)
    int ploidy = 0;
    std::string_view seq;  ///< the contig sequence (empty when unusable)
    std::string hcsq;      ///< HCSQ entries for this record, ','-joined
    std::vector<effect_override> overrides;
    std::string vcf_line;   ///< with newline
    std::string tsv;        ///< rows with newlines
    std::string findings;   ///< rows with newlines
    std::vector<std::pair<std::string, std::string>> problems;  ///< (kind, message)
    std::int64_t alleles = 0, entries = 0, finding_rows = 0;
    /// Empties the output for the next record, keeping the string capacities.
    void clear() {
        results.clear(), genotypes.clear(), phase_sets.clear(), ploidy = 0, seq = {}, hcsq.clear(), overrides.clear();
        vcf_line.clear(), tsv.clear(), findings.clear(), problems.clear();
        alleles = entries = finding_rows = 0;
    }
};

/// Adds the output INFO fields to `header` (CSQ, CLNSIG, ..., POP_AF_*).
void add_header_lines(bcf_hdr_t* header, const known_variants& known);

/// Normalises the alleles of `rec` (unpacked BCF_UN_ALL against ctx.in_header), predicts their effects and
/// looks up ClinVar (out.results, problems, genotypes). Thread-safe for distinct records. `number`
/// (1-based record number in the file, or 0 for a record read by region) names the record in messages:
/// "FILE: record N (CHROM:POS)", or "FILE: CHROM:POS" when it is 0.
/// `sequence`, when given, is the record's contig (otherwise it is looked up in ctx).
void analyse_record(const record_context& ctx, bcf1_t* rec, std::int64_t number, record_output& out,
                    const std::string* sequence = nullptr);
/// Adds CSQ (and HCSQ, known-variant INFO) to `rec` and formats the VCF line, TSV rows and findings from
/// an analysed `out` (after the haplotype pass filled hcsq and overrides).
void finish_record(const record_context& ctx, bcf1_t* rec, std::int64_t number, record_output& out);

/// The HCSQ sub-field names, '|'-separated.
const char* hcsq_format();

/// TSV header lines (with newline).
std::string tsv_header();
std::string findings_header();

}  // namespace precis::annotate::detail
