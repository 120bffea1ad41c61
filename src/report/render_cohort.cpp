// The cohort summary page: distribution, calibration, AUC, counts and failed patients.
#include <cmath>

#include "precis/report/page.hpp"
#include "precis/report/report.hpp"
#include "precis/report/svg.hpp"
#include "precis/report/text.hpp"

namespace precis::report {

std::string cohort_json(const report_context& ctx, const std::vector<patient_data>& ok,
                        const std::vector<failed_patient>& failed) {
    json_writer j;
    j.begin_object()
        .string("schema", "precis-cohort-summary")
        .string("schema_version", "1.0")
        .boolean("pseudonymised", ctx.pseudonymised)
        .string("report_date", ctx.date)
        .string("precis_version", ctx.version);
    j.begin_array("inputs");
    for (const auto& in : ctx.inputs)
        j.begin_object().string("role", in.role).string("name", in.name).string("sha256", in.sha256).end_object();
    j.end_array();
    write_model_json(j, ctx);
    std::int64_t high = 0;
    for (const auto& p : ok) high += p.high_risk;
    j.begin_object("counts")
        .integer("patients", static_cast<std::int64_t>(ok.size() + failed.size()))
        .integer("reports", static_cast<std::int64_t>(ok.size()))
        .integer("failed", static_cast<std::int64_t>(failed.size()))
        .integer("high_risk", high)
        .end_object();
    j.number("high_risk_percentile", ctx.high_risk_percentile).number("baseline_incidence", ctx.baseline);
    j.begin_array("patients");
    for (const auto& p : ok)
        j.begin_object()
            .string("patient_id", p.shown_id)
            .string("report", "patients/" + p.stem + ".html")
            .number("raw", p.score.raw)
            .number("percentile", p.score.percentile)
            .number("absolute_risk", p.score.absolute_risk)
            .boolean("high_risk", p.high_risk)
            .integer("findings", static_cast<std::int64_t>(p.findings.size()))
            .end_object();
    j.end_array().begin_array("failed");
    for (const auto& f : failed) j.begin_object().string("patient_id", f.shown_id).string("reason", f.reason).end_object();
    j.end_array().end_object();
    return j.str();
}

std::string cohort_html(const report_context& ctx, const std::vector<patient_data>& ok,
                        const std::vector<failed_patient>& failed) {
    const auto& m = ctx.model;
    std::int64_t high = 0;
    for (const auto& p : ok) high += p.high_risk;
    std::string h = page_head("Cohort summary " + m.id);
    h += "<header><h1>Cohort summary: " + html(m.model.phenotype) + "</h1><table class=\"meta\">";
    h += "<tr><th>Report date</th><td>" + html(ctx.date) + "</td><th>Model</th><td>" + html(m.id) + "</td></tr>";
    h += "<tr><th>precis</th><td>" + html(ctx.version) + "</td><th>IDs</th><td>" +
         (ctx.pseudonymised ? "pseudonymised (HMAC-SHA256)" : "as given (no site key)") + "</td></tr></table>";
    h += checksum_table(ctx) + "</header>";
    h += "<section><div class=\"cards\">";
    h += card("Reports", num("counts.reports", static_cast<double>(ok.size()), 0),
              "of " + num("counts.patients", static_cast<double>(ok.size() + failed.size()), 0) + " patients");
    h += card("Failed", num("counts.failed", static_cast<double>(failed.size()), 0), "listed below with the reason");
    h += card("High risk", num("counts.high_risk", static_cast<double>(high), 0),
              "at or above the " + num("high_risk_percentile", ctx.high_risk_percentile, 0) + "th percentile");
    h += card("AUC", num("model.auc", m.auc, 3),
              "95% CI " + num("model.auc_lower", m.auc_lower, 3) + "–" + num("model.auc_upper", m.auc_upper, 3));
    h += "</div></section>";
    std::vector<marker> marks;
    for (const auto& p : ok) marks.push_back({p.score.raw, ok.size() <= 8 ? p.shown_id : std::string()});
    h += "<section><h2>Score distribution</h2><figure>" + histogram_svg(m.model.reference_scores, marks, "polygenic score") +
         "<figcaption>Reference (training) scores; red lines are the reported patients.</figcaption></figure></section>";
    h += model_section(ctx);
    h += "<section><h2>Patients</h2><table class=\"grid\"><tr><th>Patient</th><th>Raw score</th><th>Percentile</th>"
         "<th>Absolute risk</th><th>High risk</th><th>Findings</th></tr>";
    for (std::size_t i = 0; i < ok.size(); ++i) {
        const auto& p = ok[i];
        const std::string k = "patients." + std::to_string(i) + ".";
        h += "<tr><td><a href=\"patients/" + html(p.stem) + ".html\">" + html(p.shown_id) + "</a></td><td>" +
             num(k + "raw", p.score.raw, 4) + "</td><td>" + num(k + "percentile", p.score.percentile, 1) + "</td><td>" +
             num(k + "absolute_risk", p.score.absolute_risk, 1, true) + "%</td><td>" + (p.high_risk ? "yes" : "no") +
             "</td><td>" + num(k + "findings", static_cast<double>(p.findings.size()), 0) + "</td></tr>";
    }
    h += "</table></section><section><h2>Failed</h2>";
    if (failed.empty()) {
        h += "<p>Every patient got a report.</p>";
    } else {
        h += "<table class=\"grid\"><tr><th>Patient</th><th>Reason</th></tr>";
        for (const auto& f : failed) h += "<tr><td>" + html(f.shown_id) + "</td><td>" + html(f.reason) + "</td></tr>";
        h += "</table>";
    }
    h += "</section>" + page_foot(ctx);
    return h;
}

}  // namespace precis::report
