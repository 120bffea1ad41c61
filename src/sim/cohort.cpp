#include "precis/sim/cohort.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "precis/core/error.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim {

namespace {

// The ALT allele `value` of one site placed on the haplotypes of one LD block.
struct block_model {
    std::vector<double> weight;     // template weights
    std::vector<int> template_of;   // per haplotype
    std::vector<int> pop_of;        // per haplotype
    std::vector<std::vector<std::size_t>> orders;  // template orders (local genealogies) shared by sites
    int cohort_haplotypes = 0;
    int populations = 1;
};

std::size_t categorical(rng& r, const std::vector<double>& w) {
    double u = r.uniform(), acc = 0;
    for (std::size_t i = 0; i + 1 < w.size(); ++i)
        if (u < (acc += w[i])) return i;
    return w.size() - 1;
}

void place_allele(rng& r, const block_model& m, std::uint8_t* row, std::uint8_t value, double p_low, double p_high,
                  double fst, const std::vector<double>& share) {
    const std::size_t T = m.weight.size();
    const auto P = static_cast<std::size_t>(m.populations);
    double p = p_low * std::pow(p_high / p_low, r.uniform());  // density 1/x on [p_low, p_high]
    std::vector<double> pk(P, p);
    if (P > 1)
        for (auto& q : pk) q = r.beta(p * (1 - fst) / fst, (1 - p) * (1 - fst) / fst);
    double u = r.uniform();  // most sites of a block follow its main order: nested carrier sets, strong LD
    const auto& order = m.orders[u < 0.6 ? 0 : u < 0.85 ? 1 : 2];
    // prob[k][t]: chance that a haplotype of population k copying template t carries the allele.
    std::vector<double> prob(P * T, 0.0);
    std::vector<bool> flip(P, false);
    for (std::size_t k = 0; k < P; ++k) {
        double cum = 0;
        for (std::size_t t : order) {
            double w = m.weight[t];
            if (cum + w <= pk[k]) prob[k * T + t] = 1.0;
            else {
                prob[k * T + t] = std::max(0.0, (pk[k] - cum) / w);
                break;
            }
            cum += w;
        }
        flip[k] = pk[k] > 0.05 && pk[k] < 0.95;  // common alleles: a little recurrent mutation breaks perfect LD
    }
    int carriers = 0;
    for (std::size_t h = 0; h < m.template_of.size(); ++h) {
        if (row[h] != 0) continue;
        auto k = static_cast<std::size_t>(m.pop_of[h]);
        double pr = prob[k * T + static_cast<std::size_t>(m.template_of[h])];
        bool carry = pr >= 1.0 || (pr > 0.0 && r.uniform() < pr);
        if (flip[k] && r.uniform() < 0.01) carry = !carry;
        if (carry) {
            row[h] = value;
            carriers += static_cast<int>(h) < m.cohort_haplotypes;
        }
    }
    if (carriers > 0) return;
    // Too rare to appear: make it a singleton of a population chosen by its frequency and size.
    std::vector<double> w(P);
    double total = 0;
    for (std::size_t k = 0; k < P; ++k) total += (w[k] = pk[k] * share[k]);
    if (total <= 0) w = share;
    else
        for (auto& x : w) x /= total;
    auto k = static_cast<int>(categorical(r, w));
    for (int tries = 0; tries < 100000; ++tries) {
        auto h = r.below(static_cast<std::uint64_t>(m.cohort_haplotypes));
        if (row[h] == 0 && (m.pop_of[h] == k || tries > 1000)) {
            row[h] = value;
            return;
        }
    }
}

}  // namespace

std::vector<std::string> ancestry_labels(const cohort_options& options) {
    if (options.ancestries < 1 || options.ancestries > 16) throw input_error("--ancestries must be between 1 and 16");
    if (!options.ancestry_names.empty()) {
        if (static_cast<int>(options.ancestry_names.size()) != options.ancestries)
            throw input_error("--ancestry-names gives " + std::to_string(options.ancestry_names.size()) +
                              " names for --ancestries " + std::to_string(options.ancestries));
        for (const auto& n : options.ancestry_names)
            if (n.empty() || n.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
                throw input_error("--ancestry-names: '" + n + "' is not a valid name (letters, digits, _)");
        for (auto a = options.ancestry_names.begin(); a != options.ancestry_names.end(); ++a)
            if (std::find(std::next(a), options.ancestry_names.end(), *a) != options.ancestry_names.end())
                throw input_error("--ancestry-names: '" + *a + "' is given twice");
        return options.ancestry_names;
    }
    std::vector<std::string> out;
    for (int k = 0; k < options.ancestries; ++k) out.push_back("pop" + std::to_string(k + 1));
    return out;
}

namespace detail {

std::vector<int> assign_ancestries(int samples, int extra, const std::vector<double>& share, std::uint64_t seed) {
    std::vector<int> out;
    for (std::size_t k = 0; k < share.size(); ++k) {
        auto n = k + 1 == share.size() ? static_cast<std::size_t>(samples) - out.size()
                                       : static_cast<std::size_t>(std::llround(samples * share[k]));
        out.insert(out.end(), std::min(n, static_cast<std::size_t>(samples) - out.size()), static_cast<int>(k));
    }
    rng r(seed, "ancestry");
    for (std::size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[r.below(i)]);
    for (int i = 0; i < extra; ++i) out.push_back(static_cast<int>(categorical(r, share)));
    return out;
}

void finish_cohort(cohort& c, const cohort_options& options, std::uint64_t seed) {
    c.missing.assign(c.sites.size(), {});
    std::vector<char> in(c.sites.size(), 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, c.sites.size(), 256), [&](const auto& range) {
        for (std::size_t s = range.begin(); s < range.end(); ++s) {
            const auto* row = c.row(s);
            for (std::size_t h = 0; h < 2 * static_cast<std::size_t>(c.samples); ++h)
                if (row[h] != 0) {
                    in[s] = 1;
                    break;
                }
            if (options.missing_rate <= 0) continue;
            rng r(seed, "missing", s);
            for (std::int64_t i = r.geometric(options.missing_rate); i < c.samples; i += 1 + r.geometric(options.missing_rate))
                c.missing[s].push_back(static_cast<std::uint32_t>(i));
        }
    });
    c.in_cohort.assign(in.begin(), in.end());
}

}  // namespace detail

cohort simulate_cohort(std::vector<variant_site> sites, const cohort_options& options, std::uint64_t seed) {
    if (options.samples < 10) throw input_error("--samples must be at least 10");
    if (options.extra < 0) throw input_error("--patients must not be negative");
    if (!(options.fst > 0 && options.fst < 1)) throw input_error("--fst must be in (0, 1)");
    if (!(options.missing_rate >= 0 && options.missing_rate < 0.5)) throw input_error("--missing-rate must be in [0, 0.5)");
    cohort c;
    c.ancestry_names = ancestry_labels(options);
    c.samples = options.samples;
    c.extra = options.extra;
    double total = 0;
    for (int k = 0; k < options.ancestries; ++k) total += c.ancestry_share.emplace_back(std::ldexp(1.0, -k));
    for (auto& s : c.ancestry_share) s /= total;
    c.ancestry = detail::assign_ancestries(c.samples, c.extra, c.ancestry_share, seed);
    c.sites = std::move(sites);
    // LD blocks: exponential lengths, new block on every contig.
    rng br(seed, "blocks");
    std::vector<std::size_t> block_start;
    c.block.resize(c.sites.size());
    std::int64_t block_end = -1;
    for (std::size_t s = 0; s < c.sites.size(); ++s) {
        if (s == 0 || c.sites[s].contig != c.sites[s - 1].contig || c.sites[s].pos >= block_end) {
            block_start.push_back(s);
            block_end = c.sites[s].pos + std::max<std::int64_t>(5000, static_cast<std::int64_t>(br.exponential(options.block_length)));
        }
        c.block[s] = static_cast<int>(block_start.size()) - 1;
    }
    block_start.push_back(c.sites.size());
    const std::size_t H = c.haplotypes();
    c.alleles.assign(c.sites.size() * H, 0);
    const double p_low = 1.0 / (2.0 * c.samples);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, block_start.size() - 1, 1), [&](const auto& range) {
        for (std::size_t b = range.begin(); b < range.end(); ++b) {
            rng r(seed, "block", b);
            block_model m;
            m.populations = options.ancestries;
            m.cohort_haplotypes = 2 * c.samples;
            double sum = 0;
            for (int t = 0; t < std::max(1, options.templates); ++t) sum += m.weight.emplace_back(r.gamma(1.0));
            for (auto& w : m.weight) w /= sum;
            m.template_of.resize(H);
            m.pop_of.resize(H);
            for (int k = 0; k < 3; ++k) {
                auto& order = m.orders.emplace_back(m.weight.size());
                for (std::size_t t = 0; t < order.size(); ++t) order[t] = t;
                for (std::size_t t = order.size(); t > 1; --t) std::swap(order[t - 1], order[r.below(t)]);
            }
            for (std::size_t h = 0; h < H; ++h) {
                m.template_of[h] = static_cast<int>(categorical(r, m.weight));
                m.pop_of[h] = c.ancestry[h / 2];
            }
            for (std::size_t s = block_start[b]; s < block_start[b + 1]; ++s) {
                place_allele(r, m, c.row(s), 1, p_low, 1.0 - p_low, options.fst, c.ancestry_share);
                if (c.sites[s].alts.size() > 1) place_allele(r, m, c.row(s), 2, p_low, 0.05, options.fst, c.ancestry_share);
            }
        }
    });
    detail::finish_cohort(c, options, seed);
    return c;
}

}  // namespace precis::sim
