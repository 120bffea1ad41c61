#pragma once
/// Indexed FASTA access (plain or bgzipped) through HTSlib's faidx.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/io/hts_handles.hpp"

namespace precis::io {

/// Random access to a FASTA file. Builds the .fai (and .gzi for bgzipped input) next to the file when
/// missing. Not thread-safe: use one reader per thread.
class fasta_reader {
public:
    /// Throws input_error when the file is missing, not FASTA, or malformed (e.g. uneven line lengths).
    explicit fasta_reader(const std::filesystem::path& path);

    int contig_count() const;
    std::string contig_name(int index) const;
    /// Length in bases; throws input_error for an unknown contig.
    std::int64_t contig_length(const std::string& contig) const;
    bool has_contig(const std::string& contig) const;
    /// Bases [begin, end) of `contig`, 0-based half-open, as stored (case preserved). `end` is clipped
    /// to the contig length.
    std::string fetch(const std::string& contig, std::int64_t begin, std::int64_t end) const;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    faidx_ptr m_fai;
};

/// Writes `sequences` as FASTA (60 bases a line) to `path` atomically and builds its .fai.
/// `names` and `sequences` have equal length.
void write_fasta(const std::filesystem::path& path, const std::vector<std::string>& names,
                 const std::vector<std::string>& sequences);

}  // namespace precis::io
