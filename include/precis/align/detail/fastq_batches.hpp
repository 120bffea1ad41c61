#pragma once
// FASTQ batches for MPI ranks: with more than one rank, a first pass on rank 0 validates the files and
// records where every batch starts (BGZF virtual offsets), so each rank reads only its own batches.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/io/hts_handles.hpp"

namespace precis::align::detail {

/// Where each batch of `batch` records (pairs) starts in R1 and R2. When the files are not seekable
/// (plain gzip instead of BGZF) `seekable` is false and readers skip records sequentially instead.
struct batch_plan {
    std::int64_t records = 0;
    std::int64_t batch = 0;
    bool seekable = false;
    std::vector<std::int64_t> offsets1, offsets2;  // one per batch
    std::int64_t batches() const { return batch ? (records + batch - 1) / batch : 0; }
};

/// Reads both files once (HTSlib's FASTQ parser): checks they parse, have the same number of records and
/// matching names (a /1, /2 suffix aside). Throws input_error naming file and record.
batch_plan plan_batches(const std::filesystem::path& r1, const std::filesystem::path& r2, std::int64_t batch);

/// The error for R1 and R2 of different lengths: `common` records in both, then only in the longer file.
std::string unequal_pairs_message(const std::filesystem::path& r1, const std::filesystem::path& r2, std::int64_t common,
                                  bool r2_longer);

/// Serialisation for MPI broadcast.
std::vector<std::int64_t> encode(const batch_plan& p);
batch_plan decode(const std::vector<std::int64_t>& v);

/// One read as parsed by HTSlib.
struct read_record {
    std::string name, seq, qual;  ///< qual: raw Phred values (not +33)
};

/// A FASTQ reader that can jump to a batch start.
class batch_reader {
public:
    explicit batch_reader(const std::filesystem::path& path);
    /// Positions at record `index` (0-based): a seek when possible, otherwise reading forward
    /// (only forward moves are allowed without seeking).
    void go_to(std::int64_t index, std::int64_t voffset, bool seekable);
    /// Reads up to n records; throws input_error on malformed input.
    void read(std::int64_t n, std::vector<read_record>& out);
    std::int64_t position() const { return m_index; }

    /// Next record (nullptr: skip it); false at the end.
    bool next(read_record* rec);
    /// Name of the record next() last read.
    const char* current_name() const;

    friend batch_plan plan_batches(const std::filesystem::path&, const std::filesystem::path&, std::int64_t);

private:
    std::filesystem::path m_path;
    io::hts_file_ptr m_file;
    io::sam_hdr_ptr m_header;
    io::bam1_ptr m_rec;
    std::int64_t m_index = 0;
};

/// Read name without a trailing /1 or /2.
std::string base_name(const std::string& name);

}  // namespace precis::align::detail
