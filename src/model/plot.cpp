#include "precis/model/plot.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdio>

namespace precis::model {

namespace {

constexpr double width = 1000, height = 500, left = 70, right = 20, top = 40, bottom = 60;
constexpr double genome_wide = 5e-8;

std::string escaped(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

std::string number(double v, int decimals = 1) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

double neg_log10(double p) { return p > 0 ? -std::log10(p) : 320.0; }

/// A "nice" axis maximum: the next integer above `v`, at least 1.
double axis_max(double v) { return std::max(1.0, std::ceil(v * 1.05)); }

/// Document head, title and the y axis (-log10 p) with integer ticks.
std::string open_plot(const std::string& title, double ymax, const std::string& xlabel) {
    std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    number(width, 0) + "\" height=\"" + number(height, 0) + "\" viewBox=\"0 0 " + number(width, 0) +
                    " " + number(height, 0) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    s += "<text x=\"" + number(width / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + escaped(title) + "</text>\n";
    const double y0 = height - bottom;
    s += "<line x1=\"" + number(left) + "\" y1=\"" + number(top) + "\" x2=\"" + number(left) + "\" y2=\"" + number(y0) +
         "\" stroke=\"black\"/>\n";
    s += "<line x1=\"" + number(left) + "\" y1=\"" + number(y0) + "\" x2=\"" + number(width - right) + "\" y2=\"" +
         number(y0) + "\" stroke=\"black\"/>\n";
    const double step = std::max(1.0, std::ceil(ymax / 10));
    for (double t = 0; t <= ymax + 1e-9; t += step) {
        const double y = y0 - (y0 - top) * t / ymax;
        s += "<line x1=\"" + number(left - 5) + "\" y1=\"" + number(y) + "\" x2=\"" + number(left) + "\" y2=\"" +
             number(y) + "\" stroke=\"black\"/><text x=\"" + number(left - 8) + "\" y=\"" + number(y + 4) +
             "\" text-anchor=\"end\">" + number(t, 0) + "</text>\n";
    }
    s += "<text transform=\"translate(20," + number((top + y0) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">-log10(p)</text>\n";
    s += "<text x=\"" + number((left + width - right) / 2) + "\" y=\"" + number(height - 15) +
         "\" text-anchor=\"middle\">" + escaped(xlabel) + "</text>\n";
    return s;
}

std::string circle(double x, double y, const char* colour) {
    return "<circle cx=\"" + number(x) + "\" cy=\"" + number(y) + "\" r=\"2\" fill=\"" + colour + "\"/>\n";
}

}  // namespace

double lambda_gc(std::vector<double> p) {
    p.erase(std::remove_if(p.begin(), p.end(), [](double v) { return !(v >= 0 && v <= 1); }), p.end());
    if (p.empty()) return 0;
    const auto mid = p.begin() + static_cast<std::ptrdiff_t>(p.size() / 2);
    std::nth_element(p.begin(), mid, p.end());
    double median_p = *mid;
    if (p.size() % 2 == 0) median_p = (median_p + *std::max_element(p.begin(), mid)) / 2;
    const boost::math::chi_squared chi2(1);
    const double median_chi2 = median_p >= 1 ? 0.0 : median_p <= 0 ? 1e300
                                               : boost::math::quantile(boost::math::complement(chi2, median_p));
    return median_chi2 / 0.4549364231195724;
}

std::string manhattan_svg(const std::vector<manhattan_point>& points, const std::vector<std::string>& contig_names,
                          const std::vector<std::int64_t>& contig_lengths, const std::string& title) {
    // Contig offsets along the x axis; a contig without a known length spans its largest position.
    std::vector<double> span(contig_names.size(), 1.0), offset(contig_names.size() + 1, 0.0);
    for (std::size_t c = 0; c < contig_names.size(); ++c)
        if (c < contig_lengths.size() && contig_lengths[c] > 0) span[c] = static_cast<double>(contig_lengths[c]);
    double ymax = neg_log10(genome_wide);
    for (const auto& pt : points) {
        const auto c = static_cast<std::size_t>(pt.contig);
        if (c < span.size()) span[c] = std::max(span[c], static_cast<double>(pt.pos));
        ymax = std::max(ymax, std::min(neg_log10(pt.p), 320.0));
    }
    for (std::size_t c = 0; c < span.size(); ++c) offset[c + 1] = offset[c] + span[c];
    const double total = std::max(offset.back(), 1.0);
    ymax = axis_max(ymax);
    const double x0 = left, x1 = width - right, y0 = height - bottom;
    std::string s = open_plot(title, ymax, "genomic position (contigs end to end)");
    static const char* colours[] = {"#1f4e99", "#7fa6d9"};
    for (std::size_t c = 0; c < contig_names.size(); ++c) {
        const double mid = x0 + (x1 - x0) * (offset[c] + span[c] / 2) / total;
        s += "<text x=\"" + number(mid) + "\" y=\"" + number(y0 + 18) + "\" text-anchor=\"middle\">" +
             escaped(contig_names[c]) + "</text>\n";
    }
    s += "<g>\n";
    for (const auto& pt : points) {
        const auto c = static_cast<std::size_t>(pt.contig);
        if (c >= span.size()) continue;
        const double x = x0 + (x1 - x0) * (offset[c] + static_cast<double>(pt.pos)) / total;
        const double y = y0 - (y0 - top) * std::min(neg_log10(pt.p), ymax) / ymax;
        s += circle(x, y, colours[c % 2]);
    }
    s += "</g>\n";
    const double gy = y0 - (y0 - top) * neg_log10(genome_wide) / ymax;
    s += "<line x1=\"" + number(x0) + "\" y1=\"" + number(gy) + "\" x2=\"" + number(x1) + "\" y2=\"" + number(gy) +
         "\" stroke=\"red\" stroke-dasharray=\"6,4\"/>\n<text x=\"" + number(x1) + "\" y=\"" + number(gy - 4) +
         "\" text-anchor=\"end\" fill=\"red\">p = 5e-8</text>\n</svg>\n";
    return s;
}

std::string qq_svg(std::vector<double> p, double lambda, const std::string& title) {
    p.erase(std::remove_if(p.begin(), p.end(), [](double v) { return !(v >= 0 && v <= 1); }), p.end());
    std::sort(p.begin(), p.end());
    const double n = static_cast<double>(p.size());
    const double expected_max = p.empty() ? 1.0 : neg_log10(0.5 / n);
    double ymax = std::max(expected_max, p.empty() ? 1.0 : std::min(neg_log10(p.front()), 320.0));
    ymax = axis_max(ymax);
    const double x0 = left, x1 = width - right, y0 = height - bottom;
    auto px = [&](double e) { return x0 + (x1 - x0) * e / ymax; };
    auto py = [&](double o) { return y0 - (y0 - top) * std::min(o, ymax) / ymax; };
    std::string s = open_plot(title, ymax, "expected -log10(p)");
    const double step = std::max(1.0, std::ceil(ymax / 10));
    for (double t = 0; t <= ymax + 1e-9; t += step)
        s += "<line x1=\"" + number(px(t)) + "\" y1=\"" + number(y0) + "\" x2=\"" + number(px(t)) + "\" y2=\"" +
             number(y0 + 5) + "\" stroke=\"black\"/><text x=\"" + number(px(t)) + "\" y=\"" + number(y0 + 18) +
             "\" text-anchor=\"middle\">" + number(t, 0) + "</text>\n";
    s += "<line x1=\"" + number(px(0)) + "\" y1=\"" + number(py(0)) + "\" x2=\"" + number(px(ymax)) + "\" y2=\"" +
         number(py(ymax)) + "\" stroke=\"red\"/>\n<g>\n";
    for (std::size_t i = 0; i < p.size(); ++i)
        s += circle(px(neg_log10((static_cast<double>(i) + 0.5) / n)), py(neg_log10(p[i])), "#1f4e99");
    s += "</g>\n<text x=\"" + number(x0 + 15) + "\" y=\"" + number(top + 15) + "\">lambda_GC = " + number(lambda, 3) +
         " (n = " + number(n, 0) + ")</text>\n</svg>\n";
    return s;
}

}  // namespace precis::model
