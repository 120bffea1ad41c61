#pragma once
/// VCF outputs of the simulator, all written with HTSlib through precis::io::vcf_writer (bgzipped,
/// tabix-indexed, moved into place when complete).
#include <htslib/vcf.h>

#include <filesystem>

#include "precis/sim/cohort.hpp"
#include "precis/sim/patients.hpp"

namespace precis::sim {

/// A header with ##source, ##reference=reference.fa and one ##contig line per contig of `g`.
/// The caller owns the result (bcf_hdr_destroy, or wrap in io::bcf_hdr_ptr).
bcf_hdr_t* make_vcf_header(const genome& g, const std::string& source);

/// cohort.vcf.gz: every site carried by a cohort sample, GT of the cohort samples (S000001, ...),
/// phased ('|') or unphased ('/', alleles in ascending order), ./. for missing genotypes.
/// `threads` > 0 adds BGZF compression threads.
void write_cohort_vcf(const std::filesystem::path& path, const genome& g, const cohort& c, bool phased, int threads);

/// frequencies.vcf.gz: the same sites without samples; INFO AC, AN, AF and AF_<population> computed from
/// the non-missing cohort genotypes.
void write_frequencies_vcf(const std::filesystem::path& path, const genome& g, const cohort& c, int threads);

/// patients/<id>.truth.vcf.gz: the patient's variants with phased GT; INFO PLANTED marks planted
/// known variants.
void write_truth_vcf(const std::filesystem::path& path, const genome& g, const patient& p);

/// Sample id of cohort sample `i` (0-based): S000001, ...
std::string sample_name(int i);

}  // namespace precis::sim
