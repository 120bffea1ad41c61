#include "precis/model/gwas_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/h5/dataset.hpp"
#include "precis/model/plot.hpp"

namespace precis::model {

namespace {

/// plink2's number format: 6 significant digits, %g style.
void put_number(std::string& line, double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    line += buf;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    atomic_output out(path);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        file << text;
        file.close();
        if (!file) throw runtime_failure(path.string() + ": write failed");
    }
    out.commit();
}

}  // namespace

gwas_paths output_paths(const std::string& prefix, const gwas_result& r) {
    const std::string base = prefix + "." + r.phenotype;
    std::string table = base + ".glm.linear";
    if (r.logistic)
        table = base + (r.firth == firth_mode::always   ? ".glm.firth"
                        : r.firth == firth_mode::never ? ".glm.logistic"
                                                        : ".glm.logistic.hybrid");
    return {table, base + ".gwas.h5", base + ".manhattan.svg", base + ".qq.svg"};
}

gwas_summary summarise(const gwas_result& r) {
    gwas_summary s;
    std::vector<double> p;
    for (const auto& t : r.tests) {
        if (!t.reported) continue;
        ++s.reported;
        if (t.error != gwas_error::none) continue;
        ++s.tested;
        s.hits += t.p < 5e-8;
        s.firth += t.firth;
        p.push_back(t.p);
    }
    s.lambda_gc = lambda_gc(std::move(p));
    return s;
}

void write_glm_table(const gwas_result& r, const std::filesystem::path& path) {
    atomic_output out(path);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        if (!file) throw runtime_failure(path.string() + ": cannot create");
        const bool firth_column = r.logistic && r.firth == firth_mode::fallback;
        std::string line = "#CHROM\tPOS\tID\tREF\tALT\tA1\t";
        if (firth_column) line += "FIRTH?\t";
        line += r.logistic ? "TEST\tOBS_CT\tOR\tLOG(OR)_SE\tZ_STAT\tP\tERRCODE\n" : "TEST\tOBS_CT\tBETA\tSE\tT_STAT\tP\tERRCODE\n";
        file << line;
        for (std::size_t i = 0; i < r.tests.size(); ++i) {
            const auto& t = r.tests[i];
            if (!t.reported) continue;
            const auto& v = r.variants;
            line.clear();
            line += v.chrom[i] + '\t' + std::to_string(v.pos[i]) + '\t' + v.id[i] + '\t' + v.ref[i] + '\t' + v.alt[i] +
                    '\t' + v.alt[i] + '\t';
            if (firth_column) line += t.firth ? "Y\t" : "N\t";
            line += "ADD\t" + std::to_string(t.obs_ct) + '\t';
            if (t.error == gwas_error::none) {
                put_number(line, r.logistic ? std::exp(t.beta) : t.beta);
                for (double x : {t.se, t.stat, t.p}) {
                    line += '\t';
                    put_number(line, x);
                }
            } else {
                line += "NA\tNA\tNA\tNA";
            }
            line += '\t';
            line += to_string(t.error);
            line += '\n';
            file << line;
        }
        file.close();
        if (!file) throw runtime_failure(path.string() + ": write failed");
    }
    out.commit();
}

void write_gwas_h5(const gwas_result& r, const gwas_summary& s, const std::filesystem::path& path,
                   const std::string& command_line) {
    std::vector<std::int64_t> row, obs;
    std::vector<double> beta, se, stat, p;
    std::vector<std::uint8_t> firth, error;
    for (std::size_t i = 0; i < r.tests.size(); ++i) {
        const auto& t = r.tests[i];
        if (!t.reported) continue;
        const bool ok = t.error == gwas_error::none;
        const double nan = std::nan("");
        row.push_back(r.rows[i]);
        obs.push_back(t.obs_ct);
        beta.push_back(ok ? t.beta : nan);
        se.push_back(ok ? t.se : nan);
        stat.push_back(ok ? t.stat : nan);
        p.push_back(ok ? t.p : nan);
        firth.push_back(t.firth);
        error.push_back(static_cast<std::uint8_t>(t.error));
    }
    atomic_output out(path);
    {
        auto file = h5::file::create(out.temp_path());
        auto g = h5::group::create(file, "gwas");
        const std::vector<std::uint64_t> dims{row.size()};
        auto put = [&](const char* name, hid_t type, const auto& values) {
            h5::dataset::create(g, name, type, dims).write(values.data(), {0}, dims);
        };
        put("row", H5T_STD_I64LE, row);
        put("obs_ct", H5T_STD_I64LE, obs);
        put("beta", H5T_IEEE_F64LE, beta);
        put("se", H5T_IEEE_F64LE, se);
        put("stat", H5T_IEEE_F64LE, stat);
        put("p", H5T_IEEE_F64LE, p);
        put("firth", H5T_STD_U8LE, firth);
        put("error", H5T_STD_U8LE, error);
        g.set_attribute("phenotype", r.phenotype);
        g.set_attribute("model", r.logistic ? "logistic" : "linear");
        std::string predictors;
        for (const auto& n : r.predictors) predictors += (predictors.empty() ? "" : ",") + n;
        g.set_attribute("covariates", predictors);
        g.set_attribute("n_samples", r.n_samples);
        g.set_attribute("n_cases", r.n_cases);
        g.set_attribute("lambda_gc", s.lambda_gc);
        g.set_attribute("hits", s.hits);
        g.set_attribute("firth_count", s.firth);
        g.set_attribute("command", command_line);
        file.close();
    }
    out.commit();
}

void write_plots(const gwas_result& r, const gwas_summary& s, const gwas_paths& paths) {
    std::vector<std::string> names;
    std::vector<std::int64_t> lengths;
    for (const auto& c : r.contigs) {
        names.push_back(c.name);
        lengths.push_back(c.length);
    }
    std::vector<manhattan_point> points;
    std::vector<double> p;
    for (std::size_t i = 0; i < r.tests.size(); ++i) {
        const auto& t = r.tests[i];
        if (!t.reported || t.error != gwas_error::none) continue;
        const auto c = std::find(names.begin(), names.end(), r.variants.chrom[i]);
        points.push_back({static_cast<int>(c - names.begin()), r.variants.pos[i], t.p});
        p.push_back(t.p);
    }
    const std::string title = "precis gwas: " + r.phenotype + (r.logistic ? " (logistic" : " (linear") + ", " +
                              std::to_string(r.n_samples) + " samples, " + std::to_string(s.tested) + " variants)";
    write_text(paths.manhattan, manhattan_svg(points, names, lengths, title));
    write_text(paths.qq, qq_svg(std::move(p), s.lambda_gc, title));
}

}  // namespace precis::model
