#pragma once
/// precis score: polygenic scores, percentiles, ancestry-adjusted Z and absolute risk (docs/score.md).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/core/log.hpp"
#include "precis/io/contig_name.hpp"
#include "precis/model/pgs_file.hpp"
#include "precis/model/risk_model.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::model {

/// Options of one scoring run. Exactly one of model/pgs and one of cohort/vcf is set.
struct score_options {
    std::filesystem::path model;      ///< model.h5 (weights, reference, calibration)
    std::filesystem::path pgs;        ///< PGS Catalog scoring file (weights only)
    std::filesystem::path cohort;     ///< cohort.h5: kept samples, MPI over sample shards
    std::filesystem::path vcf;        ///< VCF/BCF of one or more patients (read on rank 0)
    std::filesystem::path reference;  ///< model.h5 whose reference distribution and PC regression to use
    std::filesystem::path pcs;        ///< TSV sample_id PC1..PCk for VCF samples
    /// VCF: a weighted variant on a contig of the VCF header but without a record counts as homozygous
    /// reference (true; model.h5 weights only, whose reference allele is known) or as missing (false).
    bool absent_is_reference = true;
    /// VCF only: keep each sample's per-variant contributions (score_row::contributions).
    bool contributions = false;
};

/// What one matched weighted variant adds to one sample's score. `dosage` is the effect-allele dosage
/// used (imputed 2 x frequency when missing); `contribution` = weight x (dosage - 2 x effect frequency),
/// the variant's share of the score relative to the training average (weight x dosage when the
/// frequency is unknown).
struct variant_contribution {
    std::string chrom;
    std::int64_t pos = 0;  ///< 1-based
    std::string effect_allele;
    double weight = 0, dosage = 0, contribution = 0;
};

/// One output row (NaN prints as NA).
struct score_row {
    std::string sample;
    double raw = 0, percentile = 0, z = 0, ancestry_z = 0, absolute_risk = 0;
    std::int64_t matched = 0, total = 0;
    std::vector<variant_contribution> contributions;  ///< with score_options::contributions; by |contribution| desc
};

/// The weights to apply and what is known about them.
struct score_weights {
    std::vector<weighted_variant> variants;
    bool reference_allele_known = false;  ///< ref/alt of each variant are the cohort's (model.h5)
};

/// Scores the samples. Collective over `comm` (cohort: each rank scores its shard; VCF: rank 0 reads).
/// Returns every row on rank 0 (others get an empty vector). Throws input_error naming the file for a
/// model of another format, a malformed PGS file, or zero matched variants.
std::vector<score_row> score(const score_options& options, const mpi::communicator& comm, const logger& log);

/// Writes `rows` as TSV with header sample_id raw_score percentile z ancestry_z absolute_risk
/// matched_variants total_variants, atomically.
void write_scores(const std::vector<score_row>& rows, const std::filesystem::path& path);

/// Writes the contributions of `rows` as TSV with header sample_id chrom pos effect_allele weight dosage
/// contribution (per sample by decreasing |contribution|, ties in model order), atomically.
void write_contributions(const std::vector<score_row>& rows, const std::filesystem::path& path);

/// "chr1" and "1" name the same contig (io::normalise_contig).
using io::normalise_contig;

}  // namespace precis::model
