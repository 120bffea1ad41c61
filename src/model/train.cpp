// precis train: path on the training samples, k-fold CV with the same lambdas, test metrics, recalibration,
// reference distribution, all on the original (unstandardised) scale in the returned model.
#include "precis/core/timestamp.hpp"
#include "precis/model/train.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <utility>

#include "precis/core/atomic_output.hpp"
#include "precis/core/build_info.hpp"
#include "precis/core/error.hpp"
#include "precis/model/detail/shard_gather.hpp"
#include "precis/model/detail/training_data.hpp"

namespace precis::model {

namespace {

using detail::gather_shards;

// Out-of-fold deviance of one sample (binomial: -2 log-likelihood; gaussian: squared error). As in
// cv.glmnet (cv.lognet's prob_min), the predicted probability is clamped to [1e-5, 1 - 1e-5], so one
// confidently wrong prediction of an overfitted fold fit costs at most -2 log(1e-5) = 23.
double deviance(family f, double y, double eta) {
    if (f == family::gaussian) return (y - eta) * (y - eta);
    double p = std::clamp(logistic(eta), 1e-5, 1 - 1e-5);
    return -2 * (y * std::log(p) + (1 - y) * std::log(1 - p));
}

std::vector<std::uint8_t> local_use(const detail::training_data& t, bool (*keep)(std::int64_t, std::int64_t),
                                    std::int64_t fold) {
    std::vector<std::uint8_t> use;
    for (auto i = t.shard.begin; i < t.shard.end; ++i) use.push_back(keep(t.fold[static_cast<std::size_t>(i)], fold));
    return use;
}

// Polygenic score (original scale, missing = 2 * frequency) of every local sample.
std::vector<double> local_pgs(const detail::training_data& t, const std::vector<double>& weight) {
    const design& d = t.d;
    std::vector<double> out(static_cast<std::size_t>(d.n_local), 0.0);
    for (std::int64_t j = 0; j < d.n_variants; ++j) {
        const double w = weight[static_cast<std::size_t>(j)];
        if (w == 0) continue;
        const std::int8_t* g = d.dosage.data() + j * d.n_local;
        for (std::int64_t i = 0; i < d.n_local; ++i)
            out[static_cast<std::size_t>(i)] += w * (g[i] >= 0 ? g[i] : t.variant_mean[static_cast<std::size_t>(j)]);
    }
    return out;
}

// Squared Pearson correlation of predictions and outcomes (the gaussian test r2).
double squared_correlation(std::vector<double> predicted, std::vector<double> observed) {
    Eigen::Map<Eigen::VectorXd> a(predicted.data(), static_cast<Eigen::Index>(predicted.size())),
        b(observed.data(), static_cast<Eigen::Index>(observed.size()));
    const double r = ((a.array() - a.mean()) * (b.array() - b.mean())).sum() /
                     std::sqrt((a.array() - a.mean()).square().sum() * (b.array() - b.mean()).square().sum());
    return r * r;
}

// The genotype part of a linear predictor: eta minus the intercept and the dense (unpenalised) columns.
std::vector<double> genomic_part(const design& d, const coefficients& c, std::vector<double> eta) {
    const auto n = static_cast<std::size_t>(d.n_local);
    for (std::size_t i = 0; i < n; ++i) {
        eta[i] -= c.intercept;
        for (std::int64_t k = 0; k < d.n_dense; ++k)
            eta[i] -= c.dense[static_cast<std::size_t>(k)] * d.dense[static_cast<std::size_t>(k) * n + i];
    }
    return eta;
}

// --model mlp: fits the fusion network on the training samples (their out-of-fold polygenic score and
// covariates) and replaces the test metrics with the network's. Every rank gets the same (small) fusion
// inputs of all kept samples and fits the same network; genotypes stay in their shards.
void fit_fusion(risk_model& m, const detail::training_data& t, const train_options& o,
                const std::vector<double>& oof_pgs, const std::vector<double>& pgs_all, const mpi::communicator& comm,
                const logger& log) {
    const std::size_t n = t.y.size(), n_local = static_cast<std::size_t>(t.d.n_local);
    const bool genomic = t.d.n_variants > 0;
    std::vector<std::vector<double>> dense;  // standardised, all kept samples
    for (std::size_t k = 0; k < static_cast<std::size_t>(t.d.n_dense); ++k)
        dense.push_back(gather_shards(std::vector<double>(t.d.dense.begin() + static_cast<std::ptrdiff_t>(k * n_local),
                                                          t.d.dense.begin() + static_cast<std::ptrdiff_t>((k + 1) * n_local)),
                                      comm));
    mlp& net = m.network;
    net = {};
    if (genomic) {
        net.inputs.push_back("PGS");
        net.input_mean.push_back(m.reference_mean), net.input_sd.push_back(m.reference_sd > 0 ? m.reference_sd : 1);
    }
    for (std::size_t k = 0; k < dense.size(); ++k) {
        net.inputs.push_back(t.dense_names[k]);
        net.input_mean.push_back(t.dense_mean[k]), net.input_sd.push_back(t.dense_sd[k]);
    }
    if (net.inputs.empty())
        throw input_error("--model mlp needs inputs: genotypes (--genomic yes), --covariates, --pcs or --clinical");
    if (t.family == family::gaussian) net.output_mean = t.y_mean, net.output_sd = t.y_sd;

    // The out-of-fold score is standardised over the training samples; at prediction time the final
    // score is standardised with the reference distribution (input_mean / input_sd).
    double sum = 0, sum2 = 0, count = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (t.fold[i] >= 0) sum += oof_pgs[i], sum2 += oof_pgs[i] * oof_pgs[i], count += 1;
    const double oof_mean = sum / count;
    double oof_sd = std::sqrt(std::max(0.0, sum2 / count - oof_mean * oof_mean));
    if (!(oof_sd > 0)) oof_sd = 1;
    std::vector<double> z, y;
    for (std::size_t i = 0; i < n; ++i) {
        if (t.fold[i] < 0) continue;
        if (genomic) z.push_back((oof_pgs[i] - oof_mean) / oof_sd);
        for (const auto& column : dense) z.push_back(column[i]);
        y.push_back(t.family == family::binomial ? t.y[i] : (t.y[i] - t.y_mean) / t.y_sd);
    }
    fit_mlp(net, z, y, t.family, o.mlp);

    std::vector<double> out_test, y_test, raw;
    double prevalence = 0, n_train = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (t.fold[i] >= 0) prevalence += t.y[i], n_train += 1;
        if (t.fold[i] != static_cast<std::int64_t>(detail::role::test)) continue;
        raw.clear();
        if (genomic) raw.push_back(pgs_all[i]);
        for (std::size_t k = 0; k < dense.size(); ++k) raw.push_back(dense[k][i] * t.dense_sd[k] + t.dense_mean[k]);
        out_test.push_back(net.predict(raw)), y_test.push_back(t.y[i]);
    }
    if (t.family == family::binomial) {
        m.linear_test_auc = m.test_auc.auc;
        m.test_auc = auc_delong(out_test, y_test);
        std::vector<double> p_test;
        for (double v : out_test) p_test.push_back(logistic(v));
        m.test = classify(p_test, y_test, prevalence / n_train);
        log.info("mlp (", net.inputs.size(), " inputs, ", net.hidden, " hidden): test AUC ", m.test_auc.auc, " [",
                 m.test_auc.lower, ", ", m.test_auc.upper, "]; the elastic net alone: ", m.linear_test_auc);
    } else {
        const double r2 = squared_correlation(out_test, y_test);
        log.info("mlp (", net.inputs.size(), " inputs, ", net.hidden, " hidden): test r2 ", r2,
                 "; the elastic net alone: ", m.test_r2);
        m.test_r2 = r2;
    }
    m.model_type = "mlp";
}

// --folds-out: the sample split as a TSV (sample_id, role: test, fold1..foldK, or unused), e.g. for
// cv.glmnet's foldid in bench/train.sh.
void write_folds(const std::filesystem::path& path, const detail::training_data& t, const h5::cohort_reader& cohort,
                 const genotype_source& source) {
    atomic_output out(path);
    {
        std::ofstream f(out.temp_path());
        f << "sample_id\trole\n";
        for (std::size_t i = 0; i < t.fold.size(); ++i) {
            f << cohort.samples()[static_cast<std::size_t>(source.kept_samples()[i])] << '\t';
            if (t.fold[i] >= 0) f << "fold" << t.fold[i] + 1 << '\n';
            else f << (t.fold[i] == static_cast<std::int64_t>(detail::role::test) ? "test" : "unused") << '\n';
        }
        if (!f.flush()) throw runtime_failure("cannot write " + path.string());
    }
    out.commit();
}

}  // namespace

risk_model train(const train_options& o, const mpi::communicator& comm, const logger& log) {
    if (o.folds < 2) throw input_error("--folds must be at least 2");
    if (!(o.test_fraction > 0 && o.test_fraction < 1)) throw input_error("--test-fraction must lie in (0, 1)");
    if (o.select != "deviance" && o.select != "auc") throw input_error("--select must be deviance or auc");
    if (o.net.nlambda < 1 || o.net.nlambda > 10000)
        throw input_error("--nlambda must be between 1 and 10000, got " + std::to_string(o.net.nlambda));
    if (o.model != "elastic-net" && o.model != "mlp") throw input_error("--model must be elastic-net or mlp");
    if (o.model == "mlp") validate(o.mlp);
    if (!(o.net.lambda_min_ratio >= 0 && o.net.lambda_min_ratio < 1))
        throw input_error("--lambda-min-ratio must lie in (0, 1), or be auto");
    require_readable_file(o.cohort, "--cohort");
    auto cohort = h5::cohort_reader::open(o.cohort, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
    auto masks = read_masks(cohort);
    genotype_source source(cohort, masks, comm);
    auto t = detail::load_training_data(o, cohort, source, comm, log);
    elastic_net_options net = o.net;
    net.family = t.family;
    if (net.lambda_min_ratio == 0)  // auto: glmnet's rule (nobs < nvars: 0.01, else 1e-4)
        net.lambda_min_ratio = t.n_train < t.d.n_variants + t.d.n_dense ? 0.01 : 1e-4;
    if (!o.folds_out.empty() && comm.is_root()) write_folds(o.folds_out, t, cohort, source);
    if (t.family == family::gaussian && o.select == "auc") throw input_error("--select auc needs a 0/1 phenotype");
    const bool fusion = o.model == "mlp";

    auto train_fold = [](std::int64_t f, std::int64_t) { return f >= 0; };
    reduction_stats comms;
    auto count = [&comms](const path_fit& p) {
        comms.count += p.reductions.count, comms.values += p.reductions.values;
        comms.seconds += p.reductions.seconds, comms.total_seconds += p.reductions.total_seconds;
    };
    auto full = fit_path(t.d, local_use(t, train_fold, 0), net, {}, comm);
    count(full);
    log.info("path: ", full.lambda.size(), " lambdas from ", full.lambda.front(), " to ", full.lambda.back());

    // Cross-validation: out-of-fold linear predictors per lambda.
    const std::size_t nl = full.lambda.size(), n = t.y.size();
    std::vector<std::vector<double>> oof_local(nl, std::vector<double>(static_cast<std::size_t>(t.d.n_local), 0.0));
    // With --model mlp: the out-of-fold polygenic part, the network's training input (no in-sample leak).
    std::vector<std::vector<double>> oof_pgs_local(fusion ? nl : 0, std::vector<double>(static_cast<std::size_t>(t.d.n_local), 0.0));
    for (int f = 0; f < o.folds; ++f) {
        auto in_fit = [](std::int64_t g, std::int64_t fold) { return g >= 0 && g != fold; };
        // cv.glmnet standardises each fold's fit on its own samples; so does precis (the full lut is restored).
        auto full_lut = std::exchange(t.d.lut, detail::fold_lut(t, f));
        auto path = fit_path(t.d, local_use(t, in_fit, f), net, full.lambda, comm);
        count(path);
        for (std::size_t l = 0; l < nl; ++l) {
            auto eta = linear_predictor(t.d, path.fits[l]);
            std::vector<double> pgs = fusion ? genomic_part(t.d, path.fits[l], eta) : std::vector<double>{};
            for (std::int64_t i = 0; i < t.d.n_local; ++i)
                if (t.fold[static_cast<std::size_t>(t.shard.begin + i)] == f) {
                    oof_local[l][static_cast<std::size_t>(i)] = eta[static_cast<std::size_t>(i)];
                    if (fusion) oof_pgs_local[l][static_cast<std::size_t>(i)] = pgs[static_cast<std::size_t>(i)];
                }
        }
        t.d.lut = std::move(full_lut);
        log.info("cross-validation fold ", f + 1, "/", o.folds, " done");
    }
    log.info("elastic-net fits: ", comms.total_seconds, " s, ", comms.count, " exact reductions of ", comms.values,
             " int64 values in total", comm.size() > 1 ? ", " + std::to_string(comms.seconds) + " s in MPI_Allreduce" : std::string());
    risk_model m;
    m.lambda = full.lambda;
    std::vector<double> y_train_scaled;  // outcome on the fitting scale
    for (std::size_t i = 0; i < n; ++i)
        if (t.fold[i] >= 0) y_train_scaled.push_back((t.y[i] - t.y_mean) / t.y_sd);
    std::vector<std::vector<double>> oof(nl);
    for (std::size_t l = 0; l < nl; ++l) {
        auto all = gather_shards(oof_local[l], comm);
        std::vector<double> fold_sum(static_cast<std::size_t>(o.folds), 0.0), fold_n(static_cast<std::size_t>(o.folds), 0.0);
        std::vector<double> eta;
        double total = 0;
        for (std::size_t i = 0, k = 0; i < n; ++i) {
            if (t.fold[i] < 0) continue;
            double dv = deviance(t.family, y_train_scaled[k++], all[i]);
            fold_sum[static_cast<std::size_t>(t.fold[i])] += dv, fold_n[static_cast<std::size_t>(t.fold[i])] += 1;
            total += dv;
            eta.push_back(all[i]);
        }
        double mean = total / static_cast<double>(eta.size()), var = 0;
        for (int f = 0; f < o.folds; ++f) {
            double fm = fold_sum[static_cast<std::size_t>(f)] / fold_n[static_cast<std::size_t>(f)];
            var += (fm - mean) * (fm - mean);
        }
        m.cv_deviance.push_back(mean);
        m.cv_deviance_se.push_back(std::sqrt(var / (o.folds - 1) / o.folds));
        m.cv_auc.push_back(t.family == family::binomial ? auc_delong(eta, y_train_scaled).auc : NAN);
        std::int64_t nz = 0;
        for (double b : full.fits[l].variants) nz += b != 0;
        m.n_nonzero.push_back(nz);
        oof[l] = std::move(eta);
    }
    std::size_t best = 0;
    for (std::size_t l = 1; l < nl; ++l)
        if (o.select == "auc" ? m.cv_auc[l] > m.cv_auc[best] : m.cv_deviance[l] < m.cv_deviance[best]) best = l;
    m.chosen_index = static_cast<std::int64_t>(best);
    const coefficients& c = full.fits[best];
    m.converged = true;
    for (const auto& f : full.fits) m.converged = m.converged && f.converged;
    log.info("chosen lambda ", full.lambda[best], " (index ", best, "): ", m.n_nonzero[best],
             " variants, CV deviance ", m.cv_deviance[best], ", CV AUC ", m.cv_auc[best]);

    // Original scale.
    m.family = t.family == family::binomial ? "binomial" : "gaussian";
    m.phenotype = o.phenotype;
    m.alpha = o.net.alpha, m.selection = o.select, m.folds = o.folds, m.seed = static_cast<std::int64_t>(o.seed);
    m.test_fraction = o.test_fraction;
    double intercept = c.intercept;
    std::vector<double> weight(static_cast<std::size_t>(t.d.n_variants), 0.0);
    for (std::int64_t j = 0; j < t.d.n_variants; ++j) {
        double b = c.variants[static_cast<std::size_t>(j)];
        if (b == 0 || t.variant_sd[static_cast<std::size_t>(j)] == 0) continue;
        weight[static_cast<std::size_t>(j)] = b / t.variant_sd[static_cast<std::size_t>(j)] * t.y_sd;
        intercept -= b * t.variant_mean[static_cast<std::size_t>(j)] / t.variant_sd[static_cast<std::size_t>(j)];
        auto row = source.kept_variants()[static_cast<std::size_t>(j)];
        auto v = cohort.read_variants({row, row + 1});
        m.variants.push_back({v.chrom[0], v.pos[0], v.ref[0], v.alt[0], v.alt[0], v.ref[0],
                              weight[static_cast<std::size_t>(j)], t.variant_mean[static_cast<std::size_t>(j)] / 2});
    }
    for (std::size_t k = 0; k < t.dense_names.size(); ++k) {
        m.covariate_names.push_back(t.dense_names[k]);
        m.covariate_weights.push_back(c.dense[k] / t.dense_sd[k] * t.y_sd);
        m.covariate_mean.push_back(t.dense_mean[k]), m.covariate_sd.push_back(t.dense_sd[k]);
        intercept -= c.dense[k] * t.dense_mean[k] / t.dense_sd[k];
    }
    m.intercept = intercept * t.y_sd + t.y_mean;

    // Test metrics.
    auto eta_all = gather_shards(linear_predictor(t.d, c), comm);
    std::vector<double> y_test, eta_test, p_test, y_train;
    double prevalence = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (t.fold[i] >= 0) y_train.push_back(t.y[i]), prevalence += t.y[i];
        if (t.fold[i] != static_cast<std::int64_t>(detail::role::test)) continue;
        y_test.push_back(t.y[i]), eta_test.push_back(eta_all[i]);
        m.test_samples.push_back(cohort.samples()[static_cast<std::size_t>(source.kept_samples()[i])]);
        p_test.push_back(t.family == family::binomial ? logistic(eta_all[i]) : eta_all[i] * t.y_sd + t.y_mean);
    }
    prevalence /= static_cast<double>(y_train.size());
    m.n_train = static_cast<std::int64_t>(y_train.size()), m.n_test = static_cast<std::int64_t>(y_test.size());
    if (t.family == family::binomial) {
        m.test_auc = auc_delong(eta_test, y_test);
        m.test = classify(p_test, y_test, prevalence);
        m.calibration = fit_recalibration(oof[best], y_train);
        log.info("test AUC ", m.test_auc.auc, " [", m.test_auc.lower, ", ", m.test_auc.upper, "], n = ", m.n_test);
    } else {
        m.test_r2 = squared_correlation(p_test, y_test);
        m.test.n = m.n_test;
        log.info("test r2 ", m.test_r2, ", n = ", m.n_test);
    }

    // Reference distribution of the polygenic score in the training samples and its regression on PCs.
    auto pgs_all = gather_shards(local_pgs(t, weight), comm);
    std::vector<std::size_t> train_rows;
    for (std::size_t i = 0; i < n; ++i)
        if (t.fold[i] >= 0) train_rows.push_back(i);
    for (auto i : train_rows) m.reference_scores.push_back(pgs_all[i]);
    std::sort(m.reference_scores.begin(), m.reference_scores.end());
    double s = 0, ss = 0;
    for (double x : m.reference_scores) s += x;
    m.reference_mean = s / static_cast<double>(train_rows.size());
    for (double x : m.reference_scores) ss += (x - m.reference_mean) * (x - m.reference_mean);
    m.reference_sd = std::sqrt(ss / static_cast<double>(train_rows.size() > 1 ? train_rows.size() - 1 : 1));
    if (t.n_pcs > 0) {
        const auto k = t.n_pcs;
        std::vector<std::size_t> rows;
        for (auto i : train_rows) {
            bool ok = true;
            for (std::int64_t c2 = 0; c2 < k; ++c2) ok = ok && std::isfinite(t.pcs[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(c2)]);
            if (ok) rows.push_back(i);
        }
        Eigen::MatrixXd X(static_cast<Eigen::Index>(rows.size()), k + 1);
        Eigen::VectorXd yv(static_cast<Eigen::Index>(rows.size()));
        for (std::size_t r = 0; r < rows.size(); ++r) {
            X(static_cast<Eigen::Index>(r), 0) = 1;
            for (std::int64_t c2 = 0; c2 < k; ++c2)
                X(static_cast<Eigen::Index>(r), c2 + 1) = t.pcs[rows[r] * static_cast<std::size_t>(k) + static_cast<std::size_t>(c2)];
            yv(static_cast<Eigen::Index>(r)) = pgs_all[rows[r]];
        }
        if (static_cast<std::int64_t>(rows.size()) > k + 2) {
            Eigen::VectorXd beta = X.colPivHouseholderQr().solve(yv);
            Eigen::VectorXd res = yv - X * beta;
            m.pc_weights.assign(beta.data(), beta.data() + beta.size());
            m.pc_residual_sd = std::sqrt(res.squaredNorm() / static_cast<double>(rows.size() - static_cast<std::size_t>(k) - 1));
        }
    }

    m.model_type = "elastic-net";
    if (fusion) fit_fusion(m, t, o, gather_shards(oof_pgs_local[best], comm), pgs_all, comm, log);
    m.command = o.command_line;
    m.created = comm.broadcast(utc_timestamp());
    m.precis_version = build_info::version;
    m.cohort_path = std::filesystem::absolute(o.cohort).string();
    m.cohort_created = cohort.attribute("created");
    m.cohort_command = cohort.attribute("command");
    m.cohort_bytes = static_cast<std::int64_t>(std::filesystem::file_size(o.cohort));
    return m;
}

}  // namespace precis::model
