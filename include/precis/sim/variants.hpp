#pragma once
/// Variant sites: positions and alleles drawn on a genome (SNVs, left-aligned short indels, a few
/// multi-allelic SNVs), plus helpers shared by the VCF writers.
#include <cstdint>
#include <string>
#include <vector>

#include "precis/sim/genome.hpp"

namespace precis::sim {

/// One site. `pos` is 0-based; `ref` matches the genome at [pos, pos + ref.size()); indels carry the
/// VCF anchor base and are left-aligned.
struct variant_site {
    int contig = 0;
    std::int64_t pos = 0;
    std::string ref;
    std::vector<std::string> alts;

    std::int64_t end() const { return pos + static_cast<std::int64_t>(ref.size()); }
    bool is_snv() const;
};

/// Options of the site set.
struct site_options {
    int variants = 20000;               ///< sites wanted
    double indel_fraction = 0.10;       ///< short insertions and deletions (1-20 bp)
    double multiallelic_fraction = 0.015;  ///< SNVs with two ALT alleles
};

/// Draws about `variants` non-overlapping sites uniformly over the usable part of `g` (never on N),
/// sorted by contig and position. Deterministic in `seed`.
std::vector<variant_site> simulate_sites(const genome& g, const site_options& options, std::uint64_t seed);

/// Left-aligns a biallelic indel against `seq` (VCF style: shared anchor base first). SNVs and
/// multi-allelic sites are returned unchanged.
variant_site left_align(const std::string& seq, variant_site site);

/// "chr1:12345:A:G" (1-based position; ALT alleles joined by ',').
std::string site_id(const genome& g, const variant_site& site);

}  // namespace precis::sim
