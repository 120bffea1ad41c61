#pragma once
/// VCF/BCF reading (sequential or by indexed region) and writing through HTSlib.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/core/atomic_output.hpp"
#include "precis/io/hts_handles.hpp"

namespace precis::io {

/// A contig declared in a VCF header; length is -1 when the header gives none.
struct contig_info {
    std::string name;
    std::int64_t length = -1;
};

/// Reads a VCF (plain or bgzipped) or BCF file, from the start or from indexed regions.
/// Malformed records raise input_error naming the file, the record number and the fault.
/// Not thread-safe; one reader per thread.
class vcf_reader {
public:
    /// Opens and reads the header. `threads` > 0 adds BGZF decompression threads.
    explicit vcf_reader(const std::filesystem::path& path, int threads = 0);

    const bcf_hdr_t* header() const { return m_header.get(); }
    bcf_hdr_t* header() { return m_header.get(); }
    const std::filesystem::path& path() const { return m_path; }
    std::vector<std::string> samples() const;
    /// Contigs in header order (the order of a sorted file).
    std::vector<contig_info> contigs() const;

    /// Loads the .tbi/.csi index if there is one; returns whether an index is available.
    bool load_index();
    /// Records per contig (header order) from the index statistics; requires load_index().
    std::vector<std::int64_t> indexed_record_counts() const;
    /// Restricts the following next() calls to records whose POS lies in [begin, end) (0-based) on
    /// contig `tid` (a header contig id). Requires load_index().
    void set_region(int tid, std::int64_t begin, std::int64_t end);

    /// Reads the next record into `rec`, unpacked up to `unpack` (BCF_UN_STR, BCF_UN_ALL, ...).
    /// Returns false at the end of the file or region.
    bool next(bcf1_t* rec, int unpack = BCF_UN_STR);
    /// Records returned so far (for messages).
    std::int64_t records_read() const { return m_records; }
    /// "FILE: record N (CHROM:POS)" for messages about the record just read; after set_region() (where
    /// the count no longer starts at the file's first record) "FILE: CHROM:POS", the same at any rank count.
    std::string where(const bcf1_t* rec) const;

private:
    bool read_raw(bcf1_t* rec);
    std::size_t column_count() const;

    std::filesystem::path m_path;
    hts_file_ptr m_file;
    bcf_hdr_ptr m_header;
    hts_idx_ptr m_index;  // BCF (.csi)
    tbx_ptr m_tbx;        // bgzipped VCF (.tbi/.csi)
    hts_itr_ptr m_itr;
    kstring_t m_line{0, 0, nullptr};
    std::int64_t m_region_begin = 0;
    std::int64_t m_region_end = 0;
    std::int64_t m_records = 0;
    bool m_in_region = false;
};

/// Writes VCF/BCF; the format follows the file name (write_mode_for). Writes to a temporary name and
/// moves it, with its index, into place on close(); destroying an unclosed writer removes the temporary.
class vcf_writer {
public:
    /// Takes a copy of `header` and writes it. `threads` > 0 adds BGZF compression threads.
    vcf_writer(const std::filesystem::path& path, const bcf_hdr_t* header, int threads = 0);

    bcf_hdr_t* header() { return m_header.get(); }
    void write(bcf1_t* rec);
    /// Flushes, builds a .tbi (VCF.gz) or .csi (BCF) index when `index`, then moves the file into place.
    void close(bool index = true);

private:
    std::filesystem::path m_path;
    atomic_output m_out;  // declared before m_file: the file closes before an uncommitted temporary goes
    hts_file_ptr m_file;
    bcf_hdr_ptr m_header;
};

}  // namespace precis::io
