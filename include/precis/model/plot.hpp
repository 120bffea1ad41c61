#pragma once
/// Self-contained SVG plots of association results: Manhattan and QQ. No external dependencies.
#include <cstdint>
#include <string>
#include <vector>

namespace precis::model {

/// One point of a Manhattan plot: contig index (colour and x band), 1-based position, p-value.
struct manhattan_point {
    int contig = 0;
    std::int64_t pos = 0;
    double p = 1;
};

/// SVG of -log10 p along the genome: contigs laid end to end with widths `contig_lengths` (bp), in
/// alternating colours, named by `contig_names` under the axis; a red line at 5e-8. Points with p <= 0
/// are drawn at the top. Returns the document text.
std::string manhattan_svg(const std::vector<manhattan_point>& points, const std::vector<std::string>& contig_names,
                          const std::vector<std::int64_t>& contig_lengths, const std::string& title);

/// SVG QQ plot of observed vs expected -log10 p (uniform order statistics (i - 0.5) / n), with the
/// y = x line and lambda_gc printed.
std::string qq_svg(std::vector<double> p, double lambda_gc, const std::string& title);

/// Genomic inflation: median of the 1-df chi-square quantiles of `p` divided by 0.4549364 (0 when empty).
double lambda_gc(std::vector<double> p);

}  // namespace precis::model
