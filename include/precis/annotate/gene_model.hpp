#pragma once
/// Gene models read from GFF3 (Ensembl, GENCODE, RefSeq flavours) or GTF, with an overlap index.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace precis::annotate {

/// A genomic interval, 0-based half-open [begin, end).
struct span {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    std::int64_t length() const { return end - begin; }
};

/// One transcript. Exons are sorted by genomic position (ascending whatever the strand); the coding
/// region, when there is one, is [cds_begin, cds_end) in genomic coordinates and includes the stop codon.
struct transcript {
    std::string id;         ///< e.g. ENST00000000001 (without the "transcript:" prefix)
    std::string gene_id;    ///< e.g. ENSG00000000001
    std::string gene_name;  ///< symbol; the gene id when the file gives none
    std::string protein_id; ///< from the CDS lines; the transcript id when absent
    std::string biotype;    ///< protein_coding, lncRNA, nonsense_mediated_decay, ...
    std::string contig;
    char strand = '+';
    bool canonical = false;  ///< Ensembl_canonical tag (or RefSeq Select)
    bool mane = false;       ///< MANE_Select tag
    std::vector<span> exons;
    std::int64_t cds_begin = -1;  ///< -1 when non-coding
    std::int64_t cds_end = -1;
    int cds_start_phase = 0;  ///< phase of the first CDS base in transcript order (0 for complete ORFs)
    bool coding() const { return cds_begin >= 0; }
    std::int64_t begin() const { return exons.front().begin; }
    std::int64_t end() const { return exons.back().end; }
};

/// Counts (and first examples) of what the reader skipped, by reason.
struct gene_model_summary {
    std::int64_t lines = 0;
    std::int64_t genes = 0;
    std::int64_t transcripts = 0;
    std::int64_t coding_transcripts = 0;
    std::map<std::string, std::int64_t> skipped;      ///< reason -> count
    std::vector<std::string> examples;                 ///< the first few skipped items with their line
};

/// Transcripts of one annotation file, indexed for overlap queries. Immutable after construction:
/// concurrent queries are thread-safe.
class gene_model {
public:
    gene_model() = default;
    /// Builds the model from already parsed transcripts (tests); indexes them.
    explicit gene_model(std::vector<transcript> transcripts);

    /// Transcripts whose span widened by `flank` bases on both sides overlaps [begin, end) of `contig`,
    /// in file order. `begin == end` (an insertion point) overlaps spans that contain it strictly
    /// inside or touch it.
    std::vector<const transcript*> overlapping(const std::string& contig, std::int64_t begin, std::int64_t end,
                                               std::int64_t flank) const;
    const std::vector<transcript>& transcripts() const { return m_transcripts; }
    gene_model_summary& summary() { return m_summary; }
    const gene_model_summary& summary() const { return m_summary; }

private:
    struct contig_index {
        std::vector<std::size_t> order;         // transcripts sorted by begin
        std::vector<std::int64_t> max_end;      // running max of end along `order`
    };
    std::vector<transcript> m_transcripts;
    std::map<std::string, contig_index> m_index;
    std::int64_t m_max_span = 0;
    gene_model_summary m_summary;
};

/// Reads GFF3 or GTF (detected per line: GTF attributes look like `gene_id "..."`; plain or gzipped).
/// Transcripts on contigs not in `known_contigs` (the FASTA's), without exons, with a missing parent,
/// or with a CDS whose length is not a multiple of 3 (unless tagged cds_end_NF, cds_start_NF or
/// mRNA_end_NF) are skipped and counted in summary(); malformed lines are counted and skipped, or throw
/// input_error naming the file and line when `strict`. With `contig_lengths` (parallel to
/// `known_contigs`), transcripts reaching past their contig's end are skipped too (an error when `strict`).
gene_model read_gene_model(const std::filesystem::path& path, const std::vector<std::string>& known_contigs,
                           bool strict, const std::vector<std::int64_t>& contig_lengths = {});

}  // namespace precis::annotate
