#pragma once
/// Inline SVG pictures of the report (no scripts, no external resources). Labels are escaped.
#include <string>
#include <vector>

#include "precis/model/score.hpp"
#include "precis/report/inputs.hpp"

namespace precis::report {

/// A marked value on a picture (a patient), with its label.
struct marker {
    double value = 0;
    std::string label;
};

/// Histogram of `values` (40 bins over their range widened to the markers) with vertical marker lines.
std::string histogram_svg(const std::vector<double>& values, const std::vector<marker>& markers,
                          const std::string& x_label);

/// Horizontal gauge of absolute risk (0 to a round upper bound): the risk with its 95% interval (NaN
/// bounds: none drawn) and a tick at the baseline incidence.
std::string risk_gauge_svg(double risk, double lower, double upper, double baseline);

/// Bars of the variants' contributions to the score (positive to the right).
std::string contributions_svg(const std::vector<model::variant_contribution>& top);

/// Scatter of reference PC1/PC2 (grey) with the patient marked; `patient` may be null.
std::string pcs_svg(const std::vector<pc_point>& reference, const pc_point* patient);

/// Calibration plot: observed against predicted per bin, with the diagonal.
std::string calibration_svg(const std::vector<double>& predicted, const std::vector<double>& observed);

}  // namespace precis::report
