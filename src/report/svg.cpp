// Inline SVG pictures: distributions, gauge, contributions, PCs and calibration.
#include "precis/report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "precis/report/text.hpp"

namespace precis::report {

namespace {

std::string n(double v) {  // coordinates
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string open_svg(int w, int h, const std::string& title) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(w) + " " + std::to_string(h) +
           "\" width=\"" + std::to_string(w) + "\" height=\"" + std::to_string(h) + "\" role=\"img\" aria-label=\"" +
           html(title) + "\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">";
}

std::string text(double x, double y, const std::string& s, const std::string& anchor = "middle",
                 const std::string& extra = "") {
    return "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" + html(s) +
           "</text>";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& style) {
    return "<line x1=\"" + n(x1) + "\" y1=\"" + n(y1) + "\" x2=\"" + n(x2) + "\" y2=\"" + n(y2) + "\" " + style + "/>";
}

std::string rect(double x, double y, double w, double h, const std::string& style) {
    return "<rect x=\"" + n(x) + "\" y=\"" + n(y) + "\" width=\"" + n(std::max(w, 0.0)) + "\" height=\"" +
           n(std::max(h, 0.0)) + "\" " + style + "/>";
}

std::string short_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

}  // namespace

std::string histogram_svg(const std::vector<double>& values, const std::vector<marker>& markers,
                          const std::string& x_label) {
    const int w = 640, h = 220, left = 40, right = 20, top = 20, bottom = 40;
    std::string s = open_svg(w, h, "distribution of " + x_label);
    std::vector<double> finite;
    for (double v : values)
        if (std::isfinite(v)) finite.push_back(v);
    if (finite.empty()) return s + text(w / 2.0, h / 2.0, "no reference distribution") + "</svg>";
    double lo = *std::min_element(finite.begin(), finite.end()), hi = *std::max_element(finite.begin(), finite.end());
    for (const auto& m : markers)
        if (std::isfinite(m.value)) lo = std::min(lo, m.value), hi = std::max(hi, m.value);
    if (hi <= lo) hi = lo + 1;
    const double pad = (hi - lo) * 0.03;
    lo -= pad, hi += pad;
    const int bins = 40;
    std::vector<int> count(bins, 0);
    for (double v : finite) count[static_cast<std::size_t>(std::clamp(static_cast<int>((v - lo) / (hi - lo) * bins), 0, bins - 1))]++;
    const int peak = std::max(1, *std::max_element(count.begin(), count.end()));
    const double pw = w - left - right, ph = h - top - bottom;
    auto x_of = [&](double v) { return left + (v - lo) / (hi - lo) * pw; };
    for (int b = 0; b < bins; ++b) {
        double bh = ph * count[static_cast<std::size_t>(b)] / peak;
        s += rect(left + pw * b / bins + 0.5, top + ph - bh, pw / bins - 1, bh, "fill=\"#9fb8d0\"");
    }
    s += line(left, top + ph, left + pw, top + ph, "stroke=\"#333\"");
    for (int t = 0; t <= 4; ++t) {
        double v = lo + (hi - lo) * t / 4;
        s += line(x_of(v), top + ph, x_of(v), top + ph + 4, "stroke=\"#333\"");
        s += text(x_of(v), top + ph + 16, short_number(v));
    }
    s += text(left + pw / 2, h - 6, x_label);
    s += text(12, top + ph / 2, std::to_string(finite.size()) + " reference samples", "middle",
              " transform=\"rotate(-90 12 " + n(top + ph / 2) + ")\"");
    for (const auto& m : markers) {
        if (!std::isfinite(m.value)) continue;
        double x = x_of(m.value);
        s += line(x, top - 4, x, top + ph, "stroke=\"#c0392b\" stroke-width=\"2\"");
        if (!m.label.empty()) s += text(x, top - 7, m.label, x > w * 0.7 ? "end" : "start", " fill=\"#c0392b\"");
    }
    return s + "</svg>";
}

std::string risk_gauge_svg(double risk, double lower, double upper, double baseline) {
    const int w = 640, h = 90, left = 20, right = 20;
    std::string s = open_svg(w, h, "absolute risk gauge");
    double top_value = 0;
    for (double v : {risk, upper, baseline})
        if (std::isfinite(v)) top_value = std::max(top_value, v);
    double scale = top_value <= 0.05 ? 0.05 : top_value <= 0.1 ? 0.1 : top_value <= 0.25 ? 0.25 : top_value <= 0.5 ? 0.5 : 1.0;
    const double pw = w - left - right, y = 30, bh = 18;
    auto x_of = [&](double v) { return left + std::clamp(v / scale, 0.0, 1.0) * pw; };
    // Background bands: below baseline, up to twice baseline, above.
    s += rect(left, y, pw, bh, "fill=\"#f2d7d5\"");
    if (std::isfinite(baseline)) {
        s += rect(left, y, x_of(2 * baseline) - left, bh, "fill=\"#fcf3cf\"");
        s += rect(left, y, x_of(baseline) - left, bh, "fill=\"#d5f5e3\"");
    }
    for (int t = 0; t <= 5; ++t) {
        double v = scale * t / 5;
        s += line(x_of(v), y + bh, x_of(v), y + bh + 4, "stroke=\"#333\"");
        s += text(x_of(v), y + bh + 16, fixed(100 * v, scale < 0.1 ? 1 : 0) + "%");
    }
    if (std::isfinite(baseline)) {
        s += line(x_of(baseline), y - 6, x_of(baseline), y + bh, "stroke=\"#555\" stroke-dasharray=\"3,2\"");
        s += text(x_of(baseline), y - 9, "baseline " + fixed(100 * baseline, 1) + "%", "middle", " fill=\"#555\"");
    }
    if (std::isfinite(lower) && std::isfinite(upper)) {
        s += line(x_of(lower), y + bh / 2, x_of(upper), y + bh / 2, "stroke=\"#1a1a1a\" stroke-width=\"2\"");
        s += line(x_of(lower), y + 3, x_of(lower), y + bh - 3, "stroke=\"#1a1a1a\" stroke-width=\"2\"");
        s += line(x_of(upper), y + 3, x_of(upper), y + bh - 3, "stroke=\"#1a1a1a\" stroke-width=\"2\"");
    }
    if (std::isfinite(risk))
        s += "<circle cx=\"" + n(x_of(risk)) + "\" cy=\"" + n(y + bh / 2) + "\" r=\"6\" fill=\"#c0392b\"/>";
    s += text(left + pw, h - 4, "absolute risk (dot), 95% interval (bar)", "end", " fill=\"#555\"");
    return s + "</svg>";
}

std::string contributions_svg(const std::vector<model::variant_contribution>& top) {
    const int row = 20, w = 640, left = 200, right = 60, top_margin = 10;
    const int h = top_margin + row * static_cast<int>(std::max<std::size_t>(top.size(), 1)) + 24;
    std::string s = open_svg(w, h, "top contributing variants");
    if (top.empty()) return s + text(w / 2.0, h / 2.0, "no per-variant contributions given") + "</svg>";
    double peak = 0;
    for (const auto& c : top) peak = std::max(peak, std::abs(c.contribution));
    if (peak <= 0) peak = 1;
    const double mid = left + (w - left - right) / 2.0, half = (w - left - right) / 2.0;
    for (std::size_t i = 0; i < top.size(); ++i) {
        const auto& c = top[i];
        double y = top_margin + row * static_cast<double>(i);
        double len = half * std::abs(c.contribution) / peak;
        bool up = c.contribution >= 0;
        s += text(left - 8, y + 14, c.chrom + ":" + std::to_string(c.pos) + " " + c.effect_allele + " x" + fixed(c.dosage, 0),
                  "end");
        s += rect(up ? mid : mid - len, y + 3, len, row - 6, up ? "fill=\"#c0392b\"" : "fill=\"#2e86c1\"");
        s += text(up ? mid + len + 4 : mid - len - 4, y + 14, short_number(c.contribution), up ? "start" : "end",
                  " fill=\"#555\"");
    }
    s += line(mid, top_margin - 2, mid, h - 22, "stroke=\"#333\"");
    s += text(mid, h - 6, "<- lowers score | raises score ->");
    return s + "</svg>";
}

std::string pcs_svg(const std::vector<pc_point>& reference, const pc_point* patient) {
    const int w = 320, h = 280, left = 40, right = 10, top = 10, bottom = 36;
    std::string s = open_svg(w, h, "ancestry principal components");
    if (reference.empty() && !patient) return s + text(w / 2.0, h / 2.0, "no principal components given") + "</svg>";
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    auto widen = [&](const pc_point& p) {
        if (!std::isfinite(p.pc1) || !std::isfinite(p.pc2)) return;
        x0 = std::min(x0, p.pc1), x1 = std::max(x1, p.pc1), y0 = std::min(y0, p.pc2), y1 = std::max(y1, p.pc2);
    };
    for (const auto& p : reference) widen(p);
    if (patient) widen(*patient);
    if (x1 <= x0) x0 -= 1, x1 += 1;
    if (y1 <= y0) y0 -= 1, y1 += 1;
    const double pw = w - left - right, ph = h - top - bottom;
    auto X = [&](double v) { return left + (v - x0) / (x1 - x0) * pw; };
    auto Y = [&](double v) { return top + ph - (v - y0) / (y1 - y0) * ph; };
    s += rect(left, top, pw, ph, "fill=\"none\" stroke=\"#999\"");
    const std::size_t step = std::max<std::size_t>(1, reference.size() / 3000);
    for (std::size_t i = 0; i < reference.size(); i += step)
        if (std::isfinite(reference[i].pc1) && std::isfinite(reference[i].pc2))
            s += "<circle cx=\"" + n(X(reference[i].pc1)) + "\" cy=\"" + n(Y(reference[i].pc2)) +
                 "\" r=\"1.6\" fill=\"#9fb8d0\"/>";
    if (patient && std::isfinite(patient->pc1) && std::isfinite(patient->pc2)) {
        double px = X(patient->pc1), py = Y(patient->pc2);
        s += "<circle cx=\"" + n(px) + "\" cy=\"" + n(py) + "\" r=\"6\" fill=\"#c0392b\" stroke=\"#fff\"/>";
    }
    s += text(left + pw / 2, h - 8, "PC1");
    s += text(14, top + ph / 2, "PC2", "middle", " transform=\"rotate(-90 14 " + n(top + ph / 2) + ")\"");
    return s + "</svg>";
}

std::string calibration_svg(const std::vector<double>& predicted, const std::vector<double>& observed) {
    const int w = 320, h = 280, left = 44, right = 10, top = 10, bottom = 36;
    std::string s = open_svg(w, h, "calibration");
    double hi = 0;
    for (std::size_t i = 0; i < predicted.size() && i < observed.size(); ++i)
        if (std::isfinite(predicted[i]) && std::isfinite(observed[i])) hi = std::max({hi, predicted[i], observed[i]});
    hi = hi <= 0 ? 1 : std::min(1.0, std::ceil(hi * 10 + 1e-9) / 10);
    const double pw = w - left - right, ph = h - top - bottom;
    auto X = [&](double v) { return left + v / hi * pw; };
    auto Y = [&](double v) { return top + ph - v / hi * ph; };
    s += rect(left, top, pw, ph, "fill=\"none\" stroke=\"#999\"");
    s += line(X(0), Y(0), X(hi), Y(hi), "stroke=\"#999\" stroke-dasharray=\"4,3\"");
    for (int t = 0; t <= 4; ++t) {
        double v = hi * t / 4;
        s += text(X(v), top + ph + 14, fixed(v, 2));
        s += text(left - 4, Y(v) + 4, fixed(v, 2), "end");
    }
    std::string path;
    for (std::size_t i = 0; i < predicted.size() && i < observed.size(); ++i) {
        if (!std::isfinite(predicted[i]) || !std::isfinite(observed[i])) continue;
        path += (path.empty() ? "M" : " L") + n(X(predicted[i])) + " " + n(Y(observed[i]));
        s += "<circle cx=\"" + n(X(predicted[i])) + "\" cy=\"" + n(Y(observed[i])) + "\" r=\"3.5\" fill=\"#2e86c1\"/>";
    }
    if (!path.empty()) s += "<path d=\"" + path + "\" fill=\"none\" stroke=\"#2e86c1\"/>";
    s += text(left + pw / 2, h - 6, "predicted risk (test samples, by decile)");
    s += text(12, top + ph / 2, "observed", "middle", " transform=\"rotate(-90 12 " + n(top + ph / 2) + ")\"");
    return s + "</svg>";
}

}  // namespace precis::report
