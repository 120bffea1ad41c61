#pragma once
/// unique_ptr aliases with HTSlib deleters: the ownership vocabulary of the io module.
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>

#include <filesystem>
#include <memory>
#include <string>

namespace precis::io {

struct hts_file_closer { void operator()(htsFile* p) const { if (p) hts_close(p); } };
struct bcf_hdr_deleter { void operator()(bcf_hdr_t* p) const { if (p) bcf_hdr_destroy(p); } };
struct bcf1_deleter { void operator()(bcf1_t* p) const { if (p) bcf_destroy(p); } };
struct sam_hdr_deleter { void operator()(sam_hdr_t* p) const { if (p) sam_hdr_destroy(p); } };
struct bam1_deleter { void operator()(bam1_t* p) const { if (p) bam_destroy1(p); } };
struct hts_idx_deleter { void operator()(hts_idx_t* p) const { if (p) hts_idx_destroy(p); } };
struct tbx_deleter { void operator()(tbx_t* p) const { if (p) tbx_destroy(p); } };
struct hts_itr_deleter { void operator()(hts_itr_t* p) const { if (p) hts_itr_destroy(p); } };
struct faidx_deleter { void operator()(faidx_t* p) const { if (p) fai_destroy(p); } };
struct bgzf_closer { void operator()(BGZF* p) const { if (p) bgzf_close(p); } };

using hts_file_ptr = std::unique_ptr<htsFile, hts_file_closer>;
using bcf_hdr_ptr = std::unique_ptr<bcf_hdr_t, bcf_hdr_deleter>;
using bcf1_ptr = std::unique_ptr<bcf1_t, bcf1_deleter>;
using sam_hdr_ptr = std::unique_ptr<sam_hdr_t, sam_hdr_deleter>;
using bam1_ptr = std::unique_ptr<bam1_t, bam1_deleter>;
using hts_idx_ptr = std::unique_ptr<hts_idx_t, hts_idx_deleter>;
using tbx_ptr = std::unique_ptr<tbx_t, tbx_deleter>;
using hts_itr_ptr = std::unique_ptr<hts_itr_t, hts_itr_deleter>;
using faidx_ptr = std::unique_ptr<faidx_t, faidx_deleter>;
using bgzf_ptr = std::unique_ptr<BGZF, bgzf_closer>;

/// A new empty VCF record.
bcf1_ptr make_bcf_record();
/// A new empty SAM/BAM record.
bam1_ptr make_bam_record();

/// Sets HTSlib's own logging: quiet by default so that precis reports one message per fault.
void set_hts_verbosity(bool debug);

/// Throws input_error naming `path` when its index `idx` cannot be this file's: the last record the index
/// knows ends past the end of the file, or records follow it (an index built for another file, or before
/// the file changed: queries through it would silently miss records). Reads the BGZF block headers from
/// that record to the end (one or two blocks for a matching index). `indexed_to_end` false skips the
/// second test (a BAM ending with unplaced reads, which the index does not place). CRAM indexes are not
/// checked.
void check_index_fits(const std::filesystem::path& path, hts_idx_t* idx, bool indexed_to_end = true);

/// HTSlib open mode for writing `path`, chosen by extension: .vcf.gz/.vcf.bgz "wz", .bcf "wb", .vcf "w",
/// .bam "wb", .cram "wc", .sam "w", .fq.gz/.fastq.gz "wfz", .fq/.fastq "wf". Throws input_error for others.
std::string write_mode_for(const std::string& path);

}  // namespace precis::io
