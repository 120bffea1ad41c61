// Elastic net by proximal Newton: at each step a weighted least-squares approximation of the deviance is
// minimised by coordinate descent with local working residuals (glmnet's "naive" updates). Each coordinate's
// gradient is the only quantity that needs every sample; it is reduced exactly in fixed point.
#include "precis/model/elastic_net.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "precis/core/error.hpp"

namespace precis::model {

namespace {

std::int64_t fixed(double v) { return static_cast<std::int64_t>(v * fixed_point_scale); }

void sum_exact(std::vector<std::int64_t>& v, const mpi::communicator& comm) {
    if (comm.size() > 1)
        mpi::check(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_INT64_T, MPI_SUM, comm.get()),
                   "MPI_Allreduce (elastic net)");
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
        sum_exact(s, comm);
        double mean = static_cast<double>(s[0]) / fixed_point_scale / m_n;
        if (o.family == family::binomial) {
            mean = std::clamp(mean, 1e-5, 1 - 1e-5);
            m_c.intercept = std::log(mean / (1 - mean));
        } else {
            m_c.intercept = mean;
        }
    }

    const coefficients& current() const { return m_c; }

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
    const std::array<double, 3>& lut(std::size_t k) const {
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
        sum_exact(acc, m_comm);
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
        std::vector<std::int64_t> acc(static_cast<std::size_t>(3 * m_d.n_variants), 0);
        tbb::parallel_for(std::int64_t{0}, m_d.n_variants, [&](std::int64_t j) {
            const std::int8_t* g = m_d.dosage.data() + j * m_d.n_local;
            std::int64_t s[3] = {0, 0, 0};
            for (std::size_t i = 0; i < n; ++i)
                if (g[i] >= 0) s[g[i]] += q[i];
            for (int v = 0; v < 3; ++v) acc[static_cast<std::size_t>(3 * j + v)] = s[v];
        });
        sum_exact(acc, m_comm);
        std::vector<double> out(static_cast<std::size_t>(m_d.n_variants));
        for (std::int64_t j = 0; j < m_d.n_variants; ++j) {
            const auto& l = m_d.lut[static_cast<std::size_t>(j)];
            double s = 0;
            for (int v = 0; v < 3; ++v) s += l[v] * static_cast<double>(acc[static_cast<std::size_t>(3 * j + v)]);
            out[static_cast<std::size_t>(j)] = s / fixed_point_scale / m_n;
        }
        return out;
    }

    // Reduced vectors of the working columns at the current weights: gradient and Hessian diagonal.
    void gradient_and_diagonal(std::vector<double>& grad, std::vector<double>& diag) {
        const std::size_t m = m_count(), n = static_cast<std::size_t>(m_d.n_local);
        std::vector<std::int64_t> acc(6 * m, 0);
        tbb::parallel_for(std::size_t{0}, m, [&](std::size_t k) {
            std::int64_t* a = acc.data() + 6 * k;
            if (is_dense(k)) {
                for (std::size_t i = 0; i < n; ++i) {
                    double x = dense_value(k, i);
                    a[0] += fixed(x * m_r[i]);
                    a[3] += fixed(x * x * m_w[i]);
                }
            } else {
                const std::int8_t* g = genotypes(k);
                for (std::size_t i = 0; i < n; ++i)
                    if (g[i] >= 0) a[g[i]] += fixed(m_r[i]), a[3 + g[i]] += fixed(m_w[i]);
            }
        });
        sum_exact(acc, m_comm);
        grad.assign(m, 0.0);
        diag.assign(m, 0.0);
        for (std::size_t k = 0; k < m; ++k) {
            const std::int64_t* a = acc.data() + 6 * k;
            if (is_dense(k)) {
                grad[k] = static_cast<double>(a[0]);
                diag[k] = static_cast<double>(a[3]);
            } else {
                const auto& l = lut(k);
                for (int v = 0; v < 3; ++v) {
                    grad[k] += l[v] * static_cast<double>(a[v]);
                    diag[k] += l[v] * l[v] * static_cast<double>(a[3 + v]);
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
        std::vector<std::int64_t> acc(3 * (to - from), 0);
        for (std::size_t t = from; t < to; ++t) {
            const std::size_t k = ks[t];
            std::int64_t* a = acc.data() + 3 * (t - from);
            if (is_dense(k)) {
                for (std::size_t i = 0; i < n; ++i) a[0] += fixed(dense_value(k, i) * m_w[i] * m_rho[i]);
            } else {
                const std::int8_t* g = genotypes(k);
                for (std::size_t i = 0; i < n; ++i)
                    if (g[i] >= 0) a[g[i]] += m_q[i];
            }
        }
        sum_exact(acc, m_comm);
        std::vector<double> out(to - from, 0.0);
        for (std::size_t t = from; t < to; ++t) {
            const std::int64_t* a = acc.data() + 3 * (t - from);
            double s = 0;
            if (is_dense(ks[t])) {
                s = static_cast<double>(a[0]);
            } else {
                const auto& l = lut(ks[t]);
                for (int v = 0; v < 3; ++v) s += l[v] * static_cast<double>(a[v]);
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
                if (m_use[i] && g[i] >= 0) m_rho[i] -= l[g[i]] * delta, m_q[i] = fixed(m_w[i] * m_rho[i]);
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

    void newton(double lambda) {
        const std::size_t m = m_count(), n = static_cast<std::size_t>(m_d.n_local);
        const double l1 = lambda * m_o.alpha, l2 = lambda * (1 - m_o.alpha);
        std::vector<std::size_t> all(m);
        for (std::size_t k = 0; k < m; ++k) all[k] = k;
        for (int step = 0; step < m_o.max_newton; ++step) {
            update_eta();
            std::vector<double> grad, diag;
            gradient_and_diagonal(grad, diag);
            m_rho.assign(n, 0.0);
            m_q.assign(n, 0);
            for (std::size_t i = 0; i < n; ++i)
                if (m_use[i]) m_rho[i] = m_r[i] / m_w[i], m_q[i] = fixed(m_w[i] * m_rho[i]);
            std::vector<double> start(m);
            for (std::size_t k = 0; k < m; ++k) start[k] = coef(k);
            const double before = objective(lambda);
            // glmnet's active-set cycling: a full sweep, then sweeps over the nonzero coefficients only.
            int sweeps = 0;
            while (sweeps < m_o.max_sweeps) {
                ++sweeps;
                if (sweep(all, diag, l1, l2) < m_o.tolerance) break;
                std::vector<std::size_t> active;
                for (std::size_t k = 0; k < m; ++k)
                    if (is_dense(k) || coef(k) != 0) active.push_back(k);
                while (sweeps < m_o.max_sweeps && sweep(active, diag, l1, l2) >= m_o.tolerance) ++sweeps;
            }
            if (sweeps >= m_o.max_sweeps) m_c.converged = false;
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
            for (std::size_t i = lo; i < hi; ++i)
                if (g[i] >= 0) eta[i] += l[g[i]] * b;
        }
    });
    return eta;
}

path_fit fit_path(const design& d, const std::vector<std::uint8_t>& use, const elastic_net_options& options,
                  const std::vector<double>& lambdas, const mpi::communicator& comm) {
    if (use.size() != static_cast<std::size_t>(d.n_local)) throw runtime_failure("fit_path: use has the wrong size");
    if (!(options.alpha >= 0 && options.alpha <= 1)) throw input_error("--alpha must lie in [0, 1]");
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
    return out;
}

}  // namespace precis::model
