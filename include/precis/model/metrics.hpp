#pragma once
/// Discrimination and calibration metrics of predicted probabilities against 0/1 outcomes.
#include <cstdint>
#include <limits>
#include <vector>

namespace precis::model {

/// Area under the ROC curve with its DeLong (1988) standard error and 95% confidence interval
/// (normal approximation, clipped to [0, 1]). Ties count one half. NaN when a class is empty.
struct auc_result {
    double auc = 0, se = 0, lower = 0, upper = 0;
};

/// AUC of `score` (higher = more likely a case) for outcomes `y` (0/1). O(n log n).
auc_result auc_delong(const std::vector<double>& score, const std::vector<double>& y);

/// Threshold metrics, the Brier score and a decile calibration table of probabilities `p`.
struct classification_metrics {
    double threshold = 0.5;  ///< p >= threshold is called a case
    double accuracy = 0, sensitivity = 0, specificity = 0, f1 = 0, brier = 0;
    std::int64_t n = 0, cases = 0;
    /// Calibration by deciles of p (fewer groups when n < 10): mean predicted, observed rate, count.
    std::vector<double> bin_predicted, bin_observed;
    std::vector<std::int64_t> bin_count;
};

/// Computes classification_metrics at `threshold`.
classification_metrics classify(const std::vector<double>& p, const std::vector<double>& y, double threshold);

/// Logistic recalibration: the intercept a and slope b of logit P(y = 1) = a + b * eta, fitted by Newton's
/// method. `converged` is false (and a = 0, b = 1) when it does not converge, e.g. under separation.
/// The covariance of (a, b) is the inverse Fisher information at the fit (NaN when not converged or
/// unknown, e.g. read from an older model.h5); it gives the 95% interval of an absolute risk.
struct recalibration {
    double intercept = 0, slope = 1;
    bool converged = true;
    double var_intercept = std::numeric_limits<double>::quiet_NaN();
    double cov_intercept_slope = std::numeric_limits<double>::quiet_NaN();
    double var_slope = std::numeric_limits<double>::quiet_NaN();
};

/// Calibrated risk logistic(a + b * eta) with its Wald 95% interval on the logit scale from the
/// recalibration covariance: {risk, lower, upper}; lower and upper are NaN without a covariance.
struct risk_interval {
    double risk = 0, lower = 0, upper = 0;
};
risk_interval calibrated_risk(const recalibration& r, double eta);

/// Fits the recalibration of linear predictors `eta` against outcomes `y`.
recalibration fit_recalibration(const std::vector<double>& eta, const std::vector<double>& y);

}  // namespace precis::model
