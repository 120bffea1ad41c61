// precis pca: the standardised genotype matrix of this rank's shard, and the fit.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <array>
#include <cmath>
#include <limits>

#include "precis/core/error.hpp"
#include "precis/core/progress.hpp"
#include "precis/model/genotype_source.hpp"
#include "precis/model/pca.hpp"

namespace precis::model {

namespace {

constexpr std::int64_t row_block = 256, col_block = 512;

// The kept variants x this rank's samples, held as int8 dosages; each product standardises on the fly
// with a per-variant table {0, 1, 2, missing} -> (d - 2p) * scale, missing -> 0.
class genotype_matrix : public sharded_matrix {
public:
    genotype_matrix(std::vector<std::int8_t> dosages, std::vector<std::array<double, 4>> table, std::int64_t cols,
                    std::int64_t offset, std::int64_t local)
        : m_dosages(std::move(dosages)), m_table(std::move(table)), m_cols(cols), m_offset(offset), m_local(local) {}
    std::int64_t rows() const override { return static_cast<std::int64_t>(m_table.size()); }
    std::int64_t cols() const override { return m_cols; }
    std::int64_t col_offset() const override { return m_offset; }
    std::int64_t local_cols() const override { return m_local; }

    void multiply(const Eigen::MatrixXd& right, Eigen::MatrixXd& out) const override {
        out.setZero(rows(), right.cols());
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, rows(), row_block), [&](const auto& r) {
            Eigen::MatrixXd block = standardised(r.begin(), r.end(), 0, m_local);
            out.middleRows(r.begin(), r.size()).noalias() = block * right;
        });
    }
    void multiply_transposed(const Eigen::MatrixXd& left, Eigen::MatrixXd& out) const override {
        out.setZero(m_local, left.cols());
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, m_local, col_block), [&](const auto& c) {
            auto dst = out.middleRows(c.begin(), c.size());
            for (std::int64_t r = 0; r < rows(); r += row_block) {
                const std::int64_t e = std::min(rows(), r + row_block);
                Eigen::MatrixXd block = standardised(r, e, c.begin(), c.end());
                dst.noalias() += block.transpose() * left.middleRows(r, e - r);
            }
        });
    }

private:
    Eigen::MatrixXd standardised(std::int64_t r0, std::int64_t r1, std::int64_t c0, std::int64_t c1) const {
        Eigen::MatrixXd b(r1 - r0, c1 - c0);
        for (std::int64_t i = r0; i < r1; ++i) {
            const auto& t = m_table[static_cast<std::size_t>(i)];
            const std::int8_t* d = m_dosages.data() + i * m_local;
            for (std::int64_t j = c0; j < c1; ++j) b(i - r0, j - c0) = t[static_cast<std::size_t>(d[j] < 0 ? 3 : d[j])];
        }
        return b;
    }
    std::vector<std::int8_t> m_dosages;
    std::vector<std::array<double, 4>> m_table;
    std::int64_t m_cols, m_offset, m_local;
};

}  // namespace

void validate(const pca_options& o) {
    if (o.k < 1) throw input_error("--k must be at least 1, got " + std::to_string(o.k));
    if (o.oversampling < 0) throw input_error("--oversampling must be >= 0, got " + std::to_string(o.oversampling));
    if (o.power_iterations < 0 || o.power_iterations > 100)
        throw input_error("--power-iterations must be in [0, 100], got " + std::to_string(o.power_iterations));
    if (o.block_rows < 1) throw input_error("pca block rows must be positive");
}

pca_model run_pca(const h5::cohort_reader& cohort, const pca_options& options, const mpi::communicator& comm,
                  const logger& log) {
    validate(options);
    const cohort_masks masks = read_masks(cohort);
    genotype_source source(cohort, masks, comm);
    if (options.k > source.n_samples())
        throw input_error("--k " + std::to_string(options.k) + " exceeds the " + std::to_string(source.n_samples()) +
                          " samples kept in " + cohort.h5().file_name());
    const std::int64_t w = source.shard().size(), nv = source.n_variants();
    // Read this rank's shard once; allele counts per variant over all kept samples.
    std::vector<std::int8_t> all(static_cast<std::size_t>(nv * w)), block;
    std::vector<std::int64_t> counts(static_cast<std::size_t>(2 * nv), 0);  // ALT alleles, called samples
    progress bar("pca read", static_cast<std::uint64_t>(nv), "variants", options.show_progress);
    for (std::int64_t first = 0; first < nv; first += options.block_rows) {
        const std::int64_t n = std::min(options.block_rows, nv - first);
        source.read(first, n, block);
        std::copy(block.begin(), block.end(), all.begin() + first * w);
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = 0; j < w; ++j) {
                std::int8_t d = block[static_cast<std::size_t>(i * w + j)];
                if (d >= 0) counts[static_cast<std::size_t>(2 * (first + i))] += d, ++counts[static_cast<std::size_t>(2 * (first + i) + 1)];
            }
        bar.add(static_cast<std::uint64_t>(n));
    }
    bar.finish();
    if (comm.size() > 1 && !counts.empty())
        mpi::check(MPI_Allreduce(MPI_IN_PLACE, counts.data(), static_cast<int>(counts.size()), MPI_INT64_T, MPI_SUM, comm.get()),
                   "MPI_Allreduce (pca allele counts)");
    pca_model model;
    model.k = options.k;
    model.seed = options.seed;
    model.iterations = options.power_iterations;
    model.variant_mean.assign(static_cast<std::size_t>(cohort.n_variants()), 0.0);
    model.variant_scale.assign(static_cast<std::size_t>(cohort.n_variants()), 0.0);
    // Polymorphic kept variants only (a monomorphic one has no scale).
    std::vector<std::array<double, 4>> table;
    std::vector<std::int64_t> used;  // file rows
    std::vector<std::int8_t> dosages;
    dosages.reserve(all.size());
    for (std::int64_t i = 0; i < nv; ++i) {
        const auto alt = counts[static_cast<std::size_t>(2 * i)], called = counts[static_cast<std::size_t>(2 * i + 1)];
        if (called == 0) continue;
        const double p = static_cast<double>(alt) / static_cast<double>(2 * called);
        if (p <= 0 || p >= 1) continue;
        const double mean = 2 * p, scale = 1 / std::sqrt(2 * p * (1 - p));
        const std::int64_t row = source.kept_variants()[static_cast<std::size_t>(i)];
        model.variant_mean[static_cast<std::size_t>(row)] = mean;
        model.variant_scale[static_cast<std::size_t>(row)] = scale;
        table.push_back({-mean * scale, (1 - mean) * scale, (2 - mean) * scale, 0.0});
        used.push_back(row);
        dosages.insert(dosages.end(), all.begin() + i * w, all.begin() + (i + 1) * w);
    }
    all = {};
    model.variants_used = static_cast<std::int64_t>(used.size());
    if (options.k > model.variants_used)
        throw input_error("--k " + std::to_string(options.k) + " exceeds the " + std::to_string(model.variants_used) +
                          " polymorphic kept variants of " + cohort.h5().file_name());
    log.info("pca: ", model.variants_used, " variants x ", source.n_samples(), " samples, k = ", options.k, ", l = ",
             options.k + options.oversampling, ", ", options.power_iterations, " power iterations");
    genotype_matrix x(std::move(dosages), std::move(table), source.n_samples(), source.shard().begin, w);
    svd_result svd = randomized_svd(x, options.k, options.oversampling, options.power_iterations, options.seed, comm);

    const int k = options.k;
    const double m = static_cast<double>(model.variants_used);
    for (int c = 0; c < k; ++c) model.eigenvalues.push_back(svd.singular_values(c) * svd.singular_values(c) / m);
    model.loadings.assign(static_cast<std::size_t>(cohort.n_variants() * k), 0.0);
    for (std::size_t i = 0; i < used.size(); ++i)
        for (int c = 0; c < k; ++c) {
            const double s = svd.singular_values(c);
            model.loadings[static_cast<std::size_t>(used[i] * k + c)] = s > 0 ? svd.left(static_cast<Eigen::Index>(i), c) / s : 0.0;
        }
    // Scores: each rank's rows of V, summed into the full n_samples x k matrix.
    std::vector<double> scores(static_cast<std::size_t>(cohort.n_samples() * k), 0.0);
    for (std::int64_t j = 0; j < w; ++j) {
        const auto s = source.kept_samples()[static_cast<std::size_t>(source.shard().begin + j)];
        for (int c = 0; c < k; ++c) scores[static_cast<std::size_t>(s * k + c)] = svd.right_local(j, c);
    }
    if (comm.size() > 1)
        mpi::check(MPI_Allreduce(MPI_IN_PLACE, scores.data(), static_cast<int>(scores.size()), MPI_DOUBLE, MPI_SUM, comm.get()),
                   "MPI_Allreduce (pca scores)");
    for (std::size_t s = 0; s < masks.samples.size(); ++s)
        if (!masks.samples[s])
            for (int c = 0; c < k; ++c) scores[s * static_cast<std::size_t>(k) + static_cast<std::size_t>(c)] = std::numeric_limits<double>::quiet_NaN();
    model.scores = std::move(scores);
    return model;
}

}  // namespace precis::model
