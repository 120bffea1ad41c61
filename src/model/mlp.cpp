// Full-batch Adam for a one-hidden-layer tanh network; deterministic chunked reductions.
#include "precis/model/mlp.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "precis/core/error.hpp"

namespace precis::model {

double mlp::predict(const std::vector<double>& raw) const {
    const std::size_t p = inputs.size();
    double out = b2;
    for (std::int64_t h = 0; h < hidden; ++h) {
        const auto row = static_cast<std::size_t>(h) * p;
        double a = b1[static_cast<std::size_t>(h)];
        for (std::size_t k = 0; k < p; ++k) a += w1[row + k] * (raw[k] - input_mean[k]) / input_sd[k];
        out += w2[static_cast<std::size_t>(h)] * std::tanh(a);
    }
    return out * output_sd + output_mean;
}

void validate(const mlp_options& o) {
    if (o.hidden < 1 || o.hidden > 4096) throw input_error("--hidden must be between 1 and 4096, got " + std::to_string(o.hidden));
    if (o.epochs < 1 || o.epochs > 1000000) throw input_error("--epochs must be between 1 and 1000000, got " + std::to_string(o.epochs));
    if (!(o.decay >= 0) || !std::isfinite(o.decay)) throw input_error("--decay must be >= 0");
    if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate)) throw input_error("--learning-rate must be > 0");
}

void fit_mlp(mlp& net, const std::vector<double>& z, const std::vector<double>& y, family f, const mlp_options& o) {
    const std::size_t p = net.inputs.size(), n = y.size(), H = static_cast<std::size_t>(o.hidden);
    validate(o);
    if (p == 0 || n == 0 || z.size() != n * p) throw input_error("the MLP needs at least one input and one sample");
    net.hidden = o.hidden;

    // Parameters in one vector: w1 (H x p), b1 (H), w2 (H), b2.
    const std::size_t n_par = H * p + 2 * H + 1, at_b1 = H * p, at_w2 = at_b1 + H, at_b2 = at_w2 + H;
    std::vector<double> theta(n_par, 0.0);
    // Xavier-uniform weights from a fixed generator (mt19937_64 is specified exactly by the standard;
    // the uniform conversion is ours, so every platform draws the same numbers).
    std::mt19937_64 rng(o.seed);
    auto uniform = [&](double limit) { return limit * (2.0 * static_cast<double>(rng() >> 11) * 0x1p-53 - 1.0); };
    const double l1 = std::sqrt(6.0 / static_cast<double>(p + H)), l2 = std::sqrt(6.0 / static_cast<double>(H + 1));
    for (std::size_t i = 0; i < H * p; ++i) theta[i] = uniform(l1);
    for (std::size_t h = 0; h < H; ++h) theta[at_w2 + h] = uniform(l2);
    if (f == family::binomial) {
        double mean = 0;
        for (double v : y) mean += v;
        mean = std::clamp(mean / static_cast<double>(n), 1e-6, 1 - 1e-6);
        theta[at_b2] = std::log(mean / (1 - mean));  // start at the prevalence
    }

    constexpr std::size_t chunk = 512;
    const std::size_t n_chunks = (n + chunk - 1) / chunk;
    std::vector<std::vector<double>> partial(n_chunks, std::vector<double>(n_par));
    std::vector<double> grad(n_par), m1(n_par, 0.0), m2(n_par, 0.0);
    const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        tbb::parallel_for(std::size_t{0}, n_chunks, [&](std::size_t c) {
            std::vector<double>& g = partial[c];
            std::fill(g.begin(), g.end(), 0.0);
            std::vector<double> act(H);
            for (std::size_t i = c * chunk, end = std::min(n, i + chunk); i < end; ++i) {
                const double* x = z.data() + i * p;
                double out = theta[at_b2];
                for (std::size_t h = 0; h < H; ++h) {
                    double a = theta[at_b1 + h];
                    for (std::size_t k = 0; k < p; ++k) a += theta[h * p + k] * x[k];
                    act[h] = std::tanh(a);
                    out += theta[at_w2 + h] * act[h];
                }
                // d loss / d out: p - y for the log loss with a logistic output, out - y for half the squared error.
                const double d_out = (f == family::binomial ? logistic(out) : out) - y[i];
                g[at_b2] += d_out;
                for (std::size_t h = 0; h < H; ++h) {
                    g[at_w2 + h] += d_out * act[h];
                    const double d_a = d_out * theta[at_w2 + h] * (1 - act[h] * act[h]);
                    g[at_b1 + h] += d_a;
                    for (std::size_t k = 0; k < p; ++k) g[h * p + k] += d_a * x[k];
                }
            }
        });
        std::fill(grad.begin(), grad.end(), 0.0);
        for (const auto& g : partial)
            for (std::size_t j = 0; j < n_par; ++j) grad[j] += g[j];
        for (std::size_t j = 0; j < n_par; ++j) {
            grad[j] /= static_cast<double>(n);
            if (j < at_b1 || (j >= at_w2 && j < at_b2)) grad[j] += o.decay * theta[j];
        }
        const double c1 = 1 - std::pow(beta1, epoch), c2 = 1 - std::pow(beta2, epoch);
        for (std::size_t j = 0; j < n_par; ++j) {
            m1[j] = beta1 * m1[j] + (1 - beta1) * grad[j];
            m2[j] = beta2 * m2[j] + (1 - beta2) * grad[j] * grad[j];
            theta[j] -= o.learning_rate * (m1[j] / c1) / (std::sqrt(m2[j] / c2) + eps);
        }
    }
    net.w1.assign(theta.begin(), theta.begin() + static_cast<std::ptrdiff_t>(at_b1));
    net.b1.assign(theta.begin() + static_cast<std::ptrdiff_t>(at_b1), theta.begin() + static_cast<std::ptrdiff_t>(at_w2));
    net.w2.assign(theta.begin() + static_cast<std::ptrdiff_t>(at_w2), theta.begin() + static_cast<std::ptrdiff_t>(at_b2));
    net.b2 = theta[at_b2];
}

}  // namespace precis::model
