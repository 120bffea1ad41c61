#pragma once
/// `precis simulate`: the whole simulated world written to one directory.
#include <cstdint>
#include <filesystem>
#include <string>

#include "precis/core/log.hpp"
#include "precis/sim/cohort.hpp"
#include "precis/sim/genes.hpp"
#include "precis/sim/genome.hpp"
#include "precis/sim/patients.hpp"
#include "precis/sim/phenotype.hpp"
#include "precis/sim/variants.hpp"

namespace precis::sim {

/// Everything `precis simulate` needs; each stage keeps its own small options type.
struct simulate_options {
    std::filesystem::path out_dir;
    std::uint64_t seed = 1;
    int threads = 1;                      ///< for BGZF compression (TBB is limited by the caller)
    genome_options genome;                ///< synthetic reference (ignored with a reference FASTA)
    reference_options reference;          ///< reference.fasta non-empty: use this genome
    gene_options genes;
    site_options sites;                   ///< generated sites (with haplotypes: at most sites.variants)
    cohort_options cohort;
    std::filesystem::path haplotypes;     ///< phased VCF of real founders; empty: generated founders
    bool phased = false;                  ///< cohort.vcf.gz with phased GT
    phenotype_options phenotype;
    read_options reads;
    bool show_progress = false;
};

/// Headline numbers of a run, also written to truth/parameters.tsv.
struct simulate_summary {
    std::int64_t genome_bases = 0;
    int genes = 0;
    std::int64_t cohort_sites = 0;
    std::int64_t known_variants = 0;
    double realised_heritability = 0;
    double realised_prevalence = 0;
    std::int64_t read_pairs = 0;
};

/// Runs every stage and writes the fixed output names into options.out_dir (created if missing):
/// reference.fa(.fai), genes.gff3, cohort.vcf.gz, frequencies.vcf.gz, clinvar.vcf.gz (+ .tbi),
/// phenotypes.tsv, covariates.tsv, patients/, truth/. Same options and seed give identical bytes at any
/// thread count. Throws input_error for bad options or inputs.
simulate_summary run_simulation(const simulate_options& options, const logger& log);

/// Checks the options without doing work; throws input_error naming the option.
void validate(const simulate_options& options);

}  // namespace precis::sim
