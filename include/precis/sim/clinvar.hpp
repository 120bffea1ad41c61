#pragma once
/// A ClinVar-like set of known variants in the simulated genes.
#include <cstdint>
#include <string>
#include <vector>

#include "precis/sim/cohort.hpp"
#include "precis/sim/genes.hpp"

namespace precis::sim {

/// One known variant with ClinVar's INFO fields (values in ClinVar's own spelling, spaces as '_').
struct known_variant {
    variant_site site;
    std::int64_t variation_id = 0;  ///< the VCF ID column
    std::int64_t allele_id = 0;     ///< ALLELEID
    std::int64_t rs = 0;            ///< RS (dbSNP number without "rs")
    std::string clnsig;             ///< Pathogenic, Likely_pathogenic, Uncertain_significance, Benign, ...
    std::string revstat;            ///< CLNREVSTAT, e.g. criteria_provided,_single_submitter
    std::string disease;            ///< CLNDN
    std::string gene_info;          ///< GENEINFO, GENE:number
    std::string variant_class;      ///< CLNVC: single_nucleotide_variant, Deletion, Insertion
    std::string consequence;        ///< MC, e.g. SO:0001587|nonsense
    std::size_t gene = 0;           ///< index into the gene list

    bool pathogenic() const { return clnsig == "Pathogenic" || clnsig == "Likely_pathogenic" || clnsig == "Pathogenic/Likely_pathogenic"; }
};

/// Per protein-coding gene (canonical transcript): a stop-gain, a frameshift and often a splice-site
/// variant (pathogenic or likely pathogenic), missense variants of uncertain significance, a synonymous
/// and an intronic benign variant, and common cohort SNVs inside the gene as benign. Sorted by position.
std::vector<known_variant> simulate_clinvar(const genome& g, const std::vector<gene>& genes, const cohort& c,
                                            std::uint64_t seed);

/// Writes clinvar.vcf.gz (+ .tbi) with ClinVar's header conventions (##source=ClinVar-simulated).
void write_clinvar_vcf(const std::filesystem::path& path, const genome& g, const std::vector<known_variant>& variants);

}  // namespace precis::sim
