// precis report: read the inputs (every rank), build each patient's data, write this shard's and rank's
// pages (after the pseudonym mapping, on shard 0, rank 0), then the cohort summary on shard 0, rank 0.
#include "precis/report/report.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "precis/core/atomic_output.hpp"
#include "precis/core/digest.hpp"
#include "precis/core/error.hpp"
#include "precis/mpi/partition.hpp"
#include "precis/report/chromium.hpp"
#include "precis/report/privacy.hpp"

namespace precis::report {

namespace {

input_checksum checksum(const std::string& role, const std::filesystem::path& file) {
    return {role, file.filename().string(), sha256_file(file)};
}

// Merges `add` (pseudonym -> sample) into DIR/pseudonyms.tsv, sorted by pseudonym, mode 0600.
void write_mapping(const std::filesystem::path& dir, const std::map<std::string, std::string>& add) {
    const auto file = dir / "pseudonyms.tsv";
    std::map<std::string, std::string> all;
    if (std::ifstream in(file); in) {
        std::string line;
        while (std::getline(in, line)) {
            auto tab = line.find('\t');
            if (line.empty() || line[0] == '#' || tab == std::string::npos) continue;
            all[line.substr(0, tab)] = line.substr(tab + 1);
        }
    }
    for (const auto& [k, v] : add) all[k] = v;
    std::string text = "#pseudonym\tsample_id\n";
    for (const auto& [k, v] : all) text += k + "\t" + v + "\n";
    write_private_file(file, text);
}

}  // namespace

report_result write_reports(const report_options& o, const mpi::communicator& comm, const logger& log) {
    if (o.shards < 1 || o.shard < 0 || o.shard >= o.shards)
        throw input_error("--shard " + std::to_string(o.shard) + "/" + std::to_string(o.shards) + ": need 0 <= i < n");
    if (o.scores.empty()) throw input_error("give at least one --scores file");
    std::string key;
    if (!o.key.empty()) key = read_site_key(o.key);
    std::optional<std::filesystem::path> chromium;
    if (o.pdf) chromium = find_chromium(o.chromium);

    report_context ctx;
    ctx.model = read_model_summary(o.model);
    ctx.date = o.date, ctx.version = o.version, ctx.high_risk_percentile = o.high_risk_percentile;
    ctx.pseudonymised = !key.empty();
    if (o.baseline_incidence >= 0) {
        if (o.baseline_incidence <= 0 || o.baseline_incidence >= 1)
            throw input_error("--baseline-incidence must lie strictly between 0 and 1");
        ctx.baseline = o.baseline_incidence, ctx.baseline_source = "given for this population";
    } else {
        ctx.baseline = ctx.model.training_case_fraction;
        ctx.baseline_source = "case fraction of the model's training cohort";
    }
    const auto scores = read_scores(o.scores);
    const auto findings = read_findings(o.findings);
    std::map<std::string, std::vector<model::variant_contribution>> contributions;
    if (!o.contributions.empty()) contributions = read_contributions(o.contributions);
    std::map<std::string, pc_point> pcs;
    if (!o.pcs.empty())
        for (auto& [id, p] : read_pcs(o.pcs)) pcs[id] = p;
    if (!o.reference_pcs.empty())
        for (auto& [id, p] : read_pcs(o.reference_pcs)) ctx.reference_pcs.push_back(p);

    ctx.inputs.push_back(checksum("model", o.model));
    for (const auto& f : o.scores) ctx.inputs.push_back(checksum("scores", f));
    for (const auto& f : o.findings) ctx.inputs.push_back(checksum("findings", f));
    if (!o.contributions.empty()) ctx.inputs.push_back(checksum("contributions", o.contributions));
    if (!o.pcs.empty()) ctx.inputs.push_back(checksum("pcs", o.pcs));
    if (!o.reference_pcs.empty()) ctx.inputs.push_back(checksum("reference pcs", o.reference_pcs));

    // The patient list, in sample-list or scores order.
    std::vector<std::string> samples;
    if (!o.samples.empty()) {
        samples = read_sample_list(o.samples);
    } else {
        for (const auto& e : scores) samples.push_back(e.sample);
    }
    std::map<std::string, const score_entry*> by_sample;
    for (const auto& e : scores) by_sample[e.sample] = &e;

    std::vector<patient_data> ok;
    std::vector<failed_patient> failed;
    std::map<std::string, std::string> mapping;
    const auto& cal = ctx.model.model.calibration;
    for (const auto& sample : samples) {
        patient_data p;
        p.sample = sample;
        p.shown_id = key.empty() ? sample : pseudonym(key, sample);
        p.stem = key.empty() ? file_stem(sample) : p.shown_id;
        if (!key.empty()) mapping[p.shown_id] = sample;
        auto it = by_sample.find(sample);
        std::string reason;
        if (it == by_sample.end()) reason = "not in the scores files";
        else if (!std::isfinite(it->second->raw)) reason = "no polygenic score (" + it->second->where + ")";
        else if (!std::isfinite(it->second->percentile)) reason = "no percentile: scored without a reference (" + it->second->where + ")";
        else if (!std::isfinite(it->second->absolute_risk)) reason = "no absolute risk (" + it->second->where + ")";
        if (!reason.empty()) {
            failed.push_back({p.shown_id, reason});
            continue;
        }
        p.score = *it->second;
        const double r = p.score.absolute_risk;
        p.risk_lower = p.risk_upper = std::numeric_limits<double>::quiet_NaN();
        // The interval comes from the logistic recalibration of an elastic net's linear predictor; an MLP
        // model's risk is the network's output, with no such interval (shown as n/a).
        if (ctx.model.model.model_type == "elastic-net" && r > 0 && r < 1 && cal.slope != 0) {
            const double eta = (std::log(r / (1 - r)) - cal.intercept) / cal.slope;
            auto ci = model::calibrated_risk(cal, eta);
            p.risk_lower = ci.lower, p.risk_upper = ci.upper;
        }
        p.relative_risk = ctx.baseline > 0 ? r / ctx.baseline : std::numeric_limits<double>::quiet_NaN();
        p.high_risk = p.score.percentile >= o.high_risk_percentile;
        if (auto c = contributions.find(sample); c != contributions.end())
            p.top.assign(c->second.begin(), c->second.begin() + std::min<std::ptrdiff_t>(o.top_variants, static_cast<std::ptrdiff_t>(c->second.size())));
        if (auto q = pcs.find(sample); q != pcs.end()) p.pcs = q->second;
        if (auto f = findings.find(sample); f != findings.end()) p.findings = f->second;
        ok.push_back(std::move(p));
    }
    std::int64_t orphan = 0;
    for (const auto& [sample, rows] : findings) orphan += !by_sample.count(sample);
    if (orphan > 0) log.info(orphan, " samples with findings have no score and get no report");
    if (comm.is_root())
        for (const auto& f : failed) log.warn("no report for ", f.shown_id, ": ", f.reason);

    // Directories (rank 0 first), then this rank's share of this shard's patients.
    if (comm.is_root()) {
        make_private_dir(o.out_dir);
        make_private_dir(o.out_dir / "patients");
        if (o.pdf && !chromium)
            log.warn("chromium not found on PATH (install chromium or give --chromium PATH): PDFs not written; "
                     "HTML and JSON are");
        // The mapping before any pseudonymised page: a page whose mapping failed to be written (a full
        // disk) could never be traced back to its patient.
        if (!key.empty() && o.shard == 0) {
            const auto dir = o.secure_dir.empty() ? std::filesystem::absolute(o.key).parent_path() : o.secure_dir;
            make_private_dir(dir);
            write_mapping(dir, mapping);
            log.info("pseudonym mapping: ", (dir / "pseudonyms.tsv").string());
        }
    }
    comm.barrier();
    const auto mine_in_shard = mpi::block_range(static_cast<std::int64_t>(ok.size()), o.shards, o.shard);
    const auto part = mpi::block_range(mine_in_shard.size(), comm.size(), comm.rank());
    report_result result;
    result.reports = static_cast<std::int64_t>(ok.size());
    result.failed = static_cast<std::int64_t>(failed.size());
    std::int64_t pdf_failures = 0;
    auto write_page = [&](const std::filesystem::path& stem, const std::string& html_text, const std::string& json_text) {
        write_private_file(stem.string() + ".json", json_text);
        write_private_file(stem.string() + ".html", html_text);
        if (!chromium) return;
        try {
            print_pdf(*chromium, stem.string() + ".html", stem.string() + ".pdf");
            ++result.pdfs;
        } catch (const runtime_failure& e) {
            ++pdf_failures;
            log.error(e.what());
        }
    };
    for (std::int64_t i = mine_in_shard.begin + part.begin; i < mine_in_shard.begin + part.end; ++i) {
        const auto& p = ok[static_cast<std::size_t>(i)];
        write_page(o.out_dir / "patients" / p.stem, patient_html(ctx, p), patient_json(ctx, p));
        ++result.written;
        log.debug("wrote the report of ", p.shown_id);
    }
    if (comm.is_root() && o.shard == 0) {
        write_page(o.out_dir / "cohort", cohort_html(ctx, ok, failed), cohort_json(ctx, ok, failed));
    }
    result.written = comm.size() > 1 ? comm.sum(result.written) : result.written;
    result.pdfs = comm.size() > 1 ? comm.sum(result.pdfs) : result.pdfs;
    pdf_failures = comm.size() > 1 ? comm.sum(pdf_failures) : pdf_failures;
    if (pdf_failures > 0)
        throw runtime_failure(std::to_string(pdf_failures) + " PDFs failed (see the messages above); HTML and JSON were written");
    return result;
}

}  // namespace precis::report
