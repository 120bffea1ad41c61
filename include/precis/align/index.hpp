#pragma once
/// The aligner's on-disk reference index: reference bases plus a minimizer hash table, memory-mapped.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace precis::align {

/// A base position in the concatenated reference (all contigs end to end), 0-based.
using ref_pos = std::int64_t;

/// Index entries are 64 bits: (low hash bits << (position_bits + 1)) | (position << 1) | reverse.
/// 33 position bits hold 8.6 Gb of reference (a human genome with alt contigs and decoys is ~3.2 Gb); the
/// remaining 30 bits hold the hash bits the bucket does not, so buckets need at least 2k - 30 bits.
inline constexpr int position_bits = 33;
inline constexpr int entry_hash_bits = 64 - 1 - position_bits;
inline constexpr ref_pos max_reference_length = ref_pos{1} << position_bits;
constexpr std::uint64_t pack_entry(std::uint64_t low_hash, ref_pos position, bool reverse) {
    return (low_hash << (position_bits + 1)) | (static_cast<std::uint64_t>(position) << 1) | (reverse ? 1u : 0u);
}
constexpr ref_pos entry_position(std::uint64_t e) {
    return static_cast<ref_pos>((e >> 1) & ((std::uint64_t{1} << position_bits) - 1));
}
constexpr bool entry_reverse(std::uint64_t e) { return (e & 1) != 0; }
constexpr std::uint64_t entry_low_hash(std::uint64_t e) { return e >> (position_bits + 1); }

/// How `precis index` builds an index (docs/align.md).
struct index_options {
    std::filesystem::path reference;  ///< FASTA, plain or gzipped; any number of contigs
    std::filesystem::path out;        ///< index file (default: REFERENCE.pidx)
    int k = 21;                       ///< minimizer length (<= 28)
    int w = 11;                       ///< minimizer window (k-mers)
};

/// What building cost, for the log and the benchmark.
struct index_build_stats {
    double seconds = 0;
    std::int64_t bases = 0;
    std::int64_t minimizers = 0;
    std::int64_t peak_rss_bytes = 0;
};

/// Default index path for a reference: REFERENCE.pidx next to it.
std::filesystem::path default_index_path(const std::filesystem::path& reference);

/// Builds the index with TBB threads and writes it atomically. Bases other than ACGT (N runs and IUPAC
/// codes) are kept as they are in the stored reference (upper-cased) and never seeded. Throws
/// input_error for a missing, empty or malformed FASTA or duplicate contig names.
index_build_stats build_index(const index_options& options);

/// A contig of the index: name, length and offset in the concatenated reference.
struct contig {
    std::string name;
    std::int64_t length = 0;
    std::int64_t offset = 0;
};

/// A minimizer of a sequence: canonical hash, position of its k-mer and whether the canonical k-mer
/// is the reverse complement of the sequence's k-mer there.
struct minimizer {
    std::uint64_t hash;
    std::uint32_t position;
    bool reverse;
};

/// A loaded (memory-mapped, read-only) index. Thread-safe for concurrent lookups.
class genome_index {
public:
    /// Maps `path`; throws input_error when it is missing, not a precis index, or (when
    /// `reference` is given) built from a different reference file than `reference` (SHA-256).
    genome_index(const std::filesystem::path& path, const std::filesystem::path& reference);
    ~genome_index();
    genome_index(const genome_index&) = delete;
    genome_index& operator=(const genome_index&) = delete;

    int k() const { return m_k; }
    int w() const { return m_w; }
    const std::vector<contig>& contigs() const { return m_contigs; }
    /// Index of the contig holding concatenated position `pos`.
    int contig_of(std::int64_t pos) const;
    /// Upper-case reference bases, concatenated; contig i occupies [offset, offset + length).
    const char* bases() const { return m_bases; }
    std::int64_t total_length() const { return m_total; }
    /// SHA-256 of the reference file the index was built from.
    const std::string& reference_sha256() const { return m_sha; }
    /// Occurrences of a canonical minimizer hash (empty when absent), each a pack_entry(): decode with
    /// entry_position() / entry_reverse(), where reverse says the reference k-mer is the reverse
    /// complement of the canonical one.
    std::span<const std::uint64_t> lookup(std::uint64_t hash) const;
    /// lookup() of `n` minimizers at once, out[i] for mins[i]: the same answers, with the memory reads of
    /// all of them issued ahead (prefetch) instead of one dependent cache miss after another.
    void lookup_many(const minimizer* mins, std::size_t n, std::span<const std::uint64_t>* out) const;

private:
    void* m_map = nullptr;
    std::size_t m_map_size = 0;
    int m_k = 0, m_w = 0, m_bucket_bits = 0;
    std::vector<contig> m_contigs;
    std::string m_sha;
    const char* m_bases = nullptr;
    std::int64_t m_total = 0;
    const std::uint64_t* m_buckets = nullptr;  // 2^bits + 1 offsets into m_entries
    const std::uint64_t* m_entries = nullptr;  // pack_entry(low hash bits, position, reverse), sorted
};

/// Computes the (w,k) minimizers of `seq` (any case; non-ACGT bases break k-mers). Appends to `out`.
void compute_minimizers(std::string_view seq, int k, int w, std::vector<minimizer>& out);

}  // namespace precis::align
