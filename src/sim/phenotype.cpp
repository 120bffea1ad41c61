#include "precis/sim/phenotype.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "precis/core/error.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim {

phenotypes simulate_phenotypes(const cohort& c, const phenotype_options& options, std::uint64_t seed) {
    const double h2 = options.heritability;
    if (!(h2 >= 0 && h2 < 1)) throw input_error("--heritability must be in [0, 1) (got " + std::to_string(h2) + ")");
    if (!(options.prevalence > 0 && options.prevalence < 1))
        throw input_error("--prevalence must be in (0, 1) (got " + std::to_string(options.prevalence) + ")");
    if (options.causal < 0) throw input_error("--causal must not be negative");
    rng r(seed, "phenotype");
    phenotypes out;
    const int N = c.samples, all = c.individuals();
    // Eligible causal sites: biallelic, cohort MAF >= 1 %.
    std::vector<std::size_t> eligible;
    std::vector<double> freq(c.sites.size(), 0.0);
    for (std::size_t s = 0; s < c.sites.size(); ++s) {
        if (c.sites[s].alts.size() != 1) continue;
        const auto* row = c.row(s);
        std::size_t alt = 0;
        for (std::size_t h = 0; h < 2 * static_cast<std::size_t>(N); ++h) alt += row[h];
        freq[s] = static_cast<double>(alt) / (2.0 * N);
        if (std::min(freq[s], 1 - freq[s]) >= 0.01) eligible.push_back(s);
    }
    if (options.causal > 0 && h2 > 0 && static_cast<int>(eligible.size()) < options.causal)
        throw input_error("--causal " + std::to_string(options.causal) + " exceeds the " + std::to_string(eligible.size()) +
                          " cohort sites with MAF >= 1 %");
    for (int k = 0; k < options.causal && h2 > 0; ++k) {
        std::swap(eligible[static_cast<std::size_t>(k)], eligible[static_cast<std::size_t>(k) + r.below(eligible.size() - static_cast<std::size_t>(k))]);
        out.causal.push_back({eligible[static_cast<std::size_t>(k)], r.normal(), freq[eligible[static_cast<std::size_t>(k)]]});
    }
    std::sort(out.causal.begin(), out.causal.end(), [](const auto& a, const auto& b) { return a.site < b.site; });
    out.genetic.assign(static_cast<std::size_t>(all), 0.0);
    for (const auto& cv : out.causal) {
        double p = cv.frequency, sd = std::sqrt(2 * p * (1 - p));
        for (int i = 0; i < all; ++i) out.genetic[static_cast<std::size_t>(i)] += cv.effect * (c.dosage(cv.site, i) - 2 * p) / sd;
    }
    // Rescale so that the cohort's genetic liability has mean 0 and variance h2 exactly.
    double mean = 0, var = 0;
    for (int i = 0; i < N; ++i) mean += out.genetic[static_cast<std::size_t>(i)];
    mean /= N;
    for (int i = 0; i < N; ++i) var += std::pow(out.genetic[static_cast<std::size_t>(i)] - mean, 2);
    var /= N;
    double scale = var > 0 ? std::sqrt(h2 / var) : 0.0;
    for (auto& g : out.genetic) g = (g - mean) * scale;
    for (auto& cv : out.causal) cv.effect *= scale;
    // Age and sex effects share covariate_share of the non-genetic variance (age 80 %, sex 20 %).
    double env = 1 - h2, cov = options.covariate_share * env;
    double b_age = std::sqrt(0.8 * cov), b_sex = std::sqrt(0.2 * cov), sd_e = std::sqrt(env - cov);
    out.threshold = normal_quantile(1 - options.prevalence);
    double sum_l = 0, sum_l2 = 0;
    int cases = 0;
    for (int i = 0; i < all; ++i) {
        int age = static_cast<int>(std::clamp(std::lround(r.normal(55, 12)), 18L, 90L));
        int sex = r.bernoulli(0.5) ? 1 : 0;
        double l = out.genetic[static_cast<std::size_t>(i)] + b_age * (age - 55) / 12.0 + b_sex * (2 * sex - 1) + sd_e * r.normal();
        int d = l > out.threshold ? 1 : 0;
        out.age.push_back(age);
        out.sex.push_back(sex);
        out.liability.push_back(l);
        out.disease.push_back(d);
        if (i < N) {
            sum_l += l;
            sum_l2 += l * l;
            cases += d;
        }
    }
    double var_l = sum_l2 / N - std::pow(sum_l / N, 2);
    out.realised_heritability = var_l > 0 ? h2 / var_l : 0.0;
    out.realised_prevalence = static_cast<double>(cases) / N;
    return out;
}

}  // namespace precis::sim
