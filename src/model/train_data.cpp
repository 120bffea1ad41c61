// Assembling a training run's data: outcome, unpenalised columns, the stratified split, standardised
// genotypes of this rank's shard.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/model/detail/training_data.hpp"

#include <oneapi/tbb/parallel_for.h>

namespace precis::model::detail {

namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();

// Columns of a clinical TSV (first column: sample id) for the kept samples; NaN where absent.
void read_clinical(const std::filesystem::path& path, const std::vector<std::string>& kept_names,
                   std::vector<std::string>& names, std::vector<std::vector<double>>& columns) {
    require_readable_file(path, "--clinical");
    std::ifstream in(path);
    std::string line;
    std::int64_t line_no = 0;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < kept_names.size(); ++i) index[kept_names[i]] = i;
    std::size_t first_column = names.size();
    std::map<std::string, std::int64_t> seen;  // sample id -> line
    std::size_t matched = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string t; std::getline(ss, t, '\t');) f.push_back(t);
        if (line_no == 1) {
            if (f.size() < 2) throw input_error::at(path.string(), "line 1", "need a sample id column and a feature");
            for (std::size_t c = 1; c < f.size(); ++c) {
                // Features are matched by name when scoring: each name must be unique among the features.
                if (f[c].empty())
                    throw input_error::at(path.string(), "line 1", "column " + std::to_string(c + 1) + " has no name");
                if (std::find(names.begin(), names.end(), f[c]) != names.end())
                    throw input_error::at(path.string(), "line 1",
                                          "column '" + f[c] + "' is named twice (in this file, or as a --covariates or PC name)");
                names.push_back(f[c]);
                columns.emplace_back(kept_names.size(), nan);
            }
            continue;
        }
        if (f.size() != names.size() - first_column + 1)
            throw input_error::at(path.string(), "line " + std::to_string(line_no),
                                  std::to_string(f.size()) + " fields, the header has " +
                                      std::to_string(names.size() - first_column + 1));
        if (auto [at, fresh] = seen.emplace(f[0], line_no); !fresh)
            throw input_error::at(path.string(), "line " + std::to_string(line_no),
                                  "duplicate sample '" + f[0] + "' (also on line " + std::to_string(at->second) + ")");
        auto it = index.find(f[0]);
        if (it == index.end()) continue;
        ++matched;
        for (std::size_t c = 1; c < f.size(); ++c) {
            if (f[c].empty() || f[c] == "NA" || f[c] == "NaN" || f[c] == ".") continue;
            char* end = nullptr;
            double v = std::strtod(f[c].c_str(), &end);
            if (end != f[c].c_str() + f[c].size() || !std::isfinite(v))
                throw input_error::at(path.string(), "line " + std::to_string(line_no),
                                      "'" + f[c] + "' in column " + names[first_column + c - 1] + " is not a number");
            columns[first_column + c - 1][it->second] = v;
        }
    }
    if (line_no == 0) throw input_error::at(path.string(), "line 1", "empty file");
    if (matched == 0 && !kept_names.empty())
        throw input_error(path.string() + ": no sample id of its first column is a sample of the cohort (e.g. '" +
                          kept_names.front() + "')");
}

// Standardisation of a dosage column over n fitting samples with c[g] calls of dosage g, the rest missing and
// imputed to m, centred at `centre`: the 1/n sd and the table of standardised values (design::lut). Both are
// zero when the column is constant, or when only its imputed calls vary (a missingness indicator with a tiny
// sd, which would explode on held-out carriers).
struct column_scale {
    double sd = 0;
    std::array<double, 4> lut{0, 0, 0, 0};
};

column_scale scale_column(const double c[3], double n, double m, double centre) {
    const double missing = n - c[0] - c[1] - c[2];
    const double var = (c[0] * centre * centre + c[1] * (1 - centre) * (1 - centre) + c[2] * (2 - centre) * (2 - centre) +
                        missing * (m - centre) * (m - centre)) / n;
    const bool observed_vary = (c[0] > 0) + (c[1] > 0) + (c[2] > 0) > 1;
    column_scale out;
    if (observed_vary && var > 1e-12) {
        out.sd = std::sqrt(var);
        out.lut = {-centre / out.sd, (1 - centre) / out.sd, (2 - centre) / out.sd, (m - centre) / out.sd};
    }
    return out;
}

// Fisher-Yates with a fixed generator, so every platform and rank count gives the same split.
void shuffle(std::vector<std::int64_t>& v, std::mt19937_64& rng) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

}  // namespace

std::int64_t pca_components(const h5::cohort_reader& cohort) {
    if (!cohort.h5().exists("/pca/scores")) return 0;
    auto ds = h5::dataset::open(cohort.h5(), "/pca/scores");
    const auto dims = ds.dims();
    if (dims.size() != 2 || static_cast<std::int64_t>(dims[0]) != cohort.n_samples())
        throw input_error(ds.where() + ": expected [n_samples, k] scores (" + std::to_string(cohort.n_samples()) +
                          " samples); run precis pca again");
    return static_cast<std::int64_t>(dims[1]);
}

std::vector<double> read_pcs(const h5::cohort_reader& cohort, const std::vector<std::int64_t>& kept, std::int64_t& k) {
    const std::int64_t have = pca_components(cohort);
    if (have == 0) {
        k = 0;
        return {};
    }
    auto ds = h5::dataset::open(cohort.h5(), "/pca/scores");
    if (k <= 0) k = std::min<std::int64_t>(have, 20);
    if (k > have)
        throw input_error(cohort.h5().where() + ": --pcs " + std::to_string(k) + " but /pca/scores has " +
                          std::to_string(have) + " components");
    auto all = ds.read_all<double>();
    std::vector<double> out;
    for (auto s : kept)
        for (std::int64_t c = 0; c < k; ++c) out.push_back(all[static_cast<std::size_t>(s * have + c)]);
    return out;
}

training_data load_training_data(const train_options& o, const h5::cohort_reader& cohort,
                                 const genotype_source& source, const mpi::communicator& comm, const logger& log) {
    training_data t;
    const auto& kept = source.kept_samples();
    const std::size_t n = kept.size();
    auto known = cohort.phenotype_names();
    if (std::find(known.begin(), known.end(), o.phenotype) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw input_error("--phenotype " + o.phenotype + ": not in " + o.cohort.string() + " (phenotypes: " +
                          (list.empty() ? "none" : list) + ")");
    }
    auto pheno = cohort.phenotype(o.phenotype);
    // Unpenalised columns, per kept sample.
    std::vector<std::vector<double>> columns;
    auto known_cov = cohort.covariate_names();
    for (const auto& c : o.covariates) {
        if (std::find(known_cov.begin(), known_cov.end(), c) == known_cov.end())
            throw input_error("--covariates " + c + ": not in " + o.cohort.string());
        auto all = cohort.covariate(c);
        columns.emplace_back();
        for (auto s : kept) columns.back().push_back(all[static_cast<std::size_t>(s)]);
        t.dense_names.push_back(c);
    }
    t.n_pcs = o.pcs;
    if (o.pcs > 0) {
        if (!cohort.h5().exists("/pca/scores"))
            throw input_error("--pcs " + std::to_string(o.pcs) + ": " + o.cohort.string() +
                              " has no /pca/scores (run precis pca first)");
        t.pcs = read_pcs(cohort, kept, t.n_pcs);
        for (std::int64_t c = 0; c < t.n_pcs; ++c) {
            columns.emplace_back();
            for (std::size_t i = 0; i < n; ++i) columns.back().push_back(t.pcs[i * static_cast<std::size_t>(t.n_pcs) + static_cast<std::size_t>(c)]);
            t.dense_names.push_back("PC" + std::to_string(c + 1));
        }
    } else {
        t.pcs = read_pcs(cohort, kept, t.n_pcs);
    }
    if (!o.clinical.empty()) {
        std::vector<std::string> kept_names;
        for (auto s : kept) kept_names.push_back(cohort.samples()[static_cast<std::size_t>(s)]);
        read_clinical(o.clinical, kept_names, t.dense_names, columns);
    }
    if (!o.genomic && columns.empty())
        throw input_error("--genomic no needs --covariates, --pcs or --clinical features");

    // Outcome and usable samples.
    t.y.assign(n, nan);
    bool binary = true, one_two = true;
    std::vector<std::size_t> missing_feature(columns.size(), 0);  // samples with a phenotype lacking column c
    std::size_t lacking = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double v = pheno[static_cast<std::size_t>(kept[i])];
        bool ok = true;
        for (std::size_t c = 0; c < columns.size(); ++c)
            if (!std::isfinite(columns[c][i])) ok = false, missing_feature[c] += std::isfinite(v);
        lacking += std::isfinite(v) && !ok;
        if (!ok || !std::isfinite(v)) continue;
        t.y[i] = v;
        binary = binary && (v == 0 || v == 1);
        one_two = one_two && (v == 1 || v == 2);
    }
    if (lacking > 0 && comm.is_root()) {  // every rank holds the same table
        std::string which;
        for (std::size_t c = 0; c < columns.size(); ++c)
            if (missing_feature[c] > 0)
                which += (which.empty() ? "" : ", ") + t.dense_names[c] + " " + std::to_string(missing_feature[c]);
        log.warn(lacking, " samples with a phenotype are left out for a missing feature value (", which, ")");
    }
    t.family = (binary || one_two) ? family::binomial : family::gaussian;
    std::vector<std::vector<std::int64_t>> strata(t.family == family::binomial ? 2 : 1);
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(t.y[i])) continue;
        if (one_two && !binary) t.y[i] -= 1;
        strata[t.family == family::binomial ? static_cast<std::size_t>(t.y[i]) : 0].push_back(static_cast<std::int64_t>(i));
    }
    // Stratified test split, then stratified folds of the rest.
    t.fold.assign(n, static_cast<std::int64_t>(role::unused));
    std::mt19937_64 rng(o.seed);
    std::int64_t n_train = 0;
    for (auto& s : strata) {
        if (s.size() < 2 * static_cast<std::size_t>(o.folds))
            throw input_error("--phenotype " + o.phenotype + ": only " + std::to_string(s.size()) +
                              " usable samples in a class (need at least 2 x --folds)");
        shuffle(s, rng);
        auto n_test = static_cast<std::size_t>(std::llround(o.test_fraction * static_cast<double>(s.size())));
        for (std::size_t k = 0; k < s.size(); ++k)
            t.fold[static_cast<std::size_t>(s[k])] =
                k < n_test ? static_cast<std::int64_t>(role::test) : static_cast<std::int64_t>((k - n_test) % static_cast<std::size_t>(o.folds));
        n_train += static_cast<std::int64_t>(s.size() - n_test);
    }
    auto is_train = [&](std::size_t i) { return t.fold[i] >= 0; };
    if (t.family == family::gaussian) {
        double s = 0, ss = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (is_train(i)) s += t.y[i];
        t.y_mean = s / static_cast<double>(n_train);
        for (std::size_t i = 0; i < n; ++i)
            if (is_train(i)) ss += (t.y[i] - t.y_mean) * (t.y[i] - t.y_mean);
        t.y_sd = std::sqrt(ss / static_cast<double>(n_train));
        if (!(t.y_sd > 0)) throw input_error("--phenotype " + o.phenotype + ": constant in the training samples");
    }

    // The local shard: outcome and standardised unpenalised columns.
    t.shard = source.shard();
    design& d = t.d;
    d.n_local = t.shard.size();
    d.n_dense = static_cast<std::int64_t>(columns.size());
    for (std::size_t i = static_cast<std::size_t>(t.shard.begin); i < static_cast<std::size_t>(t.shard.end); ++i)
        d.y.push_back(std::isfinite(t.y[i]) ? (t.y[i] - t.y_mean) / t.y_sd : 0.0);
    for (std::size_t c = 0; c < columns.size(); ++c) {
        double s = 0, ss = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (is_train(i)) s += columns[c][i];
        double mean = s / static_cast<double>(n_train);
        for (std::size_t i = 0; i < n; ++i)
            if (is_train(i)) ss += (columns[c][i] - mean) * (columns[c][i] - mean);
        double sd = std::sqrt(ss / static_cast<double>(n_train));
        if (!(sd > 0)) throw input_error("feature " + t.dense_names[c] + " is constant in the training samples");
        t.dense_mean.push_back(mean), t.dense_sd.push_back(sd);
        for (std::size_t i = static_cast<std::size_t>(t.shard.begin); i < static_cast<std::size_t>(t.shard.end); ++i)
            d.dense.push_back(std::isfinite(columns[c][i]) ? (columns[c][i] - mean) / sd : 0.0);
    }

    // Genotypes of the shard, and per-variant training mean and sd (missing imputed to the mean).
    d.n_variants = o.genomic ? source.n_variants() : 0;
    d.dosage.resize(static_cast<std::size_t>(d.n_variants * d.n_local));
    constexpr std::int64_t block = 2048;
    std::vector<std::int8_t> buf;
    for (std::int64_t first = 0; first < d.n_variants; first += block) {
        const std::int64_t m = std::min(block, d.n_variants - first);
        source.read(first, m, buf);
        std::copy(buf.begin(), buf.end(), d.dosage.begin() + first * d.n_local);
    }
    // Dosage counts per fold (fold-major), then fold sizes: one reduction. The training counts are their sums.
    const auto folds = static_cast<std::size_t>(o.folds);
    const auto p3 = static_cast<std::size_t>(3 * d.n_variants);
    std::vector<std::int64_t> fc(folds * p3 + folds, 0);
    tbb::parallel_for(std::int64_t{0}, d.n_variants, [&](std::int64_t j) {
        for (std::int64_t i = 0; i < d.n_local; ++i) {
            auto g = d.dosage[static_cast<std::size_t>(j * d.n_local + i)];
            auto f = t.fold[static_cast<std::size_t>(t.shard.begin + i)];
            if (g >= 0 && f >= 0) ++fc[static_cast<std::size_t>(f) * p3 + static_cast<std::size_t>(3 * j + g)];
        }
    });
    for (std::int64_t i = 0; i < d.n_local; ++i)
        if (auto f = t.fold[static_cast<std::size_t>(t.shard.begin + i)]; f >= 0) ++fc[folds * p3 + static_cast<std::size_t>(f)];
    if (comm.size() > 1)
        mpi::check(MPI_Allreduce(MPI_IN_PLACE, fc.data(), static_cast<int>(fc.size()), MPI_INT64_T, MPI_SUM, comm.get()),
                   "MPI_Allreduce (dosage counts)");
    std::vector<std::int64_t> counts(p3, 0);
    for (std::size_t f = 0; f < folds; ++f)
        for (std::size_t k = 0; k < p3; ++k) counts[k] += fc[f * p3 + k];
    t.fold_size.assign(fc.begin() + static_cast<std::ptrdiff_t>(folds * p3), fc.end());
    fc.resize(folds * p3);
    t.fold_counts = std::move(fc);
    t.n_train = n_train;
    for (std::int64_t j = 0; j < d.n_variants; ++j) {
        const double c[3] = {static_cast<double>(counts[static_cast<std::size_t>(3 * j)]),
                             static_cast<double>(counts[static_cast<std::size_t>(3 * j + 1)]),
                             static_cast<double>(counts[static_cast<std::size_t>(3 * j + 2)])};
        const double obs = c[0] + c[1] + c[2];
        const double mean = obs > 0 ? (c[1] + 2 * c[2]) / obs : 0;
        const auto scale = scale_column(c, static_cast<double>(n_train), mean, mean);
        t.variant_mean.push_back(mean), t.variant_sd.push_back(scale.sd);
        d.lut.push_back(scale.lut);
    }
    log.info("training data: ", n_train, " training samples, ", d.n_variants, " variants, ", d.n_dense,
             " unpenalised features, family ", t.family == family::binomial ? "binomial" : "gaussian");
    return t;
}

std::vector<std::array<double, 4>> fold_lut(const training_data& t, std::int64_t f) {
    const auto p = static_cast<std::size_t>(t.d.n_variants);
    const double n = static_cast<double>(t.n_train - t.fold_size[static_cast<std::size_t>(f)]);
    std::vector<std::array<double, 4>> lut(p);
    for (std::size_t j = 0; j < p; ++j) {
        double c[3] = {0, 0, 0};  // the other folds' counts
        for (std::size_t h = 0; h < t.fold_size.size(); ++h)
            if (h != static_cast<std::size_t>(f))
                for (std::size_t g = 0; g < 3; ++g) c[g] += static_cast<double>(t.fold_counts[(h * p + j) * 3 + g]);
        const double m = t.variant_mean[j];
        lut[j] = scale_column(c, n, m, (c[1] + 2 * c[2] + (n - c[0] - c[1] - c[2]) * m) / n).lut;
    }
    return lut;
}

}  // namespace precis::model::detail
