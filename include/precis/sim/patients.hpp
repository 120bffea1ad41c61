#pragma once
/// Patients: extra individuals of the cohort model with planted pathogenic variants, their truth VCF,
/// haplotype sequences and simulated Illumina-like paired-end reads.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/sim/clinvar.hpp"
#include "precis/sim/cohort.hpp"
#include "precis/sim/phenotype.hpp"
#include "precis/sim/quality_profile.hpp"

namespace precis::sim {

/// A variant of one patient with its phased alleles (0 = REF, k = k-th ALT) on haplotypes 1 and 2.
struct patient_variant {
    variant_site site;
    int allele[2] = {0, 0};
    bool planted = false;
};

struct patient {
    std::string id;        ///< P0001, ...
    int individual = 0;    ///< index into the cohort (>= cohort.samples)
    std::vector<std::size_t> planted;       ///< indices into the known variants
    std::vector<patient_variant> variants;  ///< sorted, non-overlapping on each haplotype
};

/// Builds the patients: P0001 gets one planted pathogenic known variant (heterozygous, haplotype 1);
/// every other patient gets one with probability 1/2. Cohort variants overlapping a planted one on the
/// same haplotype are removed from that haplotype.
std::vector<patient> make_patients(const cohort& c, const std::vector<known_variant>& known, std::uint64_t seed);

/// One haplotype of one contig: its sequence and, per base, the 0-based reference position it comes
/// from (inserted bases map to their anchor base).
struct haplotype_sequence {
    std::string sequence;
    std::vector<std::uint32_t> ref_pos;
};

/// Applies the patient's alleles on haplotype `hap` (0 or 1) to contig `contig` of `g`, up to the end
/// of the contig's sequence.
haplotype_sequence build_haplotype(const genome& g, const std::vector<patient_variant>& variants, int contig, int hap);

/// Options of the read simulator.
struct read_options {
    int read_length = 150;
    double coverage = 20.0;        ///< mean depth over the usable region, both haplotypes together
    double fragment_mean = 350.0;
    double fragment_sd = 50.0;
    double indel_error_rate = 5e-5;  ///< per base, half insertions half deletions
    /// Empirical qualities of R1 and R2 (learned from real FASTQ); empty: a parametric Illumina curve.
    std::vector<quality_profile> profiles;
};

/// Writes DIR/<id>_R1.fq.gz and _R2.fq.gz: fragments ~ N(mean, sd) drawn uniformly from both
/// haplotypes of the usable ranges (never across N), R1 forward or reverse at random, qualities from
/// the learned profiles (R2 uses the second one if given) or else declining along the read, substitutions
/// drawn with probability 10^(-Q/10), rare indel errors.
/// Read names are `<id>:<contig>:<pos1>:<pos2>:<hap><strand>:<n>`: 1-based reference positions of the
/// leftmost base of R1 and R2, haplotype 1/2, '+' when R1 is on the forward strand. Returns read pairs.
std::int64_t simulate_reads(const genome& g, const patient& p, const read_options& options,
                            const std::filesystem::path& dir, std::uint64_t seed);

}  // namespace precis::sim
