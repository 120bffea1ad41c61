#pragma once
/// Inputs of precis report: scores.tsv (docs/score.md), findings TSV (docs/annotate.md), per-variant
/// contributions (precis score --contributions), principal components, and what model.h5 says about
/// the model's performance (docs/model.md). Every reader names the file and line of a bad record.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "precis/model/risk_model.hpp"
#include "precis/model/score.hpp"

namespace precis::report {

/// One row of scores.tsv; NA reads as NaN. `where` is "FILE line N" for messages.
struct score_entry {
    std::string sample;
    double raw = 0, percentile = 0, z = 0, ancestry_z = 0, absolute_risk = 0;
    std::int64_t matched = 0, total = 0;
    std::string where;
};

/// Reads and concatenates scores files (each with the scores.tsv header). A sample in two rows is an
/// input error naming both places.
std::vector<score_entry> read_scores(const std::vector<std::filesystem::path>& files);

/// One row of a findings TSV (16 columns of docs/annotate.md); `review_stars` is -1 for ".".
struct finding {
    std::string sample, chrom, pos, ref, alt, gene, transcript, consequence, impact, hgvs_c, hgvs_p, zygosity,
        clnsig, condition, reason;
    std::int64_t review_stars = -1;
};

/// Reads and concatenates findings files, grouped by sample (file order kept within a sample). `pos` must be
/// a positive integer (kept as its decimal text). The same finding (sample, chrom, pos, ref, alt, gene,
/// transcript) twice, in one file or in two, is an input error naming both places.
std::map<std::string, std::vector<finding>> read_findings(const std::vector<std::filesystem::path>& files);

/// Reads a contributions TSV of precis score, grouped by sample, each sample's rows sorted by decreasing
/// |contribution| (stable: file order among ties; precis score writes them in this order).
/// Weights, dosages (0..2) and contributions must be finite numbers and `pos` a positive integer; a variant
/// (chrom, pos, effect allele) twice for one sample is an input error naming both lines.
std::map<std::string, std::vector<model::variant_contribution>> read_contributions(const std::filesystem::path& file);

/// First two principal components of a sample.
struct pc_point {
    double pc1 = 0, pc2 = 0;
};

/// Reads PC1 and PC2 per sample from a TSV whose header names an id column (`sample_id`, `IID` or
/// `#IID`) and `PC1`, `PC2`: the output of `precis pca --project` or a plink2-style `.eigenvec`.
/// Rows keep file order; an id in two rows is an input error naming both lines.
std::vector<std::pair<std::string, pc_point>> read_pcs(const std::filesystem::path& file);

/// The model as the report describes it: model::read_model plus the performance attributes.
struct model_summary {
    model::risk_model model;
    std::string id;  ///< "PHENOTYPE-" + first 12 hex digits of the file's SHA-256
    std::string sha256;
    double auc = 0, auc_lower = 0, auc_upper = 0, brier = 0, training_case_fraction = 0;
    std::int64_t n_test = 0, test_cases = 0, n_train = 0;
    std::vector<double> calibration_predicted, calibration_observed;
    std::vector<std::int64_t> calibration_count;
};

/// Reads model.h5 for the report; input_error naming the file when it is not a binomial precis model.
model_summary read_model_summary(const std::filesystem::path& file);

/// Reads a sample list: one id a line, `#` comments and blank lines skipped; an id twice is an input error
/// naming both lines.
std::vector<std::string> read_sample_list(const std::filesystem::path& file);

}  // namespace precis::report
