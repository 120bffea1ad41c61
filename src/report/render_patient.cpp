// The patient page: JSON with every number shown, and the HTML that shows them (data-key = JSON path).
#include <cmath>

#include "precis/report/page.hpp"
#include "precis/report/report.hpp"
#include "precis/report/svg.hpp"
#include "precis/report/text.hpp"

namespace precis::report {

namespace {

void write_inputs(json_writer& j, const report_context& ctx) {
    j.begin_array("inputs");
    for (const auto& in : ctx.inputs)
        j.begin_object().string("role", in.role).string("name", in.name).string("sha256", in.sha256).end_object();
    j.end_array();
}

}  // namespace

void write_model_json(json_writer& j, const report_context& ctx) {
    const auto& m = ctx.model;
    j.begin_object("model")
        .string("id", m.id)
        .string("phenotype", m.model.phenotype)
        .string("sha256", m.sha256)
        .string("created", m.model.created)
        .integer("n_train", m.n_train)
        .integer("n_test", m.n_test)
        .integer("test_cases", m.test_cases)
        .number("auc", m.auc)
        .number("auc_lower", m.auc_lower)
        .number("auc_upper", m.auc_upper)
        .number("brier", m.brier)
        .number("calibration_intercept", m.model.calibration.intercept)
        .number("calibration_slope", m.model.calibration.slope);
    j.begin_array("calibration");
    for (std::size_t i = 0; i < m.calibration_predicted.size(); ++i)
        j.begin_object()
            .number("predicted", m.calibration_predicted[i])
            .number("observed", i < m.calibration_observed.size() ? m.calibration_observed[i] : NAN)
            .integer("count", i < m.calibration_count.size() ? m.calibration_count[i] : 0)
            .end_object();
    j.end_array().end_object();
}

std::string patient_json(const report_context& ctx, const patient_data& p) {
    json_writer j;
    j.begin_object()
        .string("schema", "precis-patient-report")
        .string("schema_version", "1.0")
        .string("patient_id", p.shown_id)
        .boolean("pseudonymised", ctx.pseudonymised)
        .string("report_date", ctx.date)
        .string("precis_version", ctx.version);
    write_inputs(j, ctx);
    write_model_json(j, ctx);
    const auto& s = p.score;
    j.begin_object("score")
        .number("raw", s.raw)
        .number("percentile", s.percentile)
        .number("z", s.z)
        .number("ancestry_z", s.ancestry_z)
        .integer("matched_variants", s.matched)
        .integer("total_variants", s.total)
        .number("match_rate", s.total > 0 ? static_cast<double>(s.matched) / static_cast<double>(s.total) : NAN)
        .end_object();
    j.begin_object("risk")
        .number("absolute", s.absolute_risk)
        .number("lower", p.risk_lower)
        .number("upper", p.risk_upper)
        .number("baseline_incidence", ctx.baseline)
        .string("baseline_source", ctx.baseline_source)
        .number("relative_risk", p.relative_risk)
        .number("high_risk_percentile", ctx.high_risk_percentile)
        .boolean("high_risk", p.high_risk)
        .end_object();
    j.begin_array("top_variants");
    for (const auto& c : p.top)
        j.begin_object()
            .string("chrom", c.chrom)
            .integer("pos", c.pos)
            .string("effect_allele", c.effect_allele)
            .number("weight", c.weight)
            .number("dosage", c.dosage)
            .number("contribution", c.contribution)
            .end_object();
    j.end_array();
    if (p.pcs) j.begin_object("ancestry").number("pc1", p.pcs->pc1).number("pc2", p.pcs->pc2).end_object();
    else j.null("ancestry");
    j.begin_array("findings");
    for (const auto& f : p.findings) {
        j.begin_object()
            .string("gene", f.gene)
            .string("transcript", f.transcript)
            .string("chrom", f.chrom)
            .string("pos", f.pos)
            .string("ref", f.ref)
            .string("alt", f.alt)
            .string("consequence", f.consequence)
            .string("impact", f.impact)
            .string("hgvs_c", f.hgvs_c)
            .string("hgvs_p", f.hgvs_p)
            .string("zygosity", f.zygosity)
            .string("clnsig", f.clnsig);
        if (f.review_stars >= 0) j.integer("review_stars", f.review_stars);
        else j.null("review_stars");
        j.string("condition", f.condition).string("reason", f.reason).end_object();
    }
    j.end_array().end_object();
    return j.str();
}

std::string patient_html(const report_context& ctx, const patient_data& p) {
    const auto& s = p.score;
    const auto& m = ctx.model;
    std::string h = page_head("Risk report " + p.shown_id);
    h += "<header><h1>Polygenic risk report: " + html(m.model.phenotype) + "</h1><table class=\"meta\">";
    h += "<tr><th>Patient</th><td data-text=\"patient_id\">" + html(p.shown_id) + "</td>";
    h += "<th>Report date</th><td>" + html(ctx.date) + "</td></tr>";
    h += "<tr><th>Model</th><td>" + html(m.id) + "</td><th>precis</th><td>" + html(ctx.version) + "</td></tr></table>";
    h += checksum_table(ctx);
    h += "</header>";

    // Summary and flag.
    h += "<section class=\"summary " + std::string(p.high_risk ? "high" : "normal") + "\">";
    if (p.high_risk)
        h += "<p class=\"flag\">HIGH POLYGENIC RISK: score at or above the " +
             num("risk.high_risk_percentile", ctx.high_risk_percentile, 0) + "th percentile of the reference cohort</p>";
    else
        h += "<p class=\"flag\">Polygenic score below the high-risk threshold (" +
             num("risk.high_risk_percentile", ctx.high_risk_percentile, 0) + "th percentile)</p>";
    h += "<div class=\"cards\">";
    h += card("Absolute risk", num("risk.absolute", s.absolute_risk, 1, true) + "%",
              "95% interval " + num("risk.lower", p.risk_lower, 1, true) + "% to " + num("risk.upper", p.risk_upper, 1, true) + "%");
    h += card("Relative risk", num("risk.relative_risk", p.relative_risk, 2) + "x",
              "vs. baseline incidence " + num("risk.baseline_incidence", ctx.baseline, 1, true) + "%");
    h += card("Percentile", num("score.percentile", s.percentile, 1), "of the reference cohort's scores");
    h += card("Z-score", num("score.z", s.z, 2), "ancestry-adjusted " + num("score.ancestry_z", s.ancestry_z, 2));
    h += "</div></section>";

    // Polygenic score.
    h += "<section><h2>Polygenic score</h2><table class=\"kv\">";
    h += "<tr><th>Raw score</th><td>" + num("score.raw", s.raw, 4) + "</td></tr>";
    h += "<tr><th>Percentile (reference cohort)</th><td>" + num("score.percentile", s.percentile, 1) + "</td></tr>";
    h += "<tr><th>Z against the reference</th><td>" + num("score.z", s.z, 2) + "</td></tr>";
    h += "<tr><th>Ancestry-adjusted Z</th><td>" + num("score.ancestry_z", s.ancestry_z, 2) + "</td></tr>";
    h += "<tr><th>Scoring variants matched</th><td>" + num("score.matched_variants", static_cast<double>(s.matched), 0) +
         " of " + num("score.total_variants", static_cast<double>(s.total), 0) + " (" +
         num("score.match_rate", s.total > 0 ? static_cast<double>(s.matched) / static_cast<double>(s.total) : NAN, 1, true) +
         "%)</td></tr></table>";
    h += "<figure>" + histogram_svg(m.model.reference_scores, {{s.raw, "this patient"}}, "polygenic score") +
         "<figcaption>Scores of the " + std::to_string(m.model.reference_scores.size()) +
         " training samples of the model; the red line is this patient.</figcaption></figure></section>";

    // Absolute risk.
    h += "<section><h2>Absolute risk</h2>";
    h += "<figure>" + risk_gauge_svg(s.absolute_risk, p.risk_lower, p.risk_upper, ctx.baseline) +
         "<figcaption>Calibrated absolute risk " + num("risk.absolute", s.absolute_risk, 1, true) + "% (95% interval " +
         num("risk.lower", p.risk_lower, 1, true) + "–" + num("risk.upper", p.risk_upper, 1, true) +
         "%), baseline incidence " + num("risk.baseline_incidence", ctx.baseline, 1, true) + "% (" +
         html(ctx.baseline_source) + ").</figcaption></figure></section>";

    // Contributions and ancestry side by side.
    h += "<section><h2>Top contributing variants</h2>";
    h += "<figure>" + contributions_svg(p.top) +
         "<figcaption>Contribution = weight × (dosage − 2 × training allele frequency): how far each variant moves "
         "this patient's score from the training average.</figcaption></figure>";
    if (!p.top.empty()) {
        h += "<table class=\"grid\"><tr><th>Variant</th><th>Effect allele</th><th>Dosage</th><th>Weight</th><th>Contribution</th></tr>";
        for (std::size_t i = 0; i < p.top.size(); ++i) {
            const auto& c = p.top[i];
            const std::string k = "top_variants." + std::to_string(i) + ".";
            h += "<tr><td>" + html(c.chrom) + ":" + num(k + "pos", static_cast<double>(c.pos), 0) + "</td><td>" +
                 html(c.effect_allele) + "</td><td>" + num(k + "dosage", c.dosage, 2) + "</td><td>" +
                 num(k + "weight", c.weight, 5) + "</td><td>" + num(k + "contribution", c.contribution, 5) + "</td></tr>";
        }
        h += "</table>";
    }
    h += "</section><section><h2>Genetic ancestry</h2><div class=\"row\"><figure>";
    std::vector<pc_point> ref = ctx.reference_pcs;
    h += pcs_svg(ref, p.pcs ? &*p.pcs : nullptr);
    h += "<figcaption>";
    if (p.pcs)
        h += "This patient (red) at PC1 " + num("ancestry.pc1", p.pcs->pc1, 4) + ", PC2 " + num("ancestry.pc2", p.pcs->pc2, 4) +
             " among the reference cohort (blue).";
    else
        h += "No principal components were given for this patient.";
    h += "</figcaption></figure><p class=\"note\">Scores are compared with the model's training cohort. Far from the "
         "reference samples on these components, the score and risk are less reliable: polygenic scores transfer "
         "poorly across ancestries.</p></div></section>";

    // Monogenic findings.
    h += "<section><h2>Monogenic findings</h2>";
    if (p.findings.empty()) {
        h += "<p>No reportable findings (ClinVar pathogenic/likely pathogenic, or HIGH impact in panel genes) were "
             "given for this patient.</p>";
    } else {
        h += "<table class=\"grid\"><tr><th>Gene</th><th>Variant</th><th>HGVS</th><th>Consequence</th><th>Zygosity</th>"
             "<th>ClinVar</th><th>Stars</th><th>Condition</th></tr>";
        for (std::size_t i = 0; i < p.findings.size(); ++i) {
            const auto& f = p.findings[i];
            const std::string k = "findings." + std::to_string(i) + ".";
            h += "<tr><td class=\"gene\">" + html(f.gene) + "</td><td>" + html(f.chrom + ":" + f.pos + " " + f.ref + ">" + f.alt) +
                 "</td><td>" + html(f.hgvs_c) + "<br>" + html(f.hgvs_p) + "</td><td>" + html(f.consequence) + " (" +
                 html(f.impact) + ")</td><td>" + html(f.zygosity) + "</td><td>" + html(f.clnsig) + "</td><td>" +
                 (f.review_stars >= 0 ? num(k + "review_stars", static_cast<double>(f.review_stars), 0) : std::string("–")) +
                 "</td><td>" + html(f.condition) + "</td></tr>";
        }
        h += "</table>";
    }
    h += "</section>";
    h += model_section(ctx);
    h += "<section><h2>Methods</h2><p>The polygenic score is the sum, over the model's variants, of each variant's "
         "weight times the number of copies of its effect allele this patient carries. The model (an elastic-net "
         "logistic regression on genotypes with clinical covariates and principal components) was trained on " +
         num("model.n_train", static_cast<double>(m.n_train), 0) +
         " samples. The percentile and Z compare the score with the training samples' scores; the ancestry-adjusted Z "
         "removes the part of the score predicted by genetic ancestry. The absolute risk is the model's prediction, "
         "recalibrated on held-out predictions; its 95% interval reflects the uncertainty of that calibration only, "
         "not of the variant weights. Monogenic findings come from variant annotation against ClinVar and a gene "
         "panel.</p></section>";
    h += "<section><h2>Limitations</h2><ul><li>This report is <strong>not a diagnosis</strong>. It estimates risk "
         "from genetic variants and a statistical model.</li><li>Polygenic scores are less accurate in people whose "
         "genetic ancestry differs from the training cohort's.</li><li>Covariates not available for this patient "
         "were set to the training average.</li><li>Scoring variants not matched in the patient's data contribute "
         "nothing; a low match rate makes the score less reliable.</li><li>Absence of monogenic findings does not "
         "exclude a monogenic condition.</li></ul></section>";
    h += "<section><h2>To discuss with a clinician</h2><ul><li>Whether the absolute risk changes screening or "
         "prevention, given family history and other risk factors.</li><li>Any monogenic finding: confirmation in "
         "a clinical laboratory and genetic counselling, including for relatives.</li><li>How well the reference "
         "cohort represents this patient's ancestry.</li></ul></section>";
    h += page_foot(ctx);
    return h;
}

}  // namespace precis::report
