// Elastic net by proximal Newton: at each step a weighted least-squares approximation of the deviance is
// minimised by coordinate descent with local working residuals (glmnet's "naive" updates). Each coordinate's
// gradient is the only quantity that needs every sample; it is reduced exactly in fixed point.
#include "precis/model/elastic_net.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "precis/core/error.hpp"

namespace precis::model {

namespace {

std::int64_t fixed(double v) { return static_cast<std::int64_t>(v * fixed_point_scale); }

void sum_exact(std::vector<std::int64_t>& v, const mpi::communicator& comm, reduction_stats& stats) {
    ++stats.count;
    stats.values += static_cast<std::int64_t>(v.size());
    if (comm.size() > 1) {
        const double t0 = MPI_Wtime();
        mpi::check(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_INT64_T, MPI_SUM, comm.get()),
                   "MPI_Allreduce (elastic net)");
        stats.seconds += MPI_Wtime() - t0;
    }
}

double soft_threshold(double z, double g) { return z > g ? z - g : (z < -g ? z + g : 0.0); }

// Fits one lambda after another, keeping the state (coefficients, linear predictor, working set).
class solver {
public:
    solver(const design& d, const std::vector<std::uint8_t>& use, const elastic_net_options& o,
           const mpi::communicator& comm)
        : m_d(d), m_use(use), m_o(o), m_comm(comm), m_eta(static_cast<std::size_t>(d.n_local), 0.0),
          m_w(m_eta.size()), m_r(m_eta.size()) {
        std::int64_t n = 0;
        for (auto u : use) n += u != 0;
        m_n = static_cast<double>(comm.sum(n));
        if (m_n < 1) throw input_error("elastic net: no samples to fit");
        m_c.dense.assign(static_cast<std::size_t>(d.n_dense), 0.0);
        m_c.variants.assign(static_cast<std::size_t>(d.n_variants), 0.0);
        // Start from the mean response as intercept (exact sum).
        std::vector<std::int64_t> s(1, 0);
        for (std::int64_t i = 0; i < d.n_local; ++i)
            if (use[static_cast<std::size_t>(i)]) s[0] += fixed(d.y[static_cast<std::size_t>(i)]);
        sum_exact(s, comm, m_stats);
        double mean = static_cast<double>(s[0]) / fixed_point_scale / m_n;
        if (o.family == family::binomial) {
            mean = std::clamp(mean, 1e-5, 1 - 1e-5);
            m_c.intercept = std::log(mean / (1 - mean));
        } else {
            m_c.intercept = mean;
        }
    }

    const coefficients& current() const { return m_c; }
    const reduction_stats& stats() const { return m_stats; }

    // Solves at `lambda` with the working set: nonzero variants and the strong set from `grad` (the
    // full gradient at the previous solution) against `previous` lambda; grows it until KKT holds.
    // Returns the full gradient at the solution.
    std::vector<double> solve(double lambda, double previous, const std::vector<double>& grad) {
        std::vector<std::uint8_t> in(static_cast<std::size_t>(m_d.n_variants), 0);
        const double strong = m_o.alpha * (2 * lambda - previous);
        for (std::int64_t j = 0; j < m_d.n_variants; ++j)
            if (m_c.variants[j] != 0 || (!grad.empty() && std::abs(grad[j]) >= strong)) in[j] = 1;
        m_c.converged = true;
        for (;;) {
            m_working.clear();
            for (std::int64_t j = 0; j < m_d.n_variants; ++j)
                if (in[j]) m_working.push_back(j);
            newton(lambda);
            std::vector<double> g = full_gradient();
            bool violated = false;
            for (std::int64_t j = 0; j < m_d.n_variants; ++j)
                if (!in[j] && std::abs(g[j]) > lambda * m_o.alpha * (1 + 1e-9)) in[j] = 1, violated = true;
            if (!violated) return g;
        }
    }

private:
    std::size_t m_count() const { return static_cast<std::size_t>(1 + m_d.n_dense) + m_working.size(); }
    double dense_value(std::size_t k, std::size_t i) const {  // k in [0, 1 + n_dense): 0 = intercept
        return k == 0 ? 1.0 : m_d.dense[(k - 1) * static_cast<std::size_t>(m_d.n_local) + i];
    }
    const std::int8_t* genotypes(std::size_t k) const {
        auto j = m_working[k - 1 - static_cast<std::size_t>(m_d.n_dense)];
        return m_d.dosage.data() + j * m_d.n_local;
    }
    const std::array<double, 4>& lut(std::size_t k) const {
        return m_d.lut[static_cast<std::size_t>(m_working[k - 1 - static_cast<std::size_t>(m_d.n_dense)])];
    }
    bool is_dense(std::size_t k) const { return k < static_cast<std::size_t>(1 + m_d.n_dense); }
    double& coef(std::size_t k) {
        if (k == 0) return m_c.intercept;
        if (is_dense(k)) return m_c.dense[k - 1];
        return m_c.variants[static_cast<std::size_t>(m_working[k - 1 - static_cast<std::size_t>(m_d.n_dense)])];
    }

    void update_eta() {
        m_eta = linear_predictor(m_d, m_c);
        const auto n = static_cast<std::size_t>(m_d.n_local);
        for (std::size_t i = 0; i < n; ++i) {
            if (!m_use[i]) {
                m_w[i] = m_r[i] = 0;
            } else if (m_o.family == family::binomial) {
                double p = std::clamp(logistic(m_eta[i]), 1e-5, 1 - 1e-5);
                m_w[i] = p * (1 - p);
                m_r[i] = m_d.y[i] - p;
            } else {
                m_w[i] = 1;
                m_r[i] = m_d.y[i] - m_eta[i];
            }
        }
    }

    // Half the mean deviance plus the penalty at the current coefficients (updates eta, w, r). Collective.
    double objective(double lambda) {
        update_eta();
        std::vector<std::int64_t> acc(1, 0);
        const auto n = static_cast<std::size_t>(m_d.n_local);
        for (std::size_t i = 0; i < n; ++i) {
            if (!m_use[i]) continue;
            double dev;
            if (m_o.family == family::binomial) {
                double p = std::clamp(logistic(m_eta[i]), 1e-15, 1 - 1e-15);
                dev = -2 * (m_d.y[i] * std::log(p) + (1 - m_d.y[i]) * std::log(1 - p));
            } else {
                dev = (m_d.y[i] - m_eta[i]) * (m_d.y[i] - m_eta[i]);
            }
            acc[0] += fixed(dev);
        }
        sum_exact(acc, m_comm, m_stats);
        return static_cast<double>(acc[0]) / fixed_point_scale / m_n / 2 + penalty(lambda);
    }
    double penalty(double lambda) const {
        double s = 0;
        for (auto j : m_working) {
            double b = m_c.variants[static_cast<std::size_t>(j)];
            if (b != 0) s += lambda * (m_o.alpha * std::abs(b) + (1 - m_o.alpha) / 2 * b * b);
        }
        return s;
    }
    // Gradient (1/n) X^T r over every genotype column.
    std::vector<double> full_gradient() {
        update_eta();
        const auto n = static_cast<std::size_t>(m_d.n_local);
        std::vector<std::int64_t> q(n);
        for (std::size_t i = 0; i < n; ++i) q[i] = fixed(m_r[i]);
        std::vector<std::int64_t> acc(static_cast<std::size_t>(4 * m_d.n_variants), 0);
        tbb::parallel_for(std::int64_t{0}, m_d.n_variants, [&](std::int64_t j) {
            const std::int8_t* g = m_d.dosage.data() + j * m_d.n_local;
            std::int64_t s[4] = {0, 0, 0, 0};
            for (std::size_t i = 0; i < n; ++i) s[lut_slot(g[i])] += q[i];
            for (int v = 0; v < 4; ++v) acc[static_cast<std::size_t>(4 * j + v)] = s[v];
        });
        sum_exact(acc, m_comm, m_stats);
        std::vector<double> out(static_cast<std::size_t>(m_d.n_variants));
        for (std::int64_t j = 0; j < m_d.n_variants; ++j) {
            const auto& l = m_d.lut[static_cast<std::size_t>(j)];
            double s = 0;
            for (int v = 0; v < 4; ++v) s += l[v] * static_cast<double>(acc[static_cast<std::size_t>(4 * j + v)]);
            out[static_cast<std::size_t>(j)] = s / fixed_point_scale / m_n;
        }
        return out;
    }

    // Reduced vectors of the working columns at the current weights: gradient and Hessian diagonal.
    void gradient_and_diagonal(std::vector<double>& grad, std::vector<double>& diag) {
        const std::size_t m = m_count(), n = static_cast<std::size_t>(m_d.n_local);
        std::vector<std::int64_t> acc(8 * m, 0);
        tbb::parallel_for(std::size_t{0}, m, [&](std::size_t k) {
            std::int64_t* a = acc.data() + 8 * k;
            if (is_dense(k)) {
                for (std::size_t i = 0; i < n; ++i) {
                    double x = dense_value(k, i);
                    a[0] += fixed(x * m_r[i]);
                    a[4] += fixed(x * x * m_w[i]);
                }
            } else {
                const std::int8_t* g = genotypes(k);
                for (std::size_t i = 0; i < n; ++i) {
                    const auto v = lut_slot(g[i]);
                    a[v] += fixed(m_r[i]), a[4 + v] += fixed(m_w[i]);
                }
            }
        });
        sum_exact(acc, m_comm, m_stats);
        grad.assign(m, 0.0);
        diag.assign(m, 0.0);
        m_weight_sum = acc[4];  // the intercept's sum of fixed(w)
        m_margin.assign(m, {0, 0, 0, 0});
        for (std::size_t k = 0; k < m; ++k) {
            const std::int64_t* a = acc.data() + 8 * k;
            if (!is_dense(k)) m_margin[k] = {a[4], a[5], a[6], a[7]};
            if (is_dense(k)) {
                grad[k] = static_cast<double>(a[0]);
                diag[k] = static_cast<double>(a[4]);
            } else {
                const auto& l = lut(k);
                for (int v = 0; v < 4; ++v) {
                    grad[k] += l[v] * static_cast<double>(a[v]);
                    diag[k] += l[v] * l[v] * static_cast<double>(a[4 + v]);
                }
            }
            grad[k] /= fixed_point_scale * m_n;
            diag[k] /= fixed_point_scale * m_n;
        }
    }

    // Gradients of the quadratic approximation along working columns ks[from, to), (1/n) sum_i x_ik w_i rho_i,
    // from the fixed-point terms m_q. Collective: one small exact reduction for the whole run.
    std::vector<double> coordinate_gradients(const std::vector<std::size_t>& ks, std::size_t from, std::size_t to) {
        const std::size_t n = static_cast<std::size_t>(m_d.n_local);
        std::vector<std::int64_t> acc(4 * (to - from), 0);
        for (std::size_t t = from; t < to; ++t) {
            const std::size_t k = ks[t];
            std::int64_t* a = acc.data() + 4 * (t - from);
            if (is_dense(k)) {
                for (std::size_t i = 0; i < n; ++i) a[0] += fixed(dense_value(k, i) * m_w[i] * m_rho[i]);
            } else {
                const std::int8_t* g = genotypes(k);
                for (std::size_t i = 0; i < n; ++i) a[lut_slot(g[i])] += m_q[i];
            }
        }
        sum_exact(acc, m_comm, m_stats);
        std::vector<double> out(to - from, 0.0);
        for (std::size_t t = from; t < to; ++t) {
            const std::int64_t* a = acc.data() + 4 * (t - from);
            double s = 0;
            if (is_dense(ks[t])) {
                s = static_cast<double>(a[0]);
            } else {
                const auto& l = lut(ks[t]);
                for (int v = 0; v < 4; ++v) s += l[v] * static_cast<double>(a[v]);
            }
            out[t - from] = s / fixed_point_scale / m_n;
        }
        return out;
    }

    // Moves coefficient k by delta in the local working residuals.
    void shift(std::size_t k, double delta) {
        const std::size_t n = static_cast<std::size_t>(m_d.n_local);
        if (is_dense(k)) {
            for (std::size_t i = 0; i < n; ++i)
                if (m_use[i]) m_rho[i] -= dense_value(k, i) * delta, m_q[i] = fixed(m_w[i] * m_rho[i]);
        } else {
            const std::int8_t* g = genotypes(k);
            const auto& l = lut(k);
            for (std::size_t i = 0; i < n; ++i)
                if (m_use[i]) m_rho[i] -= l[lut_slot(g[i])] * delta, m_q[i] = fixed(m_w[i] * m_rho[i]);
        }
    }

    // One coordinate-descent sweep over `ks`; returns the largest weighted squared change. Under MPI the
    // gradients of a run of coordinates come from one reduction, valid up to the first coordinate that
    // moves (the run then restarts after it): the same arithmetic as one reduction per coordinate, with
    // runs that double while nothing moves (a full sweep mostly leaves zeros at zero).
    double sweep(const std::vector<std::size_t>& ks, const std::vector<double>& diag, double l1, double l2) {
        double change = 0;
        std::size_t pos = 0, run = 1;
        while (pos < ks.size()) {
            const std::size_t end = std::min(ks.size(), pos + run);
            auto grads = coordinate_gradients(ks, pos, end);
            bool moved = false;
            for (; pos < end && !moved; ++pos) {
                const std::size_t k = ks[pos];
                if (diag[k] <= 0) continue;
                double& b = coef(k);
                double u = grads[pos - (end - grads.size())] + diag[k] * b;
                double nb = is_dense(k) ? u / diag[k] : soft_threshold(u, l1) / (diag[k] + l2);
                if (nb == b) continue;
                double delta = nb - b;
                b = nb;
                shift(k, delta);
                change = std::max(change, diag[k] * delta * delta);
                moved = true;
            }
            run = (moved || m_comm.size() == 1) ? 1 : std::min<std::size_t>(2 * run, 256);
        }
        return change;
    }

    // Nonzero part of a genotype column: samples with dosage 1, 2 or missing (category 0, 1, 2), in order.
    struct sparse_column {
        std::vector<std::uint32_t> index;
        std::vector<std::uint8_t> category;
    };
    sparse_column sparse(std::size_t k) const {
        sparse_column c;
        const std::int8_t* g = genotypes(k);
        for (std::size_t i = 0; i < static_cast<std::size_t>(m_d.n_local); ++i)
            if (g[i] != 0) c.index.push_back(static_cast<std::uint32_t>(i)), c.category.push_back(g[i] < 0 ? 2 : static_cast<std::uint8_t>(g[i] - 1));
        return c;
    }
    // Value of column k (genotype) minus its dosage-0 value, per category 1, 2, missing.
    std::array<double, 3> offsets(std::size_t k) const {
        const auto& l = lut(k);
        return {l[1] - l[0], l[2] - l[0], l[3] - l[0]};
    }

    // Gram entries (1/n) sum_i w_i x_ik x_il of working columns for `pairs` (k, l), k != l: one exact
    // reduction. A genotype column is x = L0 + delta with delta nonzero only at dosage 1, 2 or missing, so a
    // genotype x genotype entry needs only the 3 x 3 table of weight sums over samples nonzero in both (a
    // merge of the two sparse columns) plus the per-dosage weight sums of each column (m_margin, already
    // reduced); dense x genotype entries 3 sums of w x by category plus sum w x; dense x dense one sum.
    std::vector<double> gram(const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                             const std::vector<sparse_column>& columns, const std::vector<std::ptrdiff_t>& slot) {
        const std::size_t n = static_cast<std::size_t>(m_d.n_local), nd = static_cast<std::size_t>(1 + m_d.n_dense);
        std::vector<std::int64_t> wq(n);
        for (std::size_t i = 0; i < n; ++i) wq[i] = fixed(m_w[i]);
        std::vector<std::int64_t> acc(9 * pairs.size() + nd, 0);
        std::int64_t* dense_sum = acc.data() + 9 * pairs.size();  // sum_i fixed(x_ik w_i) of dense column k
        for (std::size_t k = 0; k < nd; ++k)
            for (std::size_t i = 0; i < n; ++i) dense_sum[k] += fixed(dense_value(k, i) * m_w[i]);
        // Runs of pairs with the same first column: a genotype first column is scattered into a per-sample
        // category array once, then each partner's nonzero samples look it up.
        std::vector<std::size_t> runs;
        for (std::size_t t = 0; t < pairs.size(); ++t)
            if (t == 0 || pairs[t].first != pairs[t - 1].first) runs.push_back(t);
        runs.push_back(pairs.size());
        tbb::parallel_for(std::size_t{0}, runs.size() - 1, [&](std::size_t r) {
            const std::size_t first = pairs[runs[r]].first;
            std::vector<std::uint8_t> mark;
            if (!is_dense(first)) {
                mark.assign(n, 0);
                const auto& cf = columns[static_cast<std::size_t>(slot[first])];
                for (std::size_t p = 0; p < cf.index.size(); ++p) mark[cf.index[p]] = static_cast<std::uint8_t>(1 + cf.category[p]);
            }
            for (std::size_t t = runs[r]; t < runs[r + 1]; ++t) {
                auto [k, l] = pairs[t];
                std::int64_t* a = acc.data() + 9 * t;
                if (!is_dense(k) && !is_dense(l)) {  // k == first: a[3 * category(k) + category(l)]
                    const auto& cl = columns[static_cast<std::size_t>(slot[l])];
                    for (std::size_t q = 0; q < cl.index.size(); ++q)
                        if (const auto c = mark[cl.index[q]]) a[3 * (c - 1) + cl.category[q]] += wq[cl.index[q]];
                } else if (is_dense(k) && is_dense(l)) {
                    for (std::size_t i = 0; i < n; ++i) a[0] += fixed(dense_value(k, i) * dense_value(l, i) * m_w[i]);
                } else {
                    if (is_dense(l)) std::swap(k, l);
                    const auto& cl = columns[static_cast<std::size_t>(slot[l])];
                    for (std::size_t q = 0; q < cl.index.size(); ++q)
                        a[cl.category[q]] += fixed(dense_value(k, cl.index[q]) * m_w[cl.index[q]]);
                }
            }
        });
        sum_exact(acc, m_comm, m_stats);
        // Per genotype column: sum_i w_i delta_i from the per-dosage weight sums.
        auto delta_sum = [&](std::size_t k) {
            const auto& r = m_margin[k];
            const auto o = offsets(k);
            return o[0] * static_cast<double>(r[1]) + o[1] * static_cast<double>(r[2]) + o[2] * static_cast<double>(r[3]);
        };
        std::vector<double> out(pairs.size(), 0.0);
        for (std::size_t t = 0; t < pairs.size(); ++t) {
            auto [k, l] = pairs[t];
            if (is_dense(l) && !is_dense(k)) std::swap(k, l);
            const std::int64_t* a = acc.data() + 9 * t;
            double v = 0;
            if (!is_dense(k)) {
                const double k0 = lut(k)[0], l0 = lut(l)[0];
                const auto ok = offsets(k), ol = offsets(l);
                v = k0 * l0 * static_cast<double>(m_weight_sum) + k0 * delta_sum(l) + l0 * delta_sum(k);
                for (int x = 0; x < 3; ++x)
                    for (int y = 0; y < 3; ++y) v += ok[x] * ol[y] * static_cast<double>(a[3 * x + y]);
            } else if (!is_dense(l)) {
                const auto ol = offsets(l);
                v = lut(l)[0] * static_cast<double>(dense_sum[k]);
                for (int y = 0; y < 3; ++y) v += ol[y] * static_cast<double>(a[y]);
            } else {
                v = static_cast<double>(a[0]);
            }
            out[t] = v / fixed_point_scale / m_n;
        }
        return out;
    }

    // Covariance-mode coordinate descent on the quadratic approximation (glmnet's "covariance" updates):
    // the active columns' Gram matrix comes from one reduction, the sweeps over them are local arithmetic on
    // reduced (hence identical) numbers; then one reduction of the gradients of the other working columns
    // checks whether any would move, and those enter together (one more reduction for their Gram rows).
    // Returns 0 when converged, 1 when the sweep limit was reached, 2 when entering columns would take the
    // active set above covariance_max (m_rho and m_q then hold the working residuals of the current
    // coefficients, for residual updates to continue from there).
    int solve_covariance(const std::vector<std::size_t>& active0, const std::vector<double>& grad,
                          const std::vector<double>& diag, const std::vector<double>& start, double l1, double l2,
                          int& sweeps) {
        const std::size_t m = m_count(), n = static_cast<std::size_t>(m_d.n_local);
        std::vector<std::size_t> active;       // working indices in A
        std::vector<std::ptrdiff_t> pos(m, -1);  // position in A
        std::vector<std::vector<double>> h;    // h[p][q] = Gram entry of A[p], A[q]
        std::vector<double> c;                 // c[p] = grad - (H delta)[p]
        std::vector<sparse_column> columns;    // of the genotype columns in A
        std::vector<std::ptrdiff_t> slot(m, -1);
        auto add = [&](const std::vector<std::size_t>& entering) {
            for (auto k : entering)
                if (!is_dense(k)) slot[k] = static_cast<std::ptrdiff_t>(columns.size()), columns.push_back(sparse(k));
            std::vector<std::pair<std::size_t, std::size_t>> pairs;
            for (std::size_t e = 0; e < entering.size(); ++e) {
                for (auto k : active) pairs.emplace_back(entering[e], k);
                for (std::size_t f = 0; f < e; ++f) pairs.emplace_back(entering[e], entering[f]);
            }
            auto values = gram(pairs, columns, slot);
            const std::size_t a0 = active.size();
            for (auto k : entering) pos[k] = static_cast<std::ptrdiff_t>(active.size()), active.push_back(k);
            for (auto& row : h) row.resize(active.size(), 0.0);
            h.resize(active.size(), std::vector<double>(active.size(), 0.0));
            for (std::size_t t = 0; t < pairs.size(); ++t) {
                auto p = static_cast<std::size_t>(pos[pairs[t].first]), q = static_cast<std::size_t>(pos[pairs[t].second]);
                h[p][q] = h[q][p] = values[t];
            }
            for (std::size_t p = a0; p < active.size(); ++p) {
                h[p][p] = diag[active[p]];
                double v = grad[active[p]];
                for (std::size_t q = 0; q < active.size(); ++q)
                    if (q != p) v -= h[p][q] * (coef(active[q]) - start[active[q]]);
                c.push_back(v);
            }
        };
        add(active0);
        // Working residuals of the start coefficients; each check below shifts them by what each active
        // column moved since the last check (column by column), not recomputing every sample from scratch.
        m_rho.assign(n, 0.0);
        m_q.assign(n, 0);
        for (std::size_t i = 0; i < n; ++i)
            if (m_use[i]) m_rho[i] = m_r[i] / m_w[i], m_q[i] = fixed(m_w[i] * m_rho[i]);
        std::vector<double> applied(m, 0.0);  // coefficient change already in m_rho, per column
        for (;;) {
            for (;;) {  // sweeps over A until the largest weighted squared change is below the tolerance
                if (++sweeps > m_o.max_sweeps) return 1;
                double change = 0;
                for (std::size_t p = 0; p < active.size(); ++p) {
                    const std::size_t k = active[p];
                    const double d = h[p][p];
                    if (d <= 0) continue;
                    double& b = coef(k);
                    const double u = c[p] + d * b;
                    const double nb = is_dense(k) ? u / d : soft_threshold(u, l1) / (d + l2);
                    if (nb == b) continue;
                    const double delta = nb - b;
                    b = nb;
                    const auto& row = h[p];
                    for (std::size_t q = 0; q < active.size(); ++q) c[q] -= row[q] * delta;
                    change = std::max(change, d * delta * delta);
                }
                if (change < m_o.tolerance) break;
            }
            // The other working columns (all at zero): would any move?
            std::vector<std::size_t> rest;
            for (std::size_t k = 0; k < m; ++k)
                if (pos[k] < 0 && diag[k] > 0) rest.push_back(k);
            if (rest.empty()) return 0;
            for (auto k : active)
                if (const double delta = coef(k) - start[k]; delta != applied[k]) shift(k, delta - applied[k]), applied[k] = delta;
            auto g = coordinate_gradients(rest, 0, rest.size());
            std::vector<std::size_t> entering;
            for (std::size_t t = 0; t < rest.size(); ++t)
                if (soft_threshold(g[t], l1) != 0) entering.push_back(rest[t]);
            if (entering.empty()) return 0;
            if (static_cast<std::int64_t>(active.size() + entering.size()) > m_o.covariance_max) return 2;
            add(entering);
        }
    }

    void newton(double lambda) {
        const std::size_t m = m_count(), n = static_cast<std::size_t>(m_d.n_local);
        const double l1 = lambda * m_o.alpha, l2 = lambda * (1 - m_o.alpha);
        std::vector<std::size_t> all(m);
        for (std::size_t k = 0; k < m; ++k) all[k] = k;
        for (int step = 0; step < m_o.max_newton; ++step) {
            update_eta();
            std::vector<double> grad, diag;
            gradient_and_diagonal(grad, diag);
            std::vector<double> start(m);
            for (std::size_t k = 0; k < m; ++k) start[k] = coef(k);
            const double before = objective(lambda);
            std::vector<std::size_t> active;
            for (std::size_t k = 0; k < m; ++k)
                if (is_dense(k) || coef(k) != 0) active.push_back(k);
            int sweeps = 0;
            int status = 2;
            if (static_cast<std::int64_t>(active.size()) <= m_o.covariance_max) {
                status = solve_covariance(active, grad, diag, start, l1, l2, sweeps);
                if (status == 1) m_c.converged = false;
            } else {
                m_rho.assign(n, 0.0);
                m_q.assign(n, 0);
                for (std::size_t i = 0; i < n; ++i)
                    if (m_use[i]) m_rho[i] = m_r[i] / m_w[i], m_q[i] = fixed(m_w[i] * m_rho[i]);
            }
            if (status == 2) {
                // glmnet's active-set cycling: a full sweep, then sweeps over the nonzero coefficients only.
                while (sweeps < m_o.max_sweeps) {
                    ++sweeps;
                    if (sweep(all, diag, l1, l2) < m_o.tolerance) break;
                    active.clear();
                    for (std::size_t k = 0; k < m; ++k)
                        if (is_dense(k) || coef(k) != 0) active.push_back(k);
                    while (sweeps < m_o.max_sweeps && sweep(active, diag, l1, l2) >= m_o.tolerance) ++sweeps;
                }
                if (sweeps >= m_o.max_sweeps) m_c.converged = false;
            }
            // Backtracking on the penalised objective: a full Newton step can overshoot (near separation).
            std::vector<double> target(m);
            for (std::size_t k = 0; k < m; ++k) target[k] = coef(k);
            double t = 1;
            for (;;) {
                for (std::size_t k = 0; k < m; ++k) coef(k) = start[k] + t * (target[k] - start[k]);
                if (t < 1e-3 || objective(lambda) <= before + 1e-12 * std::abs(before)) break;
                t *= 0.5;
            }
            double max_change = 0;
            for (std::size_t k = 0; k < m; ++k) {
                double delta = coef(k) - start[k];
                max_change = std::max(max_change, diag[k] * delta * delta);
            }
            if (max_change < m_o.tolerance) return;
            if (m_o.family == family::gaussian) return;  // the quadratic is exact
        }
        m_c.converged = false;
    }

    const design& m_d;
    const std::vector<std::uint8_t>& m_use;
    const elastic_net_options& m_o;
    const mpi::communicator& m_comm;
    double m_n = 0;
    coefficients m_c;
    std::vector<std::int64_t> m_working;
    std::vector<double> m_eta, m_w, m_r, m_rho;  // local: predictor, weights, y - p, working residual
    std::vector<std::int64_t> m_q;            // fixed(w * rho)
    reduction_stats m_stats;
    std::int64_t m_weight_sum = 0;            // sum of fixed(w) over all samples (reduced)
    std::vector<std::array<std::int64_t, 4>> m_margin;  // per working genotype column: sum of fixed(w) by lut slot
};

}  // namespace

double logistic(double eta) {
    return eta >= 0 ? 1 / (1 + std::exp(-eta)) : std::exp(eta) / (1 + std::exp(eta));
}

std::vector<double> linear_predictor(const design& d, const coefficients& c) {
    const auto n = static_cast<std::size_t>(d.n_local);
    std::vector<std::int64_t> nonzero;
    for (std::int64_t j = 0; j < d.n_variants; ++j)
        if (c.variants[static_cast<std::size_t>(j)] != 0) nonzero.push_back(j);
    std::vector<double> eta(n, c.intercept);
    constexpr std::size_t chunk = 256;
    tbb::parallel_for(std::size_t{0}, (n + chunk - 1) / chunk, [&](std::size_t b) {
        const std::size_t lo = b * chunk, hi = std::min(n, lo + chunk);
        for (std::int64_t k = 0; k < d.n_dense; ++k)
            for (std::size_t i = lo; i < hi; ++i)
                eta[i] += c.dense[static_cast<std::size_t>(k)] * d.dense[static_cast<std::size_t>(k) * n + i];
        for (auto j : nonzero) {
            const std::int8_t* g = d.dosage.data() + j * d.n_local;
            const auto& l = d.lut[static_cast<std::size_t>(j)];
            const double b = c.variants[static_cast<std::size_t>(j)];
            for (std::size_t i = lo; i < hi; ++i) eta[i] += l[lut_slot(g[i])] * b;
        }
    });
    return eta;
}

path_fit fit_path(const design& d, const std::vector<std::uint8_t>& use, const elastic_net_options& options,
                  const std::vector<double>& lambdas, const mpi::communicator& comm) {
    if (use.size() != static_cast<std::size_t>(d.n_local)) throw runtime_failure("fit_path: use has the wrong size");
    if (!(options.alpha >= 0 && options.alpha <= 1)) throw input_error("--alpha must lie in [0, 1]");
    const double t0 = MPI_Wtime();
    solver s(d, use, options, comm);
    // The unpenalised fit (an infinite lambda) gives lambda_max and the first strong set.
    std::vector<double> grad = s.solve(HUGE_VAL, HUGE_VAL, {});
    path_fit out;
    out.lambda = lambdas;
    if (out.lambda.empty()) {
        double gmax = 0;
        for (double g : grad) gmax = std::max(gmax, std::abs(g));
        double lmax = gmax / std::max(options.alpha, 1e-3);
        if (lmax <= 0) lmax = 1e-6;
        const int k = std::max(options.nlambda, 1);
        for (int i = 0; i < k; ++i)
            out.lambda.push_back(lmax * std::pow(options.lambda_min_ratio, k == 1 ? 0.0 : double(i) / (k - 1)));
    }
    double previous = out.lambda.front();
    for (double lambda : out.lambda) {
        grad = s.solve(lambda, previous, grad);
        out.fits.push_back(s.current());
        previous = lambda;
    }
    out.reductions = s.stats();
    out.reductions.total_seconds = MPI_Wtime() - t0;
    return out;
}

}  // namespace precis::model
