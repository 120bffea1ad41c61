#include "precis/io/hts_handles.hpp"

#include <htslib/bgzf.h>
#include <htslib/hts_log.h>

#include <algorithm>
#include <fstream>

#include "precis/core/error.hpp"

namespace precis::io {

bcf1_ptr make_bcf_record() {
    bcf1_ptr rec(bcf_init());
    if (!rec) throw runtime_failure("out of memory allocating a VCF record");
    return rec;
}

bam1_ptr make_bam_record() {
    bam1_ptr rec(bam_init1());
    if (!rec) throw runtime_failure("out of memory allocating a BAM record");
    return rec;
}

void set_hts_verbosity(bool debug) { hts_set_log_level(debug ? HTS_LOG_WARNING : HTS_LOG_OFF); }

namespace {
int no_read(BGZF*, void*, void*, int*, hts_pos_t*, hts_pos_t*) { return -1; }  // offsets only: never read
}  // namespace

void check_index_fits(const std::filesystem::path& path, hts_idx_t* idx, bool indexed_to_end) {
    if (!idx || hts_idx_fmt(idx) == HTS_FMT_CRAI) return;
    std::uint64_t end = 0;  // virtual offset just past the last indexed record
    for (int tid = 0; tid < hts_idx_nseq(idx); ++tid) {
        hts_itr_ptr itr(hts_itr_query(idx, tid, 0, HTS_POS_MAX, no_read));
        for (int i = 0; itr && i < itr->n_off; ++i) end = std::max(end, itr->off[i].v);
    }
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (end == 0 || ec) return;
    auto mismatch = [&](const std::string& why) {
        return input_error(path.string() + ": its index does not match the file (" + why +
                           "; built for another file, or before the file changed): rebuild it (bcftools index, tabix or "
                           "samtools index)");
    };
    std::uint64_t at = end >> 16, skip = end & 0xffff;
    if (at > size) throw mismatch("it points past the end of the file");
    if (!indexed_to_end) return;
    // The record ends at a BGZF block start, and nothing follows it: the rest of its block and every later
    // block are empty (the end-of-file block, or an empty block before it).
    std::ifstream file(path, std::ios::binary);
    for (bool first = true; at < size; first = false) {
        unsigned char header[18];
        if (!file.seekg(static_cast<std::streamoff>(at)) || !file.read(reinterpret_cast<char*>(header), sizeof header)) return;
        if (header[0] != 31 || header[1] != 139 || header[3] != 4 || header[12] != 'B' || header[13] != 'C') {
            if (first) throw mismatch("its last offset, byte " + std::to_string(at) + ", is not the start of a BGZF block");
            return;  // a damaged file: the reader reports it
        }
        const std::uint64_t block_size = (header[16] | (header[17] << 8)) + 1u;
        unsigned char tail[4];
        if (!file.seekg(static_cast<std::streamoff>(at + block_size - 4)) || !file.read(reinterpret_cast<char*>(tail), 4)) return;
        const std::uint64_t data = tail[0] | (tail[1] << 8) | (tail[2] << 16) | (static_cast<std::uint64_t>(tail[3]) << 24);
        if (data > skip) throw mismatch("records follow the last one it indexes, at byte " + std::to_string(at));
        skip = 0;
        at += block_size;
    }
}

static bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string write_mode_for(const std::string& path) {
    if (ends_with(path, ".vcf.gz") || ends_with(path, ".vcf.bgz")) return "wz";
    if (ends_with(path, ".bcf") || ends_with(path, ".bam")) return "wb";
    if (ends_with(path, ".vcf") || ends_with(path, ".sam")) return "w";
    if (ends_with(path, ".cram")) return "wc";
    if (ends_with(path, ".fq.gz") || ends_with(path, ".fastq.gz")) return "wfz";
    if (ends_with(path, ".fq") || ends_with(path, ".fastq")) return "wf";
    throw input_error(path + ": cannot tell the output format from the name (use .vcf.gz, .bcf, .vcf, .bam, "
                      ".cram, .sam, .fq.gz or .fq)");
}

}  // namespace precis::io
