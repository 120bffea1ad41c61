// model.h5: groups /variants /covariates /path /metrics /calibration /reference, attributes on the root.
#include "precis/model/risk_model.hpp"

#include <algorithm>
#include <cmath>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/h5/dataset.hpp"
#include "precis/h5/file.hpp"

namespace precis::model {

namespace {

template <class T> void put(const h5::object& parent, const std::string& name, const std::vector<T>& v, hid_t type) {
    auto ds = h5::dataset::create(parent, name, type, {v.size()});
    if (!v.empty()) ds.write(v.data(), {0}, {v.size()}, h5::transfer::independent);
}
void put(const h5::object& parent, const std::string& name, const std::vector<double>& v) {
    put(parent, name, v, H5T_IEEE_F64LE);
}
void put(const h5::object& parent, const std::string& name, const std::vector<std::int64_t>& v) {
    put(parent, name, v, H5T_STD_I64LE);
}
void put(const h5::object& parent, const std::string& name, const std::vector<std::string>& v) {
    auto ds = h5::create_string_dataset(parent, name, v.size(), h5::max_length(v));
    if (!v.empty()) h5::write_strings(ds, v, 0, h5::transfer::independent);
}
template <class T> std::vector<T> get(const h5::object& parent, const std::string& name) {
    auto ds = h5::dataset::open(parent, name);
    return ds.dims().at(0) == 0 ? std::vector<T>{} : ds.read_all<T>();
}
std::vector<std::string> get_strings(const h5::object& parent, const std::string& name) {
    auto ds = h5::dataset::open(parent, name);
    auto n = ds.dims().at(0);
    return n == 0 ? std::vector<std::string>{} : h5::read_strings(ds, 0, n);
}

}  // namespace

void write_model(const risk_model& m, const std::filesystem::path& path) {
    atomic_output out(path);
    {
        auto f = h5::file::create(out.temp_path());
        f.set_attribute("format", model_format);
        f.set_attribute("format_version", model_format_version);
        f.set_attribute("family", m.family);
        f.set_attribute("model_type", m.model_type);
        f.set_attribute("phenotype", m.phenotype);
        f.set_attribute("intercept", m.intercept);
        f.set_attribute("command", m.command);
        f.set_attribute("created", m.created);
        f.set_attribute("precis_version", m.precis_version);
        f.set_attribute("cohort_path", m.cohort_path);
        f.set_attribute("cohort_created", m.cohort_created);
        f.set_attribute("cohort_command", m.cohort_command);
        f.set_attribute("cohort_bytes", m.cohort_bytes);

        auto v = h5::group::create(f, "variants");
        std::vector<std::string> chrom, ref, alt, effect, other;
        std::vector<std::int64_t> pos;
        std::vector<double> weight, freq;
        for (const auto& x : m.variants) {
            chrom.push_back(x.chrom), ref.push_back(x.ref), alt.push_back(x.alt);
            effect.push_back(x.effect_allele), other.push_back(x.other_allele), pos.push_back(x.pos);
            weight.push_back(x.weight), freq.push_back(x.effect_frequency);
        }
        put(v, "chrom", chrom), put(v, "pos", pos), put(v, "ref", ref), put(v, "alt", alt);
        put(v, "effect_allele", effect), put(v, "other_allele", other);
        put(v, "weight", weight), put(v, "effect_allele_frequency", freq);

        auto c = h5::group::create(f, "covariates");
        put(c, "name", m.covariate_names), put(c, "weight", m.covariate_weights);
        put(c, "mean", m.covariate_mean), put(c, "sd", m.covariate_sd);

        auto p = h5::group::create(f, "path");
        p.set_attribute("alpha", m.alpha);
        p.set_attribute("selection", m.selection);
        p.set_attribute("folds", m.folds);
        p.set_attribute("seed", m.seed);
        p.set_attribute("test_fraction", m.test_fraction);
        p.set_attribute("chosen_index", m.chosen_index);
        p.set_attribute("chosen_lambda", m.lambda.empty() ? 0.0 : m.lambda[static_cast<std::size_t>(m.chosen_index)]);
        p.set_attribute("n_train", m.n_train);
        p.set_attribute("n_test", m.n_test);
        p.set_attribute("converged", std::int64_t{m.converged});
        put(p, "lambda", m.lambda), put(p, "cv_deviance", m.cv_deviance), put(p, "cv_deviance_se", m.cv_deviance_se);
        put(p, "cv_auc", m.cv_auc), put(p, "n_nonzero", m.n_nonzero);

        auto t = h5::group::create(f, "metrics");
        t.set_attribute("auc", m.test_auc.auc), t.set_attribute("auc_se", m.test_auc.se);
        t.set_attribute("auc_lower", m.test_auc.lower), t.set_attribute("auc_upper", m.test_auc.upper);
        t.set_attribute("threshold", m.test.threshold), t.set_attribute("accuracy", m.test.accuracy);
        t.set_attribute("sensitivity", m.test.sensitivity), t.set_attribute("specificity", m.test.specificity);
        t.set_attribute("f1", m.test.f1), t.set_attribute("brier", m.test.brier), t.set_attribute("r2", m.test_r2);
        t.set_attribute("n", m.test.n), t.set_attribute("cases", m.test.cases);
        put(t, "calibration_predicted", m.test.bin_predicted), put(t, "calibration_observed", m.test.bin_observed);
        put(t, "calibration_count", m.test.bin_count);
        put(t, "test_samples", m.test_samples);

        auto k = h5::group::create(f, "calibration");
        k.set_attribute("intercept", m.calibration.intercept), k.set_attribute("slope", m.calibration.slope);
        k.set_attribute("converged", std::int64_t{m.calibration.converged});
        k.set_attribute("var_intercept", m.calibration.var_intercept);
        k.set_attribute("cov_intercept_slope", m.calibration.cov_intercept_slope);
        k.set_attribute("var_slope", m.calibration.var_slope);

        auto r = h5::group::create(f, "reference");
        r.set_attribute("mean", m.reference_mean), r.set_attribute("sd", m.reference_sd);
        r.set_attribute("pc_residual_sd", m.pc_residual_sd);
        put(r, "scores", m.reference_scores), put(r, "pc_weights", m.pc_weights);

        if (m.model_type == "mlp") {
            auto n = h5::group::create(f, "mlp");
            n.set_attribute("hidden", m.network.hidden), n.set_attribute("activation", std::string("tanh"));
            n.set_attribute("b2", m.network.b2);
            n.set_attribute("output_mean", m.network.output_mean), n.set_attribute("output_sd", m.network.output_sd);
            n.set_attribute("linear_test_auc", m.linear_test_auc);
            put(n, "inputs", m.network.inputs), put(n, "input_mean", m.network.input_mean);
            put(n, "input_sd", m.network.input_sd), put(n, "w1", m.network.w1), put(n, "b1", m.network.b1);
            put(n, "w2", m.network.w2);
        }
        f.close();
    }
    out.commit();
}

namespace {

// The numbers score and report compute with: a damaged or hand-edited model is refused, never turned
// into percentiles or risks computed from nothing.
void check_values(const risk_model& m, const std::string& where) {
    auto bad = [&](const std::string& what) { throw input_error(where + ": " + what); };
    auto all_finite = [](const std::vector<double>& v) { return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); }); };
    if (m.family != "binomial" && m.family != "gaussian") bad("unknown family '" + m.family + "' (binomial or gaussian)");
    if (!std::isfinite(m.intercept)) bad("the intercept is not a finite number");
    for (std::size_t i = 0; i < m.variants.size(); ++i) {
        const auto& w = m.variants[i];
        if (!std::isfinite(w.weight)) bad("/variants/weight " + std::to_string(i) + " is not a finite number");
        if (w.pos < 1) bad("/variants/pos " + std::to_string(i) + " is not a positive position");
    }
    if (!all_finite(m.covariate_weights) || !all_finite(m.covariate_mean) || !all_finite(m.covariate_sd))
        bad("/covariates holds a value that is not a finite number");
    if (m.reference_scores.empty()) bad("/reference/scores is empty: percentiles would have no reference");
    if (!all_finite(m.reference_scores) || !std::is_sorted(m.reference_scores.begin(), m.reference_scores.end()))
        bad("/reference/scores must be finite and sorted ascending");
    if (!std::isfinite(m.reference_mean) || !(m.reference_sd >= 0) || !std::isfinite(m.reference_sd))
        bad("/reference mean or sd is not a finite number (sd >= 0)");
    if (!all_finite(m.pc_weights) || !(m.pc_residual_sd >= 0) || !std::isfinite(m.pc_residual_sd))
        bad("/reference pc_weights or pc_residual_sd is not a finite number");
    if (!std::isfinite(m.calibration.intercept) || !std::isfinite(m.calibration.slope))
        bad("/calibration intercept or slope is not a finite number");
    if (!std::isnan(m.test_auc.auc) && !(m.test_auc.auc >= 0 && m.test_auc.auc <= 1)) bad("/metrics auc is outside 0..1");
}

}  // namespace

risk_model read_model(const std::filesystem::path& path) {
    require_readable_file(path, "--model");
    auto f = h5::file::open(path);
    const std::string where = path.string();
    if (!f.has_attribute("format") || f.string_attribute("format") != model_format)
        throw input_error(where + ": not a precis model file (format attribute is not '" + model_format + "')");
    if (auto v = f.string_attribute("format_version"); v != model_format_version)
        throw input_error(where + ": model format_version " + v + " not supported (this precis reads " +
                          model_format_version + ")");
    risk_model m;
    m.family = f.string_attribute("family");
    m.model_type = f.string_attribute("model_type");
    m.phenotype = f.string_attribute("phenotype");
    m.intercept = f.double_attribute("intercept");
    m.command = f.string_attribute("command");
    m.created = f.string_attribute("created");
    m.cohort_path = f.string_attribute("cohort_path");

    auto v = h5::group::open(f, "variants");
    auto chrom = get_strings(v, "chrom"), ref = get_strings(v, "ref"), alt = get_strings(v, "alt");
    auto effect = get_strings(v, "effect_allele"), other = get_strings(v, "other_allele");
    auto pos = get<std::int64_t>(v, "pos");
    auto weight = get<double>(v, "weight"), freq = get<double>(v, "effect_allele_frequency");
    for (std::size_t n : {chrom.size(), ref.size(), alt.size(), effect.size(), other.size(), weight.size(), freq.size()})
        if (n != pos.size())
            throw input_error(where + ": the /variants datasets differ in length (" + std::to_string(pos.size()) + " positions, " +
                              std::to_string(weight.size()) + " weights, " + std::to_string(chrom.size()) + " contigs, " +
                              std::to_string(effect.size()) + " effect alleles)");
    for (std::size_t i = 0; i < pos.size(); ++i)
        m.variants.push_back({chrom.at(i), pos[i], ref.at(i), alt.at(i), effect.at(i), other.at(i), weight.at(i),
                              freq.at(i)});

    auto c = h5::group::open(f, "covariates");
    m.covariate_names = get_strings(c, "name");
    m.covariate_weights = get<double>(c, "weight");
    m.covariate_mean = get<double>(c, "mean");
    m.covariate_sd = get<double>(c, "sd");
    for (std::size_t n : {m.covariate_weights.size(), m.covariate_mean.size(), m.covariate_sd.size()})
        if (n != m.covariate_names.size())
            throw input_error(where + ": the /covariates datasets differ in length (" + std::to_string(m.covariate_names.size()) +
                              " names, " + std::to_string(m.covariate_weights.size()) + " weights)");

    auto p = h5::group::open(f, "path");
    m.alpha = p.double_attribute("alpha");
    m.chosen_index = p.int64_attribute("chosen_index");
    m.lambda = get<double>(p, "lambda");

    auto t = h5::group::open(f, "metrics");
    m.test_auc.auc = t.double_attribute("auc");

    auto k = h5::group::open(f, "calibration");
    m.calibration.intercept = k.double_attribute("intercept");
    m.calibration.slope = k.double_attribute("slope");
    m.calibration.converged = k.int64_attribute("converged") != 0;
    if (k.has_attribute("var_slope")) {  // absent in models written before the interval was added
        m.calibration.var_intercept = k.double_attribute("var_intercept");
        m.calibration.cov_intercept_slope = k.double_attribute("cov_intercept_slope");
        m.calibration.var_slope = k.double_attribute("var_slope");
    }

    auto r = h5::group::open(f, "reference");
    m.reference_mean = r.double_attribute("mean");
    m.reference_sd = r.double_attribute("sd");
    m.pc_residual_sd = r.double_attribute("pc_residual_sd");
    m.reference_scores = get<double>(r, "scores");
    m.pc_weights = get<double>(r, "pc_weights");

    if (m.model_type == "mlp") {
        auto n = h5::group::open(f, "mlp");
        m.network.hidden = n.int64_attribute("hidden");
        m.network.b2 = n.double_attribute("b2");
        m.network.output_mean = n.double_attribute("output_mean");
        m.network.output_sd = n.double_attribute("output_sd");
        m.network.inputs = get_strings(n, "inputs");
        m.network.input_mean = get<double>(n, "input_mean"), m.network.input_sd = get<double>(n, "input_sd");
        m.network.w1 = get<double>(n, "w1"), m.network.b1 = get<double>(n, "b1"), m.network.w2 = get<double>(n, "w2");
        const auto p = m.network.inputs.size(), h = static_cast<std::size_t>(m.network.hidden);
        if (m.network.w1.size() != h * p || m.network.b1.size() != h || m.network.w2.size() != h ||
            m.network.input_mean.size() != p || m.network.input_sd.size() != p)
            throw input_error(where + ": /mlp datasets do not match hidden = " + std::to_string(h) + " and " +
                              std::to_string(p) + " inputs");
    } else if (m.model_type != "elastic-net") {
        throw input_error(where + ": unknown model_type '" + m.model_type + "'");
    }
    check_values(m, where);
    return m;
}

double percentile(const std::vector<double>& reference, double score) {
    if (reference.empty()) return 0;
    auto lo = std::lower_bound(reference.begin(), reference.end(), score);
    auto hi = std::upper_bound(reference.begin(), reference.end(), score);
    double below = static_cast<double>(lo - reference.begin()), ties = static_cast<double>(hi - lo);
    return 100.0 * (below + 0.5 * ties) / static_cast<double>(reference.size());
}

}  // namespace precis::model
