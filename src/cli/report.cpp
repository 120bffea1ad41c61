// precis report: options -> report::report_options -> report::write_reports.
#include <chrono>
#include <cstdlib>
#include <regex>

#include "command.hpp"
#include "commands.hpp"
#include "precis/core/error.hpp"
#include "precis/core/timestamp.hpp"
#include "precis/report/report.hpp"
#include "version.hpp"

namespace precis::cli {

int run_report(int argc, char** argv, MPI_Comm comm) {
    using strings = std::vector<std::string>;
    po::options_description options("Options of precis report");
    options.add_options()
        ("scores", po::value<strings>()->composing(), "scores.tsv of precis score (repeatable)")
        ("model", po::value<std::string>(), "model.h5 the scores came from (binomial)")
        ("findings", po::value<strings>()->composing(), "findings TSV of precis annotate --findings (repeatable)")
        ("out-dir", po::value<std::string>(), "output directory (mode 0700): patients/*.html|json|pdf, cohort.*")
        ("samples", po::value<std::string>(), "sample IDs to report, one a line (default: every scored sample)")
        ("contributions", po::value<std::string>(), "per-variant contributions of precis score --contributions")
        ("pcs", po::value<std::string>(), "patients' PCs: TSV sample_id PC1 PC2 .. (precis pca --project)")
        ("reference-pcs", po::value<std::string>(), "reference cohort PCs (precis pca --tsv PREFIX.eigenvec)")
        ("key", po::value<std::string>(), "site key file (mode 0600): pseudonymise IDs with HMAC-SHA256")
        ("secure-dir", po::value<std::string>(), "where pseudonyms.tsv goes (default: the key's directory)")
        ("chromium", po::value<std::string>(), "Chromium executable for PDFs (default: chromium on PATH)")
        ("no-pdf", po::bool_switch(), "write HTML and JSON only")
        ("date", po::value<std::string>(), "report date YYYY-MM-DD (default: today, UTC)")
        ("high-risk-percentile", po::value<double>()->default_value(90), "flag scores at or above this percentile")
        ("baseline-incidence", po::value<double>(), "baseline incidence 0..1 (default: the model's training case fraction)")
        ("top-variants", po::value<int>()->default_value(10), "contributing variants shown per patient")
        ("shard", po::value<std::string>(), "i/n: only part i (0-based) of n of the patients (Slurm arrays)");
    po::positional_options_description positional;
    auto vm = parse("report",
                    "precis report --scores SCORES --model model.h5 [--findings FINDINGS] --out-dir DIR "
                    "[--samples LIST] [--key KEY] [--contributions C.tsv] [--pcs P.tsv] [--reference-pcs R.tsv] "
                    "[--shard i/n]",
                    options, positional, {"scores", "model", "out-dir"}, argc, argv);
    if (!vm) return 0;
    session s = make_session("report", *vm, comm, argc, argv);
    const context& ctx = s.ctx;
    const auto& v = *vm;
    report::report_options o;
    for (const auto& f : v["scores"].as<strings>()) o.scores.emplace_back(f);
    if (v.count("findings"))
        for (const auto& f : v["findings"].as<strings>()) o.findings.emplace_back(f);
    o.model = v["model"].as<std::string>();
    o.out_dir = v["out-dir"].as<std::string>();
    auto path = [&](const char* name) { return v.count(name) ? std::filesystem::path(v[name].as<std::string>()) : std::filesystem::path(); };
    o.samples = path("samples"), o.contributions = path("contributions"), o.pcs = path("pcs");
    o.reference_pcs = path("reference-pcs"), o.key = path("key"), o.secure_dir = path("secure-dir");
    if (v.count("chromium")) o.chromium = v["chromium"].as<std::string>();
    o.pdf = !v["no-pdf"].as<bool>();
    o.date = v.count("date") ? v["date"].as<std::string>() : utc_timestamp().substr(0, 10);
    if (!std::regex_match(o.date, std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}")) ||
        !std::chrono::year_month_day(std::chrono::year(std::stoi(o.date.substr(0, 4))),
                                     std::chrono::month(static_cast<unsigned>(std::stoi(o.date.substr(5, 2)))),
                                     std::chrono::day(static_cast<unsigned>(std::stoi(o.date.substr(8, 2)))))
             .ok() ||
        o.date < "1900")
        throw input_error("--date " + o.date + ": must be a calendar date YYYY-MM-DD");
    o.high_risk_percentile = v["high-risk-percentile"].as<double>();
    if (!(o.high_risk_percentile >= 0 && o.high_risk_percentile <= 100)) throw input_error("--high-risk-percentile must be 0-100");
    if (v.count("baseline-incidence")) {
        o.baseline_incidence = v["baseline-incidence"].as<double>();
        if (!(o.baseline_incidence > 0 && o.baseline_incidence < 1)) throw input_error("--baseline-incidence must lie strictly between 0 and 1");
    }
    o.top_variants = v["top-variants"].as<int>();
    if (o.top_variants < 0) throw input_error("--top-variants must be >= 0");
    if (v.count("shard")) {
        std::smatch m;
        const auto text = v["shard"].as<std::string>();
        if (!std::regex_match(text, m, std::regex("([0-9]+)/([0-9]+)")))
            throw input_error("--shard '" + text + "': expected i/n, e.g. 0/4");
        o.shard = std::stoi(m[1]), o.shards = std::stoi(m[2]);
        if (o.shards < 1 || o.shard >= o.shards) throw input_error("--shard '" + text + "': need 0 <= i < n");
    }
    o.version = precis::version();
    o.command_line = ctx.command_line;

    auto r = report::write_reports(o, ctx.comm, ctx.log);
    ctx.log.info("wrote ", r.written, " patient reports (", r.pdfs, " PDFs) in ", o.out_dir.string(), "; ", r.reports,
                 " patients reportable, ", r.failed, " failed");
    return 0;
}

}  // namespace precis::cli
