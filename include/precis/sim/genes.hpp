#pragma once
/// Gene models: protein-coding genes (one or two isoforms) and a few lncRNAs, their placement in a
/// simulated genome (written into it) or on a given reference (found as genuine ORFs), and GFF3 output.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/sim/genome.hpp"

namespace precis::sim {

/// A genomic interval, 0-based half-open.
struct interval {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    std::int64_t length() const { return end - begin; }
};

/// One transcript. Exons are in ascending genomic order whatever the strand. For coding transcripts,
/// [cds_begin, cds_end) is the genomic span of the CDS including the stop codon; -1 for non-coding.
struct transcript {
    std::string id;          ///< ENSSIMT...
    std::string name;        ///< GENE-201
    std::string biotype;     ///< protein_coding or lncRNA
    std::string protein_id;  ///< ENSSIMP... (coding only)
    bool canonical = false;  ///< tag=Ensembl_canonical
    std::vector<interval> exons;
    std::int64_t cds_begin = -1;
    std::int64_t cds_end = -1;

    bool coding() const { return cds_begin >= 0; }
    /// The CDS parts of the exons, ascending genomic order.
    std::vector<interval> cds_segments() const;
};

struct gene {
    std::string id;       ///< ENSSIMG...
    std::string name;     ///< PRCS1, PRCS2, ...
    std::string biotype;  ///< protein_coding or lncRNA
    int number = 0;       ///< numeric gene id (GENEINFO), unique
    int contig = 0;       ///< index into genome
    char strand = '+';
    interval span;
    std::vector<transcript> transcripts;  ///< the canonical one first
};

/// Options of the gene set.
struct gene_options {
    int genes = 40;               ///< protein-coding genes
    double lncrna_fraction = 0.1; ///< lncRNA genes added, as a fraction of `genes` (at least one)
};

/// Counts for the log and parameters.tsv.
struct gene_summary {
    int protein_coding = 0;
    int lncrna = 0;
    int two_isoforms = 0;
    int attempts = 0;        ///< placement attempts (with --ref, most random exon structures hold no ORF)
    int failed_attempts = 0;
};

/// Places genes in the simulated genome `g` and writes their sequence into it: spliced CDS = ATG, sense
/// codons, stop; introns GT...AG; UTRs without upstream ATG. Genes avoid N runs and each other.
/// Deterministic in `seed`. Sorted by contig and start.
std::vector<gene> simulate_genes(genome& g, const gene_options& options, std::uint64_t seed,
                                 gene_summary* summary = nullptr);

/// Places genes on an immutable reference: random GT...AG exon structures whose spliced sequence holds
/// an ORF of at least 300 nt (ATG to the first in-frame stop); attempts that fail are skipped. Fewer genes
/// than asked are returned when the sequence does not allow more within the attempt budget.
std::vector<gene> place_genes_on_reference(const genome& g, const gene_options& options, std::uint64_t seed,
                                           gene_summary* summary = nullptr);

/// The spliced CDS (including the stop codon) in transcript orientation, read from `g`.
std::string spliced_cds(const genome& g, const gene& ge, const transcript& t);
/// Translation with the standard code; '*' for stops, 'X' for codons with N. Trailing bases are ignored.
std::string translate(const std::string& cds);
/// True when `cds` starts with ATG, has length a multiple of 3, and its only stop is the last codon.
bool is_valid_orf(const std::string& cds);

/// Writes Ensembl-flavoured GFF3 atomically: ##gff-version 3, ##sequence-region per contig, then per gene
/// gene/ncRNA_gene, mRNA/lnc_RNA, exon, CDS (with phase), five_prime_UTR, three_prime_UTR and "###".
void write_gff3(const std::filesystem::path& path, const genome& g, const std::vector<gene>& genes);

namespace detail {
/// Tries to add a second isoform skipping one internal coding exon whose length is a multiple of 3,
/// kept only when its CDS is still a valid ORF. Returns whether an isoform was added.
bool add_exon_skipping_isoform(const genome& g, gene& ge);
/// Fills gene span, ids and names from the transcripts. `number` is 1-based.
void name_gene(gene& ge, int number);
}  // namespace detail

}  // namespace precis::sim
