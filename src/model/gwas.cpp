// precis gwas: the analysis design (samples, covariates, model) and the MPI/TBB driver over variants.
#include "precis/model/gwas.hpp"

#include <Eigen/Eigenvalues>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "precis/core/error.hpp"
#include "precis/core/progress.hpp"
#include "precis/h5/dataset.hpp"
#include "precis/model/genotype_source.hpp"
#include "precis/model/regression.hpp"
#include "precis/mpi/partition.hpp"

namespace precis::model {

namespace {

/// Samples, response and covariate design shared by every variant.
struct design {
    std::vector<std::int64_t> samples;  ///< file indices of the analysis samples
    std::vector<double> y;              ///< response per analysis sample
    Eigen::MatrixXd covariates;         ///< n x c: intercept, standardised covariates, PCs
    small_vector null_fit;              ///< logistic null-model estimates (+ 0 for the genotype)
};

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

/// Columns of the covariate design before sample filtering: one vector of n_samples per predictor.
std::vector<std::vector<double>> predictor_columns(const h5::cohort_reader& cohort, const gwas_options& o,
                                                   std::vector<std::string>& names) {
    std::vector<std::vector<double>> columns;
    const auto available = cohort.covariate_names();
    for (const auto& name : o.covariates) {
        if (std::count(o.covariates.begin(), o.covariates.end(), name) > 1)
            throw input_error("--covariates: '" + name + "' is given twice");
        if (!contains(available, name))
            throw input_error(o.cohort.string() + ": no covariate '" + name + "' (the file has: " + joined(available) + ")");
        columns.push_back(cohort.covariate(name));
        names.push_back(name);
    }
    if (o.pcs > 0) {
        if (!cohort.h5().exists("/pca/scores"))
            throw input_error(o.cohort.string() + ": --pcs " + std::to_string(o.pcs) +
                              " needs /pca/scores (run precis pca first)");
        auto scores = h5::dataset::open(cohort.h5(), "/pca/scores");
        const auto dims = scores.dims();
        if (dims.size() != 2 || static_cast<std::int64_t>(dims[0]) != cohort.n_samples())
            throw input_error(scores.where() + ": expected [n_samples, k] scores");
        if (static_cast<std::uint64_t>(o.pcs) > dims[1])
            throw input_error(o.cohort.string() + ": --pcs " + std::to_string(o.pcs) + " but /pca/scores has " +
                              std::to_string(dims[1]) + " components");
        const auto all = scores.read_all<double>();
        for (int c = 0; c < o.pcs; ++c) {
            std::vector<double> col(dims[0]);
            for (std::uint64_t s = 0; s < dims[0]; ++s) col[s] = all[s * dims[1] + static_cast<std::uint64_t>(c)];
            columns.push_back(std::move(col));
            names.push_back("PC" + std::to_string(c + 1));
        }
    }
    return columns;
}

design build_design(const h5::cohort_reader& cohort, const gwas_options& o, gwas_result& result) {
    const auto phenotypes = cohort.phenotype_names();
    if (!contains(phenotypes, o.phenotype))
        throw input_error(o.cohort.string() + ": no phenotype '" + o.phenotype + "' (the file has: " + joined(phenotypes) + ")");
    const auto y = cohort.phenotype(o.phenotype);
    const auto columns = predictor_columns(cohort, o, result.predictors);
    if (static_cast<int>(columns.size()) + 2 > max_predictors)
        throw input_error("at most " + std::to_string(max_predictors - 2) + " covariates and PCs together");
    const auto masks = read_masks(cohort);

    design d;
    for (std::int64_t s = 0; s < cohort.n_samples(); ++s) {
        bool ok = masks.samples[static_cast<std::size_t>(s)] && std::isfinite(y[static_cast<std::size_t>(s)]);
        for (const auto& c : columns) ok = ok && std::isfinite(c[static_cast<std::size_t>(s)]);
        if (ok) d.samples.push_back(s);
    }
    const auto n = static_cast<std::int64_t>(d.samples.size());
    if (n == 0)
        throw input_error(o.cohort.string() + ": no usable samples (every sample lacks '" + o.phenotype +
                          "' or a covariate, or is outside the QC sample mask)");
    for (auto s : d.samples) d.y.push_back(y[static_cast<std::size_t>(s)]);

    const bool binary = std::all_of(d.y.begin(), d.y.end(), [](double v) { return v == 0.0 || v == 1.0; });
    if (o.model == gwas_model::logistic && !binary)
        throw input_error(o.cohort.string() + ": --model logistic needs a 0/1 phenotype; '" + o.phenotype +
                          "' has other values");
    result.logistic = o.model == gwas_model::logistic || (o.model == gwas_model::automatic && binary);
    result.firth = o.firth;
    result.phenotype = o.phenotype;
    result.n_samples = n;
    if (result.logistic) {
        result.n_cases = static_cast<std::int64_t>(std::count(d.y.begin(), d.y.end(), 1.0));
        result.n_controls = n - result.n_cases;
        if (result.n_cases == 0 || result.n_controls == 0)
            throw input_error(o.cohort.string() + ": phenotype '" + o.phenotype + "' has " +
                              std::to_string(result.n_cases) + " cases and " + std::to_string(result.n_controls) +
                              " controls among the usable samples; logistic regression needs both");
    } else if (std::all_of(d.y.begin(), d.y.end(), [&](double v) { return v == d.y.front(); })) {
        throw input_error(o.cohort.string() + ": phenotype '" + o.phenotype + "' is constant over the " +
                          std::to_string(n) + " usable samples; there is nothing to regress");
    }

    // Intercept, then each predictor centred and scaled to unit variance (plink2 --covar-variance-standardize).
    d.covariates.resize(n, static_cast<Eigen::Index>(columns.size()) + 1);
    d.covariates.col(0).setOnes();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        double mean = 0, ssq = 0;
        for (auto s : d.samples) mean += columns[c][static_cast<std::size_t>(s)];
        mean /= static_cast<double>(n);
        for (auto s : d.samples) ssq += std::pow(columns[c][static_cast<std::size_t>(s)] - mean, 2);
        const double sd = n > 1 ? std::sqrt(ssq / static_cast<double>(n - 1)) : 0.0;
        if (!(sd > 0))
            throw input_error(o.cohort.string() + ": covariate '" + result.predictors[c] + "' is constant over the " +
                              std::to_string(n) + " usable samples");
        for (std::int64_t i = 0; i < n; ++i)
            d.covariates(i, static_cast<Eigen::Index>(c) + 1) =
                (columns[c][static_cast<std::size_t>(d.samples[static_cast<std::size_t>(i)])] - mean) / sd;
    }

    // Collinear covariates make every variant's fit singular, or not, by rounding: refused once, as plink2
    // does (its --max-corr 0.999 and an invertible correlation matrix).
    if (columns.size() > 1) {
        const auto c = static_cast<Eigen::Index>(columns.size());
        const Eigen::MatrixXd z = d.covariates.rightCols(c);
        const Eigen::MatrixXd corr = (z.transpose() * z) / static_cast<double>(n - 1);
        for (Eigen::Index a = 0; a < c; ++a)
            for (Eigen::Index b = a + 1; b < c; ++b)
                if (std::abs(corr(a, b)) > 0.999)
                    throw input_error(o.cohort.string() + ": covariates '" + result.predictors[static_cast<std::size_t>(a)] +
                                      "' and '" + result.predictors[static_cast<std::size_t>(b)] + "' are collinear (correlation " +
                                      std::to_string(corr(a, b)) + " over the usable samples): drop one");
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(corr, Eigen::EigenvaluesOnly);
        if (eigen.eigenvalues()(0) < 1e-8 * eigen.eigenvalues()(c - 1))
            throw input_error(o.cohort.string() + ": the covariates " + joined(result.predictors) +
                              " are collinear (one is a combination of others over the usable samples): drop one");
    }

    const int k = static_cast<int>(d.covariates.cols());
    d.null_fit = small_vector::Zero(k + 1);
    if (result.logistic) {
        regression_workspace ws(n, k);
        ws.x = d.covariates;
        std::vector<double> ones(static_cast<std::size_t>(n), 1.0);
        small_vector start = small_vector::Zero(k), fitted;
        if (logistic_test(d.y.data(), ones.data(), start, ws, {}, &fitted).status == fit_status::ok)
            d.null_fit.head(k) = fitted;
    }
    return d;
}

/// One thread's scratch: the design with the genotype column last, and the observed-sample mask.
struct thread_state {
    thread_state(const design& d)
        : ws(static_cast<std::int64_t>(d.samples.size()), static_cast<int>(d.covariates.cols()) + 1),
          mask(d.samples.size()) {
        ws.x.leftCols(d.covariates.cols()) = d.covariates;
    }
    regression_workspace ws;
    std::vector<double> mask;
};

/// Tests one variant whose dosages over all file samples start at `dosage`.
variant_test test_variant(const std::int8_t* dosage, const design& d, const gwas_result& r, const gwas_options& o,
                          thread_state& t) {
    const auto n = static_cast<std::int64_t>(d.samples.size());
    const Eigen::Index gcol = t.ws.x.cols() - 1;
    double* g = t.ws.x.col(gcol).data();
    variant_test v;
    double case_alt = 0, case_obs = 0, lo = 3, hi = -1;
    for (std::int64_t i = 0; i < n; ++i) {
        const int x = dosage[d.samples[static_cast<std::size_t>(i)]];
        const bool seen = x >= 0;
        g[i] = seen ? x : 0.0;
        t.mask[static_cast<std::size_t>(i)] = seen ? 1.0 : 0.0;
        if (!seen) continue;
        v.obs_ct += 1;
        v.alt_count += x;
        lo = std::min(lo, double(x));
        hi = std::max(hi, double(x));
        if (d.y[static_cast<std::size_t>(i)] == 1.0) {
            case_alt += x;
            case_obs += 1;
        }
    }
    const double mac = std::min(v.alt_count, 2.0 * static_cast<double>(v.obs_ct) - v.alt_count);
    v.reported = mac >= static_cast<double>(o.min_mac);
    if (v.obs_ct == 0 || lo == hi) {
        v.error = hi <= 0 ? gwas_error::const_omitted_allele : gwas_error::const_allele;
        return v;
    }
    coefficient_test c;
    if (!r.logistic) {
        c = linear_test(d.y.data(), t.mask.data(), v.obs_ct, t.ws);
    } else {
        const double ctrl_alt = v.alt_count - case_alt, ctrl_obs = static_cast<double>(v.obs_ct) - case_obs;
        // A zero cell of the allele x case/control table: the ML estimate is infinite (separation).
        const bool separated = case_alt == 0 || ctrl_alt == 0 || case_alt == 2 * case_obs || ctrl_alt == 2 * ctrl_obs;
        if (o.firth != firth_mode::always && !(separated && o.firth == firth_mode::fallback))
            c = logistic_test(d.y.data(), t.mask.data(), d.null_fit, t.ws);
        if (o.firth == firth_mode::always ||
            (o.firth == firth_mode::fallback && (separated || c.status != fit_status::ok))) {
            v.firth = true;
            c = firth_test(d.y.data(), t.mask.data(), d.null_fit, t.ws);
        }
    }
    if (c.status == fit_status::ok) {
        v.beta = c.beta;
        v.se = c.se;
        v.stat = c.stat;
        v.p = c.p;
    } else {
        v.error = c.status == fit_status::singular ? gwas_error::singular
                  : v.firth                        ? gwas_error::firth_no_convergence
                                                   : gwas_error::no_convergence;
    }
    return v;
}

constexpr int packed_fields = 9;

void pack(const variant_test& v, double* out) {
    const double fields[packed_fields] = {v.beta, v.se, v.stat, v.p, static_cast<double>(v.obs_ct), v.alt_count,
                                          v.firth ? 1.0 : 0.0, v.reported ? 1.0 : 0.0, static_cast<double>(v.error)};
    std::copy(fields, fields + packed_fields, out);
}

variant_test unpack(const double* in) {
    variant_test v;
    v.beta = in[0], v.se = in[1], v.stat = in[2], v.p = in[3];
    v.obs_ct = static_cast<std::int64_t>(in[4]);
    v.alt_count = in[5];
    v.firth = in[6] != 0;
    v.reported = in[7] != 0;
    v.error = static_cast<gwas_error>(static_cast<int>(in[8]));
    return v;
}

}  // namespace

const char* to_string(gwas_error e) {
    switch (e) {
        case gwas_error::none: return ".";
        case gwas_error::const_allele: return "CONST_ALLELE";
        case gwas_error::const_omitted_allele: return "CONST_OMITTED_ALLELE";
        case gwas_error::no_convergence: return "LOGISTIC_CONVERGE_FAIL";
        case gwas_error::firth_no_convergence: return "FIRTH_CONVERGE_FAIL";
        case gwas_error::singular: return "VIF_INFINITE";
    }
    return "?";
}

gwas_result run_gwas(const gwas_options& o, const mpi::communicator& comm, const logger& log) {
    auto cohort = h5::cohort_reader::open(o.cohort, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
    gwas_result result;
    result.contigs = cohort.contigs();
    const design d = build_design(cohort, o, result);
    const auto masks = read_masks(cohort);
    for (std::int64_t v = 0; v < cohort.n_variants(); ++v)
        if (masks.variants[static_cast<std::size_t>(v)]) result.rows.push_back(v);
    const auto n_rows = static_cast<std::int64_t>(result.rows.size());
    log.info(result.logistic ? "logistic" : "linear", " regression of '", o.phenotype, "' on ", n_rows,
             " variants and ", result.n_samples, " samples",
             result.logistic ? " (" + std::to_string(result.n_cases) + " cases)" : std::string(),
             "; covariates: ", joined(result.predictors), "; ", comm.size(), " rank(s)");

    // This rank's contiguous block of kept variants, tested block by block.
    const auto mine = mpi::block_range(n_rows, comm.size(), comm.rank());
    const std::int64_t n_file = cohort.n_samples();
    std::vector<double> packed(static_cast<std::size_t>(mine.size() * packed_fields));
    std::vector<std::int8_t> dosages;
    tbb::enumerable_thread_specific<thread_state> states([&d] { return thread_state(d); });
    progress bar("gwas", static_cast<std::uint64_t>(n_rows), "variants", o.show_progress && comm.is_root());
    // Rows per block: o.block_variants, fewer for very wide cohorts so that a block of dosages (all
    // samples, at most 4 x block rows including masked ones) stays under 256 MiB.
    const std::int64_t block = std::clamp<std::int64_t>((std::int64_t{64} << 20) / std::max<std::int64_t>(n_file, 1),
                                                        1, std::max<std::int64_t>(o.block_variants, 1));
    for (std::int64_t first = mine.begin; first < mine.end;) {
        std::int64_t last = std::min(first + block, mine.end);
        const std::int64_t row0 = result.rows[static_cast<std::size_t>(first)];
        while (result.rows[static_cast<std::size_t>(last - 1)] - row0 >= 4 * block) --last;
        const mpi::index_range rows{row0, result.rows[static_cast<std::size_t>(last - 1)] + 1};
        dosages.resize(static_cast<std::size_t>(rows.size() * n_file));
        cohort.read_dosage(rows, {0, n_file}, dosages.data(), h5::transfer::independent);
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(first, last, 4), [&](const auto& range) {
            auto& state = states.local();
            for (std::int64_t i = range.begin(); i < range.end(); ++i) {
                const std::int64_t row = result.rows[static_cast<std::size_t>(i)] - rows.begin;
                const auto v = test_variant(dosages.data() + row * n_file, d, result, o, state);
                pack(v, packed.data() + (i - mine.begin) * packed_fields);
            }
        });
        bar.add(static_cast<std::uint64_t>((last - first) * comm.size()));
        first = last;
    }
    bar.finish();

    // Gather every rank's block on rank 0, in variant order.
    std::vector<int> counts(static_cast<std::size_t>(comm.size())), offsets(counts.size());
    for (int r = 0; r < comm.size(); ++r) {
        const auto b = mpi::block_range(n_rows, comm.size(), r);
        counts[static_cast<std::size_t>(r)] = static_cast<int>(b.size() * packed_fields);
        offsets[static_cast<std::size_t>(r)] = static_cast<int>(b.begin * packed_fields);
    }
    std::vector<double> all(comm.is_root() ? static_cast<std::size_t>(n_rows * packed_fields) : 0);
    mpi::check(MPI_Gatherv(packed.data(), static_cast<int>(packed.size()), MPI_DOUBLE, all.data(), counts.data(),
                           offsets.data(), MPI_DOUBLE, 0, comm.get()),
               "MPI_Gatherv of the gwas results");
    if (comm.is_root()) {
        result.tests.reserve(static_cast<std::size_t>(n_rows));
        for (std::int64_t i = 0; i < n_rows; ++i) result.tests.push_back(unpack(all.data() + i * packed_fields));
        if (n_rows > 0) {
            auto columns = cohort.read_variants({result.rows.front(), result.rows.back() + 1});
            for (auto row : result.rows) {
                const auto j = static_cast<std::size_t>(row - result.rows.front());
                result.variants.push_back(columns.chrom[j], columns.id[j], columns.ref[j], columns.alt[j], columns.pos[j]);
            }
        }
    }
    return result;
}

}  // namespace precis::model
