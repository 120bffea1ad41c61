#pragma once
/// The simulated (or user-given) reference genome: contigs held in memory as upper-case strings.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace precis::sim {

/// Contigs in output order. Positions are 0-based offsets into `sequences[i]`. `begin[i]`/`end[i]`
/// bound the part of each contig where genes and variants are placed (the whole contig unless
/// --ref-region restricts it), 0-based half-open.
struct genome {
    std::vector<std::string> names;
    std::vector<std::string> sequences;
    std::vector<std::int64_t> begin;
    std::vector<std::int64_t> end;

    int size() const { return static_cast<int>(names.size()); }
    int index_of(const std::string& name) const;  ///< -1 when absent
    std::int64_t usable_length() const;           ///< sum of end - begin
};

/// Options of the synthetic genome.
struct genome_options {
    int contigs = 2;                      ///< chr1, chr2, ...
    std::int64_t contig_length = 2'000'000;
};

/// What went into a synthetic genome, for the log and parameters.tsv.
struct genome_summary {
    std::int64_t repeat_bases = 0;       ///< bases covered by interspersed repeat copies
    std::int64_t microsatellite_bases = 0;
    std::int64_t n_bases = 0;
    double gc = 0.0;                      ///< GC fraction of non-N bases
    double cpg_observed_expected = 0.0;
};

/// Builds contigs with isochore-like GC segments (35-55 %), CpG depletion, copies of a few interspersed
/// repeat families (300 bp - 6 kb, 5-20 % divergence, some truncated, both strands), microsatellites and
/// one run of N per contig. Deterministic in `seed`; contigs are built in parallel (TBB).
genome simulate_genome(const genome_options& options, std::uint64_t seed, genome_summary* summary = nullptr);

/// Options for using an existing FASTA as the reference.
struct reference_options {
    std::filesystem::path fasta;
    std::vector<std::string> contigs;  ///< empty: every contig of the file (or of `region`)
    std::string region;                ///< "CHR:BEG-END" (1-based, inclusive) or "CHR"; empty: none
};

/// Loads the selected contigs (upper-cased). With a region, the contig is kept from its first base to
/// the region end, so coordinates stay those of the file, and genes/variants are placed in the region
/// only. Throws input_error naming the file, contig or option on a missing file, unknown contig or bad
/// region.
genome load_reference(const reference_options& options);

/// Reverse complement (A<->T, C<->G, anything else -> N).
std::string reverse_complement(const std::string& s);
/// Complement of one base.
char complement(char base);

}  // namespace precis::sim
