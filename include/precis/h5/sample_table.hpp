#pragma once
/// Per-sample numeric tables (phenotypes, covariates) read from TSV files.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace precis::h5 {

/// Numeric columns of a TSV file, aligned to a list of samples.
struct sample_table {
    /// Column names in file order (the sample ID column excluded).
    std::vector<std::string> names;
    /// values[c][i]: column c for sample i of the list given to read_sample_table; NaN = missing.
    std::vector<std::vector<double>> values;
    /// Rows whose sample is not in the list (ignored).
    std::int64_t unknown_samples = 0;
    /// Samples of the list without a row (all NaN).
    std::int64_t missing_samples = 0;
};

/// Reads a tab-separated table: a header line whose first field is `sample_id`, `IID`, `#IID` or `sample`
/// and whose other fields name the columns; then one line per sample: the ID, then one number per column
/// (`NA`, `NaN`, `.` or an empty field = missing). Empty lines and a trailing CR are ignored.
/// Throws input_error "FILE: line N, column M (NAME): fault" for a non-numeric or non-finite value, a wrong
/// field count, a duplicate sample, a missing or malformed header, or a column name that is empty,
/// duplicated, or contains '/'. Thread-safe (no shared state).
sample_table read_sample_table(const std::filesystem::path& path, const std::vector<std::string>& samples);

}  // namespace precis::h5
