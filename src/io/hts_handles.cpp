#include "precis/io/hts_handles.hpp"

#include <htslib/hts_log.h>

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
