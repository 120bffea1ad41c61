// AUC with DeLong's variance via midranks (Sun & Xu 2014: the structural components from ranks), threshold
// metrics, decile calibration and logistic recalibration.
#include "precis/model/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "precis/model/elastic_net.hpp"

namespace precis::model {

namespace {

// Midranks (1-based, ties averaged) of `v`.
std::vector<double> midranks(const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return v[a] < v[b]; });
    std::vector<double> rank(v.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        double r = 0.5 * static_cast<double>(i + j) + 1;
        for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
        i = j + 1;
    }
    return rank;
}

double variance(const std::vector<double>& v) {
    if (v.size() < 2) return 0;
    double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double s = 0;
    for (double x : v) s += (x - mean) * (x - mean);
    return s / static_cast<double>(v.size() - 1);
}

}  // namespace

auc_result auc_delong(const std::vector<double>& score, const std::vector<double>& y) {
    std::vector<double> pos, neg;
    for (std::size_t i = 0; i < score.size(); ++i) (y[i] > 0.5 ? pos : neg).push_back(score[i]);
    auc_result r;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (pos.empty() || neg.empty()) return {nan, nan, nan, nan};
    const double m = static_cast<double>(pos.size()), n = static_cast<double>(neg.size());
    std::vector<double> all(pos);
    all.insert(all.end(), neg.begin(), neg.end());
    auto r_all = midranks(all), r_pos = midranks(pos), r_neg = midranks(neg);
    std::vector<double> v10(pos.size()), v01(neg.size());
    double sum_pos = 0;
    for (std::size_t i = 0; i < pos.size(); ++i) {
        v10[i] = (r_all[i] - r_pos[i]) / n;  // fraction of negatives below case i
        sum_pos += r_all[i];
    }
    for (std::size_t j = 0; j < neg.size(); ++j) v01[j] = 1 - (r_all[pos.size() + j] - r_neg[j]) / m;
    r.auc = (sum_pos - m * (m + 1) / 2) / (m * n);
    r.se = std::sqrt(variance(v10) / m + variance(v01) / n);
    r.lower = std::max(0.0, r.auc - 1.959963984540054 * r.se);
    r.upper = std::min(1.0, r.auc + 1.959963984540054 * r.se);
    return r;
}

classification_metrics classify(const std::vector<double>& p, const std::vector<double>& y, double threshold) {
    classification_metrics c;
    c.threshold = threshold;
    c.n = static_cast<std::int64_t>(p.size());
    double tp = 0, fp = 0, tn = 0, fn = 0, brier = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        bool called = p[i] >= threshold, is_case = y[i] > 0.5;
        c.cases += is_case;
        (called ? (is_case ? tp : fp) : (is_case ? fn : tn)) += 1;
        brier += (p[i] - y[i]) * (p[i] - y[i]);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto ratio = [&](double a, double b) { return b > 0 ? a / b : nan; };
    c.accuracy = ratio(tp + tn, static_cast<double>(c.n));
    c.sensitivity = ratio(tp, tp + fn);
    c.specificity = ratio(tn, tn + fp);
    c.f1 = ratio(2 * tp, 2 * tp + fp + fn);
    c.brier = ratio(brier, static_cast<double>(c.n));
    std::vector<std::size_t> order(p.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p[a] < p[b]; });
    const std::size_t bins = std::min<std::size_t>(10, p.size());
    for (std::size_t b = 0; b < bins; ++b) {
        std::size_t lo = b * p.size() / bins, hi = (b + 1) * p.size() / bins;
        double sp = 0, sy = 0;
        for (std::size_t k = lo; k < hi; ++k) sp += p[order[k]], sy += y[order[k]];
        c.bin_predicted.push_back(sp / static_cast<double>(hi - lo));
        c.bin_observed.push_back(sy / static_cast<double>(hi - lo));
        c.bin_count.push_back(static_cast<std::int64_t>(hi - lo));
    }
    return c;
}

recalibration fit_recalibration(const std::vector<double>& eta, const std::vector<double>& y) {
    double a = 0, b = 1;
    for (int iter = 0; iter < 100; ++iter) {
        double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
        for (std::size_t i = 0; i < eta.size(); ++i) {
            double p = logistic(a + b * eta[i]), w = p * (1 - p);
            g0 += y[i] - p, g1 += (y[i] - p) * eta[i];
            h00 += w, h01 += w * eta[i], h11 += w * eta[i] * eta[i];
        }
        double det = h00 * h11 - h01 * h01;
        if (!(det > 1e-12 * (h00 * h11 + 1e-300))) break;
        double da = (h11 * g0 - h01 * g1) / det, db = (h00 * g1 - h01 * g0) / det;
        a += da, b += db;
        if (!std::isfinite(a) || !std::isfinite(b)) break;
        if (std::abs(da) + std::abs(db) < 1e-10) {
            recalibration r{a, b, true};
            // Inverse Fisher information at the fit: the covariance of (a, b).
            h00 = h01 = h11 = 0;
            for (std::size_t i = 0; i < eta.size(); ++i) {
                double p = logistic(a + b * eta[i]), w = p * (1 - p);
                h00 += w, h01 += w * eta[i], h11 += w * eta[i] * eta[i];
            }
            det = h00 * h11 - h01 * h01;
            if (det > 0) r.var_intercept = h11 / det, r.cov_intercept_slope = -h01 / det, r.var_slope = h00 / det;
            return r;
        }
    }
    return {0, 1, false};
}

risk_interval calibrated_risk(const recalibration& r, double eta) {
    const double lp = r.intercept + r.slope * eta;
    risk_interval out{logistic(lp), std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    const double var = r.var_intercept + 2 * eta * r.cov_intercept_slope + eta * eta * r.var_slope;
    if (std::isfinite(var) && var >= 0) {
        const double half = 1.959963984540054 * std::sqrt(var);
        out.lower = logistic(lp - half), out.upper = logistic(lp + half);
    }
    return out;
}

}  // namespace precis::model
