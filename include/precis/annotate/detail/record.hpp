#pragma once
// Annotation of one VCF record: CSQ and known-variant INFO, the VCF text line, TSV and findings rows.
#include <htslib/vcf.h>

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

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
};

/// Everything one record produces.
struct record_output {
    std::string vcf_line;   ///< with newline
    std::string tsv;        ///< rows with newlines
    std::string findings;   ///< rows with newlines
    std::vector<std::pair<std::string, std::string>> problems;  ///< (kind, message)
    std::int64_t alleles = 0, entries = 0, finding_rows = 0;
    /// Empties the output for the next record, keeping the string capacities.
    void clear() {
        vcf_line.clear(), tsv.clear(), findings.clear(), problems.clear();
        alleles = entries = finding_rows = 0;
    }
};

/// Adds the output INFO fields to `header` (CSQ, CLNSIG, ..., POP_AF_*).
void add_header_lines(bcf_hdr_t* header, const known_variants& known);

/// Annotates `rec` (unpacked BCF_UN_ALL against ctx.in_header) and formats it. Thread-safe for distinct
/// records. `number` (1-based record number in the file) names the record in messages.
void annotate_record(const record_context& ctx, bcf1_t* rec, std::int64_t number, record_output& out);

/// TSV header lines (with newline).
std::string tsv_header();
std::string findings_header();

}  // namespace precis::annotate::detail
