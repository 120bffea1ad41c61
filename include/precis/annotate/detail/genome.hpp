#pragma once
// Reference sequences for annotate: whole contigs, upper case, read sequentially.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "precis/annotate/known_variants.hpp"

namespace precis::annotate::detail {

/// Every contig name of the FASTA at `path` into `names` (file order), and the sequences of `wanted`
/// (all when null), upper case. The .fai is used (built when missing) for the names and lengths; the
/// bases are read in one sequential pass over HTSlib's BGZF (plain, gzip or bgzip),
/// moving whole lines (memchr + memcpy), several times faster than faidx's per-base reads or kseq for whole contigs. Throws input_error
/// when a sequence's length disagrees with the index.
genome_map load_genome(const std::filesystem::path& path, std::vector<std::string>& names,
                       const std::unordered_set<std::string>* wanted);

/// Contig sequences loaded one at a time (upper case), for a rank that needs only some contigs and should
/// not hold them all: the next contigs of the file by a forward pass (whole lines over BGZF); a contig
/// earlier in the file, or one after a longer stretch of others, by faidx where the .fai puts it. Names
/// and lengths come from the .fai (built when missing). Not thread-safe.
class reference_stream {
public:
    explicit reference_stream(const std::filesystem::path& path);
    ~reference_stream();
    reference_stream(const reference_stream&) = delete;
    reference_stream& operator=(const reference_stream&) = delete;
    /// Contig names in file order.
    const std::vector<std::string>& names() const { return m_names; }
    /// The upper-case sequence of `contig`; throws input_error when it is missing or disagrees with the .fai.
    std::string load(const std::string& contig);

private:
    struct state;
    std::filesystem::path m_path;
    std::vector<std::string> m_names;
    std::vector<std::int64_t> m_lengths;
    std::unique_ptr<state> m_state;
    int m_next = 0;  // index in m_names of the next sequence the open stream will return
};

}  // namespace precis::annotate::detail
