#pragma once
/// Outputs of `precis gwas`: the plink2-layout association table, the HDF5 results file, the plots.
#include <filesystem>
#include <string>

#include "precis/model/gwas.hpp"

namespace precis::model {

/// Paths of the outputs for `prefix` and the analysed phenotype, named as plink2 names them:
/// PREFIX.PHENO.glm.linear, .glm.logistic (no Firth), .glm.logistic.hybrid (Firth fallback) or
/// .glm.firth (always Firth); PREFIX.PHENO.gwas.h5, .manhattan.svg, .qq.svg.
struct gwas_paths {
    std::filesystem::path table, h5, manhattan, qq;
};
gwas_paths output_paths(const std::string& prefix, const gwas_result& result);

/// Summary of the reported tests, logged by the CLI and stored in the HDF5 file.
struct gwas_summary {
    std::int64_t reported = 0, tested = 0, hits = 0, firth = 0;  ///< hits: p < 5e-8
    double lambda_gc = 0;  ///< median chi-square (1 df, from p) / 0.4549364
};
gwas_summary summarise(const gwas_result& result);

/// Writes the table in plink2 2.00a3 --glm layout (TAB-separated, %g with 6 significant digits, "NA"):
/// logistic: #CHROM POS ID REF ALT A1 [FIRTH?] TEST OBS_CT OR LOG(OR)_SE Z_STAT P ERRCODE,
/// linear:   #CHROM POS ID REF ALT A1 TEST OBS_CT BETA SE T_STAT P ERRCODE. A1 is ALT. Atomic.
void write_glm_table(const gwas_result& result, const std::filesystem::path& path);

/// Writes PATH (HDF5, atomic) with /gwas/{row,beta,se,stat,p,obs_ct,firth,error} over the reported
/// variants (docs/gwas.md) and the summary as attributes.
void write_gwas_h5(const gwas_result& result, const gwas_summary& summary, const std::filesystem::path& path,
                   const std::string& command_line);

/// Writes the Manhattan and QQ plots (SVG, atomic) of the reported tests to paths.manhattan / paths.qq.
void write_plots(const gwas_result& result, const gwas_summary& summary, const gwas_paths& paths);

}  // namespace precis::model
