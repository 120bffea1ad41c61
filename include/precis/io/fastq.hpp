#pragma once
/// FASTQ reading and writing (plain or gzipped) through HTSlib.
#include <cstdint>
#include <filesystem>
#include <string>

#include "precis/core/atomic_output.hpp"
#include "precis/io/hts_handles.hpp"

namespace precis::io {

/// One read. `quality` holds Phred+33 characters and has the length of `sequence`.
struct fastq_record {
    std::string name;
    std::string sequence;
    std::string quality;
};

/// Sequential FASTQ reader. A truncated or malformed file raises input_error naming the record.
class fastq_reader {
public:
    explicit fastq_reader(const std::filesystem::path& path, int threads = 0);
    /// Returns false at the end of the file.
    bool next(fastq_record& rec);
    std::int64_t records_read() const { return m_records; }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    hts_file_ptr m_file;
    sam_hdr_ptr m_header;
    bam1_ptr m_rec;
    std::int64_t m_records = 0;
};

/// FASTQ writer; gzip (BGZF) compression when the name ends in .gz. Writes to a temporary name moved
/// into place by close().
class fastq_writer {
public:
    explicit fastq_writer(const std::filesystem::path& path, int threads = 0);

    void write(const fastq_record& rec);
    void close();

private:
    std::filesystem::path m_path;
    atomic_output m_out;  // declared before m_file: the file closes before an uncommitted temporary goes
    hts_file_ptr m_file;
    sam_hdr_ptr m_header;
    bam1_ptr m_rec;
};

}  // namespace precis::io
