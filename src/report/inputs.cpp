// Readers of the report's inputs: scores, findings, contributions, PCs, sample lists and model.h5.
#include "precis/report/inputs.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <tuple>

#include "precis/core/atomic_output.hpp"
#include "precis/core/digest.hpp"
#include "precis/core/error.hpp"
#include "precis/h5/dataset.hpp"
#include "precis/h5/file.hpp"

namespace precis::report {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto tab = line.find('\t', start);
        out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    return out;
}

// A TSV file read line by line with its line number, for messages.
struct tsv {
    std::filesystem::path file;
    std::ifstream in;
    std::int64_t line_no = 0;
    explicit tsv(const std::filesystem::path& f, const std::string& what) : file(f) {
        require_readable_file(f, what);
        in.open(f);
        if (!in) throw input_error(f.string() + ": cannot open");
    }
    bool next(std::vector<std::string>& fields) {
        std::string line;
        while (std::getline(in, line)) {
            ++line_no;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) continue;
            fields = split_tabs(line);
            return true;
        }
        return false;
    }
    std::string where() const { return "line " + std::to_string(line_no); }
    [[noreturn]] void bad(const std::string& what) const { throw input_error::at(file.string(), where(), what); }
    // A finite number, or NaN for NA (how precis score writes a missing value); nan, inf and values past the
    // double range (1e999) are refused: they would pass for missing or for a real number.
    double number(const std::string& t, const std::string& column) const {
        if (t == "NA") return std::numeric_limits<double>::quiet_NaN();
        return finite(t, column, " or NA");
    }
    // A finite number (NA refused).
    double finite(const std::string& t, const std::string& column, const std::string& or_na = "") const {
        char* end = nullptr;
        double v = std::strtod(t.c_str(), &end);
        if (t.empty() || *end != '\0') bad(column + " '" + t + "' is not a number" + or_na);
        if (!std::isfinite(v)) bad(column + " '" + t + "' is not a finite number" + or_na);
        return v;
    }
    std::int64_t integer(const std::string& t, const std::string& column) const {
        char* end = nullptr;
        errno = 0;
        long long v = std::strtoll(t.c_str(), &end, 10);
        if (t.empty() || *end != '\0' || errno == ERANGE) bad(column + " '" + t + "' is not an integer");
        return v;
    }
    std::int64_t count(const std::string& t, const std::string& column) const {
        auto v = integer(t, column);
        if (v < 0) bad(column + " " + t + " is negative");
        return v;
    }
    // A 1-based position: digits only, at least 1.
    std::int64_t position(const std::string& t, const std::string& column) const {
        auto digit = [](char c) { return c >= '0' && c <= '9'; };
        if (t.empty() || t.size() > 18 || !std::all_of(t.begin(), t.end(), digit) || std::stoll(t) < 1)
            bad(column + " '" + t + "' is not a positive integer (1-based position)");
        return std::stoll(t);
    }
};

const std::vector<std::string> score_header = {"sample_id", "raw_score", "percentile", "z", "ancestry_z",
                                               "absolute_risk", "matched_variants", "total_variants"};
const std::vector<std::string> findings_header = {"sample_id", "chrom", "pos", "ref", "alt", "gene", "transcript",
                                                  "consequence", "impact", "hgvs_c", "hgvs_p", "zygosity",
                                                  "clnsig", "review_stars", "condition", "reason"};

void expect_header(tsv& t, const std::vector<std::string>& want, const std::string& kind) {
    std::vector<std::string> f;
    if (!t.next(f)) t.bad("empty file (expected the " + kind + " header)");
    if (f != want) t.bad("not a " + kind + " header (expected the columns of docs/" +
                         (kind == "findings" ? std::string("annotate.md") : std::string("score.md")) + ")");
}

}  // namespace

std::vector<score_entry> read_scores(const std::vector<std::filesystem::path>& files) {
    std::vector<score_entry> out;
    std::map<std::string, std::string> seen;
    for (const auto& file : files) {
        tsv t(file, "--scores");
        expect_header(t, score_header, "scores.tsv");
        std::vector<std::string> f;
        while (t.next(f)) {
            if (f.size() != score_header.size())
                t.bad(std::to_string(f.size()) + " fields, expected " + std::to_string(score_header.size()));
            score_entry e;
            e.sample = f[0];
            if (e.sample.empty()) t.bad("empty sample_id");
            e.raw = t.number(f[1], "raw_score"), e.percentile = t.number(f[2], "percentile");
            e.z = t.number(f[3], "z"), e.ancestry_z = t.number(f[4], "ancestry_z");
            e.absolute_risk = t.number(f[5], "absolute_risk");
            if (e.percentile < 0 || e.percentile > 100) t.bad("percentile " + f[2] + " outside [0, 100]");  // NA passes
            if (e.absolute_risk < 0 || e.absolute_risk > 1) t.bad("absolute_risk " + f[5] + " outside [0, 1]");
            e.matched = t.count(f[6], "matched_variants"), e.total = t.count(f[7], "total_variants");
            if (e.matched > e.total) t.bad("matched_variants " + f[6] + " exceeds total_variants " + f[7]);
            e.where = file.string() + " " + t.where();
            if (auto it = seen.find(e.sample); it != seen.end())
                t.bad("sample '" + e.sample + "' already scored at " + it->second);
            seen[e.sample] = e.where;
            out.push_back(std::move(e));
        }
    }
    return out;
}

std::map<std::string, std::vector<finding>> read_findings(const std::vector<std::filesystem::path>& files) {
    std::map<std::string, std::vector<finding>> out;
    // A finding is one sample's ALT allele of a record on one transcript (annotate writes one row per sample
    // and allele); where each was first seen, to name both rows of a repeat.
    std::map<std::vector<std::string>, std::string> seen;
    for (const auto& file : files) {
        tsv t(file, "--findings");
        expect_header(t, findings_header, "findings");
        std::vector<std::string> f;
        while (t.next(f)) {
            if (f.size() != findings_header.size())
                t.bad(std::to_string(f.size()) + " fields, expected " + std::to_string(findings_header.size()));
            if (f[0].empty()) t.bad("empty sample_id");
            f[2] = std::to_string(t.position(f[2], "pos"));
            finding x{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[14], f[15], -1};
            if (f[13] != ".") {
                x.review_stars = t.integer(f[13], "review_stars");
                if (x.review_stars < 0 || x.review_stars > 4) t.bad("review_stars must be 0-4 or '.'");
            }
            // sample chrom pos ref alt gene transcript
            const std::vector<std::string> key(f.begin(), f.begin() + 7);
            const auto where = file.string() + " " + t.where();
            if (auto [it, added] = seen.emplace(key, where); !added)
                t.bad("sample '" + x.sample + "': finding " + x.chrom + ":" + x.pos + " " + x.ref + ">" + x.alt +
                      " (" + x.gene + ", " + x.transcript + ") already listed at " + it->second +
                      (it->second == where ? " (the file is given twice)" : ""));
            out[x.sample].push_back(std::move(x));
        }
    }
    return out;
}

std::map<std::string, std::vector<model::variant_contribution>> read_contributions(const std::filesystem::path& file) {
    std::map<std::string, std::vector<model::variant_contribution>> out;
    tsv t(file, "--contributions");
    const std::vector<std::string> header = {"sample_id", "chrom",  "pos",         "effect_allele",
                                             "weight",    "dosage", "contribution"};
    std::vector<std::string> f;
    if (!t.next(f) || f != header) t.bad("not a contributions header (precis score --contributions)");
    std::map<std::tuple<std::string, std::string, std::int64_t, std::string>, std::string> seen;
    while (t.next(f)) {
        if (f.size() != header.size()) t.bad(std::to_string(f.size()) + " fields, expected 7");
        if (f[0].empty()) t.bad("empty sample_id");
        model::variant_contribution c{f[1], t.position(f[2], "pos"), f[3], t.finite(f[4], "weight"),
                                      t.finite(f[5], "dosage"), t.finite(f[6], "contribution")};
        if (c.dosage < 0 || c.dosage > 2) t.bad("dosage " + f[5] + " outside [0, 2]");
        const auto key = std::tuple(f[0], c.chrom, c.pos, c.effect_allele);
        if (auto [it, added] = seen.emplace(key, t.where()); !added)
            t.bad("sample '" + f[0] + "': variant " + c.chrom + ":" + std::to_string(c.pos) + " " + c.effect_allele +
                  " already listed at " + it->second);
        out[f[0]].push_back(std::move(c));
    }
    // The report shows a sample's first rows as its top variants: a file in another order (edited, merged)
    // must not put others there. precis score's order is kept (stable, and already sorted).
    for (auto& [sample, rows] : out)
        std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
            return std::abs(a.contribution) > std::abs(b.contribution);
        });
    return out;
}

std::vector<std::pair<std::string, pc_point>> read_pcs(const std::filesystem::path& file) {
    tsv t(file, "PCs file");
    std::vector<std::string> f;
    if (!t.next(f)) t.bad("empty file (expected a header with an id column, PC1 and PC2)");
    std::size_t id = f.size(), pc1 = f.size(), pc2 = f.size();
    for (std::size_t c = 0; c < f.size(); ++c) {
        if (f[c] == "sample_id" || f[c] == "IID" || f[c] == "#IID") id = c;
        if (f[c] == "PC1") pc1 = c;
        if (f[c] == "PC2") pc2 = c;
    }
    if (id == f.size() || pc1 == f.size() || pc2 == f.size())
        t.bad("header lacks an id column (sample_id or IID), PC1 or PC2");
    std::vector<std::pair<std::string, pc_point>> out;
    std::map<std::string, std::string> seen;
    while (t.next(f)) {
        if (f.size() <= std::max({id, pc1, pc2})) t.bad("too few fields");
        if (f[id].empty()) t.bad("empty sample id");
        if (auto [it, added] = seen.emplace(f[id], t.where()); !added)
            t.bad("sample '" + f[id] + "' already listed at " + it->second + " (which PCs are right?)");
        out.emplace_back(f[id], pc_point{t.number(f[pc1], "PC1"), t.number(f[pc2], "PC2")});
    }
    return out;
}

std::vector<std::string> read_sample_list(const std::filesystem::path& file) {
    require_readable_file(file, "--samples");
    std::ifstream in(file);
    std::vector<std::string> out;
    std::map<std::string, std::int64_t> seen;  // id -> its line
    std::string line;
    for (std::int64_t number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        if (auto [it, added] = seen.emplace(line, number); !added)
            throw input_error::at(file.string(), "line " + std::to_string(number),
                                  "sample '" + line + "' already listed at line " + std::to_string(it->second));
        out.push_back(line);
    }
    return out;
}

model_summary read_model_summary(const std::filesystem::path& file) {
    model_summary s;
    s.model = model::read_model(file);
    if (s.model.family != "binomial")
        throw input_error(file.string() + ": a " + s.model.family + " model has no absolute risk; reports need a binomial model");
    s.sha256 = sha256_file(file);
    s.id = s.model.phenotype + "-" + s.sha256.substr(0, 12);
    auto f = h5::file::open(file);
    auto m = h5::group::open(f, "metrics");
    s.auc = m.double_attribute("auc"), s.auc_lower = m.double_attribute("auc_lower");
    s.auc_upper = m.double_attribute("auc_upper"), s.brier = m.double_attribute("brier");
    s.training_case_fraction = m.double_attribute("threshold");
    s.n_test = m.int64_attribute("n"), s.test_cases = m.int64_attribute("cases");
    auto doubles = [&](const std::string& name) {
        auto ds = h5::dataset::open(m, name);
        return ds.dims().at(0) == 0 ? std::vector<double>{} : ds.read_all<double>();
    };
    s.calibration_predicted = doubles("calibration_predicted");
    s.calibration_observed = doubles("calibration_observed");
    auto counts = h5::dataset::open(m, "calibration_count");
    if (counts.dims().at(0) > 0) s.calibration_count = counts.read_all<std::int64_t>();
    s.n_train = h5::group::open(f, "path").int64_attribute("n_train");
    return s;
}

}  // namespace precis::report
