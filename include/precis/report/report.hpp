#pragma once
/// precis report: per-patient HTML/PDF/JSON risk reports and a cohort summary (docs/report.md).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "precis/core/log.hpp"
#include "precis/model/score.hpp"
#include "precis/mpi/communicator.hpp"
#include "precis/report/inputs.hpp"

namespace precis::report {

/// Options of one report run.
struct report_options {
    std::vector<std::filesystem::path> scores;    ///< scores.tsv files of precis score
    std::vector<std::filesystem::path> findings;  ///< findings TSVs of precis annotate (may be empty)
    std::filesystem::path model;                  ///< model.h5 (binomial)
    std::filesystem::path contributions;          ///< precis score --contributions TSV (optional)
    std::filesystem::path pcs;                    ///< patients' PCs (optional)
    std::filesystem::path reference_pcs;          ///< reference cohort PCs for the ancestry picture (optional)
    std::filesystem::path samples;                ///< sample list (optional: every scored sample)
    std::filesystem::path out_dir;
    std::filesystem::path key;         ///< site key; empty: reports show sample IDs
    std::filesystem::path secure_dir;  ///< where pseudonyms.tsv goes (default: the key's directory)
    std::string chromium;              ///< executable; empty: search PATH
    bool pdf = true;
    std::string date;  ///< YYYY-MM-DD shown in the reports
    double high_risk_percentile = 90;
    double baseline_incidence = -1;  ///< < 0: the model's training case fraction
    int top_variants = 10;
    int shard = 0, shards = 1;  ///< this job's part of the patient list (Slurm arrays)
    std::string version, command_line;
};

/// One input file and its SHA-256, shown in every report header.
struct input_checksum {
    std::string role, name, sha256;
};

/// Everything shown in one patient's report. `sample` is the real ID: it is never written to a report
/// when `shown_id` is a pseudonym.
struct patient_data {
    std::string sample, shown_id, stem;
    score_entry score;
    double risk_lower = 0, risk_upper = 0, relative_risk = 0;
    bool high_risk = false;
    std::vector<model::variant_contribution> top;
    std::optional<pc_point> pcs;
    std::vector<finding> findings;
};

/// A patient without a report and why.
struct failed_patient {
    std::string shown_id, reason;
};

/// What every page shares.
struct report_context {
    model_summary model;
    std::string date, version;
    std::vector<input_checksum> inputs;
    double baseline = 0;
    std::string baseline_source;
    double high_risk_percentile = 90;
    std::vector<pc_point> reference_pcs;
    bool pseudonymised = false;
};

/// Page builders (pure functions of their inputs: identical bytes for identical inputs).
std::string patient_json(const report_context& ctx, const patient_data& p);
std::string patient_html(const report_context& ctx, const patient_data& p);
std::string cohort_json(const report_context& ctx, const std::vector<patient_data>& ok,
                        const std::vector<failed_patient>& failed);
std::string cohort_html(const report_context& ctx, const std::vector<patient_data>& ok,
                        const std::vector<failed_patient>& failed);

/// Counts of one run (this rank's share; `reports` and `failed` are totals over all shards).
struct report_result {
    std::int64_t reports = 0, failed = 0, written = 0, pdfs = 0;
};

/// Writes OUT/patients/STEM.{html,json,pdf} for this shard's patients split over the ranks of `comm`,
/// and (shard 0, rank 0) OUT/cohort.{html,json,pdf} and the pseudonym mapping. Collective.
report_result write_reports(const report_options& options, const mpi::communicator& comm, const logger& log);

}  // namespace precis::report
