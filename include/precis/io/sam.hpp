#pragma once
/// SAM/BAM/CRAM reading (sequential or indexed region) and writing through HTSlib.
#include <cstdint>
#include <filesystem>
#include <string>

#include "precis/core/atomic_output.hpp"
#include "precis/io/hts_handles.hpp"

namespace precis::io {

/// Reads alignments. `reference` is needed for CRAM whose reference is not reachable by MD5.
class sam_reader {
public:
    explicit sam_reader(const std::filesystem::path& path, const std::filesystem::path& reference = {},
                        int threads = 0);

    const sam_hdr_t* header() const { return m_header.get(); }
    const std::filesystem::path& path() const { return m_path; }
    /// Loads the .bai/.csi/.crai index; returns whether there is one.
    bool load_index();
    /// Restricts next() to alignments overlapping [begin, end) (0-based) on reference `tid`.
    void set_region(int tid, std::int64_t begin, std::int64_t end);
    /// Returns false at the end of the file or region; throws input_error on a malformed record, naming
    /// its number in the file or, after set_region() (so the same at any rank count), the region.
    bool next(bam1_t* rec);

private:
    std::filesystem::path m_path;
    hts_file_ptr m_file;
    sam_hdr_ptr m_header;
    hts_idx_ptr m_index;
    hts_itr_ptr m_itr;
    std::int64_t m_records = 0;
    std::string m_region;  // "CHROM:BEGIN-END" after set_region()
};

/// Writes SAM/BAM/CRAM by file name; temporary name moved into place, with its index, by close().
class sam_writer {
public:
    sam_writer(const std::filesystem::path& path, const sam_hdr_t* header,
               const std::filesystem::path& reference = {}, int threads = 0);

    void write(const bam1_t* rec);
    /// Closes, builds a .bai (BAM) or .crai (CRAM) index when `index` (the input must then be
    /// coordinate-sorted), and moves the files into place.
    void close(bool index = true);

private:
    std::filesystem::path m_path;
    atomic_output m_out;  // declared before m_file: the file closes before an uncommitted temporary goes
    hts_file_ptr m_file;
    sam_hdr_ptr m_header;
};

}  // namespace precis::io
