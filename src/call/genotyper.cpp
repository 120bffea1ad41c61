// Diploid genotype likelihoods from per-read allele likelihoods; EM over allele frequencies for the prior.
#include "precis/call/genotyper.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace precis::call {

namespace {

constexpr double ln10 = 2.302585092994046;
constexpr int em_iterations = 40;
constexpr double ref_pseudocount = 1.0;
constexpr double alt_pseudocount = 0.5;

// log10(10^a + 10^b)
double add_log10(double a, double b) {
    if (a < b) std::swap(a, b);
    if (b == -std::numeric_limits<double>::infinity()) return a;
    return a + std::log10(1.0 + std::pow(10.0, b - a));
}

double add_ln(double a, double b) {
    if (a < b) std::swap(a, b);
    if (b == -std::numeric_limits<double>::infinity()) return a;
    return a + std::log1p(std::exp(b - a));
}

}  // namespace

bool site_call::variant() const {
    for (const auto& s : samples)
        if (s.a1 > 0 || s.a2 > 0) return true;
    return false;
}

std::vector<double> genotype_log10_likelihoods(const sample_evidence& ev, int n_alleles) {
    const int g_count = genotype_count(n_alleles);
    std::vector<double> gl(static_cast<std::size_t>(g_count), 0.0);
    const std::size_t reads = ev.read_lk.size() / static_cast<std::size_t>(n_alleles);
    constexpr double log10_half = -0.30102999566398120;
    for (std::size_t r = 0; r < reads; ++r) {
        const float* lk = &ev.read_lk[r * static_cast<std::size_t>(n_alleles)];
        for (int k = 0; k < n_alleles; ++k)
            for (int j = 0; j <= k; ++j)
                gl[static_cast<std::size_t>(genotype_index(j, k))] +=
                    j == k ? lk[k] : add_log10(lk[j], lk[k]) + log10_half;
    }
    return gl;
}

site_call genotype_site(const std::vector<sample_evidence>& samples, int n_alleles, double prior) {
    const int g_count = genotype_count(n_alleles);
    const std::size_t n = samples.size();
    std::vector<std::vector<double>> gl(n);
    std::vector<bool> has(n, false);
    int with_data = 0;
    for (std::size_t s = 0; s < n; ++s) {
        if (samples[s].read_lk.empty()) continue;
        gl[s] = genotype_log10_likelihoods(samples[s], n_alleles);
        has[s] = true;
        ++with_data;
    }
    // Genotype allele pairs in VCF order.
    std::vector<std::pair<int, int>> pairs(static_cast<std::size_t>(g_count));
    for (int k = 0; k < n_alleles; ++k)
        for (int j = 0; j <= k; ++j) pairs[static_cast<std::size_t>(genotype_index(j, k))] = {j, k};

    site_call out;
    out.freq.assign(static_cast<std::size_t>(n_alleles), 0.5 / std::max(1, n_alleles - 1));
    out.freq[0] = 0.5;
    std::vector<double> log_prior(static_cast<std::size_t>(g_count));
    auto update_prior = [&] {
        for (int g = 0; g < g_count; ++g) {
            auto [j, k] = pairs[static_cast<std::size_t>(g)];
            double p = out.freq[static_cast<std::size_t>(j)] * out.freq[static_cast<std::size_t>(k)] * (j == k ? 1.0 : 2.0);
            log_prior[static_cast<std::size_t>(g)] = std::log10(std::max(p, 1e-300));
        }
    };
    std::vector<double> post(static_cast<std::size_t>(g_count));
    // Posterior of sample s under the current prior; returns log10 of the normaliser.
    auto posterior = [&](std::size_t s) {
        double norm = -std::numeric_limits<double>::infinity();
        for (int g = 0; g < g_count; ++g) norm = add_log10(norm, gl[s][static_cast<std::size_t>(g)] + log_prior[static_cast<std::size_t>(g)]);
        for (int g = 0; g < g_count; ++g)
            post[static_cast<std::size_t>(g)] = std::pow(10.0, gl[s][static_cast<std::size_t>(g)] + log_prior[static_cast<std::size_t>(g)] - norm);
        return norm;
    };
    std::vector<double> counts(static_cast<std::size_t>(n_alleles));
    for (int it = 0; it < em_iterations && with_data > 0; ++it) {
        update_prior();
        std::fill(counts.begin(), counts.end(), 0.0);
        for (std::size_t s = 0; s < n; ++s) {
            if (!has[s]) continue;
            posterior(s);
            for (int g = 0; g < g_count; ++g) {
                auto [j, k] = pairs[static_cast<std::size_t>(g)];
                counts[static_cast<std::size_t>(j)] += post[static_cast<std::size_t>(g)];
                counts[static_cast<std::size_t>(k)] += post[static_cast<std::size_t>(g)];
            }
        }
        double total = 2.0 * with_data + ref_pseudocount + alt_pseudocount * (n_alleles - 1);
        double change = 0;
        for (int a = 0; a < n_alleles; ++a) {
            double f = (counts[static_cast<std::size_t>(a)] + (a == 0 ? ref_pseudocount : alt_pseudocount)) / total;
            change = std::max(change, std::abs(f - out.freq[static_cast<std::size_t>(a)]));
            out.freq[static_cast<std::size_t>(a)] = f;
        }
        if (change < 1e-7) break;
    }
    update_prior();

    // QUAL: "all samples REF" against "some ALT" with the fitted frequencies.
    double l0 = 0, l1 = 0;
    out.samples.resize(n);
    for (std::size_t s = 0; s < n; ++s) {
        if (!has[s]) continue;
        l0 += gl[s][0] * ln10;
        l1 += posterior(s) * ln10;
        auto& c = out.samples[s];
        int best = static_cast<int>(std::max_element(post.begin(), post.end()) - post.begin());
        c.a1 = pairs[static_cast<std::size_t>(best)].first;
        c.a2 = pairs[static_cast<std::size_t>(best)].second;
        double wrong = std::max(1.0 - post[static_cast<std::size_t>(best)], 1e-10);
        c.gq = std::min(99, static_cast<int>(std::lround(-10.0 * std::log10(wrong))));
        double top = *std::max_element(gl[s].begin(), gl[s].end());
        c.pl.resize(static_cast<std::size_t>(g_count));
        for (int g = 0; g < g_count; ++g)
            c.pl[static_cast<std::size_t>(g)] =
                static_cast<int>(std::min(99999.0, std::round(-10.0 * (gl[s][static_cast<std::size_t>(g)] - top))));
    }
    if (with_data == 0) return out;
    double ref_term = std::log1p(-prior) + l0;
    double alt_term = std::log(prior) + l1;
    double log_p_ref = ref_term - add_ln(ref_term, alt_term);
    out.qual = std::min(9999.0, -10.0 * log_p_ref / ln10);
    if (out.qual < 0) out.qual = 0;
    return out;
}

}  // namespace precis::call
