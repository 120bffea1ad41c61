#pragma once
/// Haplotypes of a cohort plus extra individuals (the patients), either from a block-wise mosaic model
/// with Balding-Nichols population frequencies or copied (Li-Stephens style) from real phased haplotypes.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/sim/genome.hpp"
#include "precis/sim/variants.hpp"

namespace precis::sim {

/// Options of the cohort genotypes.
struct cohort_options {
    int samples = 1000;            ///< cohort individuals (S000001, ...)
    int extra = 2;                 ///< further individuals from the same populations (the patients)
    int ancestries = 2;            ///< populations
    std::vector<std::string> ancestry_names;  ///< empty: pop1, pop2, ...
    double fst = 0.1;              ///< Balding-Nichols F_ST between populations
    double missing_rate = 0.005;   ///< share of cohort genotypes written as ./.
    double block_length = 50'000;  ///< mean LD block length in bases (generated model)
    int templates = 8;             ///< ancestral haplotypes per LD block (generated model)
    double copy_length = 100'000;  ///< mean Li-Stephens copying segment in bases (real haplotypes)
    double copy_error = 5e-4;      ///< allele flip rate when copying real haplotypes
};

/// Individuals 0 .. samples-1 are the cohort, samples .. samples+extra-1 the extra ones. Haplotype h of
/// individual i is column 2i+h of the site-major allele matrix (0 = REF, k = k-th ALT).
struct cohort {
    std::vector<variant_site> sites;
    std::vector<std::string> ancestry_names;
    std::vector<double> ancestry_share;    ///< population proportions the individuals were drawn with
    int samples = 0;
    int extra = 0;
    std::vector<int> ancestry;             ///< per individual
    std::vector<std::uint8_t> alleles;     ///< sites x 2*(samples+extra)
    std::vector<std::vector<std::uint32_t>> missing;  ///< per site: cohort sample indices shown as ./.
    std::vector<bool> in_cohort;           ///< per site: some cohort sample carries an ALT allele
    std::vector<int> block;                ///< per site: LD block (generated model) or -1

    int individuals() const { return samples + extra; }
    std::size_t haplotypes() const { return 2 * static_cast<std::size_t>(individuals()); }
    const std::uint8_t* row(std::size_t site) const { return alleles.data() + site * haplotypes(); }
    std::uint8_t* row(std::size_t site) { return alleles.data() + site * haplotypes(); }
    /// Dosage of ALT allele `alt` (1-based) for individual `i` at `site`.
    int dosage(std::size_t site, int i, int alt = 1) const {
        const auto* r = row(site) + 2 * static_cast<std::size_t>(i);
        return (r[0] == alt) + (r[1] == alt);
    }
};

/// Population names: the given ones, else pop1..popK. Throws input_error when the count differs.
std::vector<std::string> ancestry_labels(const cohort_options& options);

/// Generated founders. Sites are grouped into LD blocks (exponential lengths); in each block every
/// haplotype copies one of a few ancestral templates. A site's ancestral frequency follows a 1/x
/// spectrum; each population's frequency is Beta(p(1-F)/F, (1-p)(1-F)/F) (Balding-Nichols); ALT is put
/// on whole templates in a per-site random order, nested across populations, until the frequency is
/// reached. Population sizes are unequal (proportional to 2^-k). Blocks run in parallel (TBB), each
/// with its own random stream, so the result does not depend on the thread count.
cohort simulate_cohort(std::vector<variant_site> sites, const cohort_options& options,
                       std::uint64_t seed);

/// Real founders: reads a phased VCF (biallelic or multi-allelic SNVs/indels on the genome's contigs and
/// inside its usable ranges; REF checked against `g`, input_error naming the record on mismatch),
/// keeps at most `max_sites` sites (uniformly), splits its samples into `options.ancestries` groups by the
/// first principal component (sign for two groups, quantiles for more) and builds every cohort haplotype
/// as a mosaic of the real haplotypes of its group (switches at rate 1/copy_length per base).
cohort cohort_from_haplotypes(const genome& g, const std::filesystem::path& vcf, int max_sites,
                              const cohort_options& options, std::uint64_t seed);

namespace detail {
/// Draws per-site missing genotypes and sets in_cohort; shared by both models.
void finish_cohort(cohort& c, const cohort_options& options, std::uint64_t seed);
/// Assigns individuals to populations with proportions `share` (cohort: exact counts, shuffled).
std::vector<int> assign_ancestries(int samples, int extra, const std::vector<double>& share, std::uint64_t seed);
}  // namespace detail

}  // namespace precis::sim
