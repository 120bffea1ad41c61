#pragma once
/// Shared pieces of the report pages (internal to the report module).
#include <string>

#include "precis/report/report.hpp"
#include "precis/report/text.hpp"

namespace precis::report {

/// `<!DOCTYPE html>` … `<body>` with the inline style sheet and an escaped title.
std::string page_head(const std::string& title);
/// Footer (precis version, "not a diagnosis") and `</body></html>`.
std::string page_foot(const report_context& ctx);
/// A shown number tagged with its JSON path: <span class="num" data-key="KEY" [data-scale="100"]>…</span>.
/// `percent` shows 100 x value. NaN shows "n/a".
std::string num(const std::string& key, double value, int decimals, bool percent = false);
/// A summary card: title, big value, small note.
std::string card(const std::string& title, const std::string& value_html, const std::string& note_html);
/// The input checksum table of the header.
std::string checksum_table(const report_context& ctx);
/// Model performance: AUC with CI, calibration plot and table.
std::string model_section(const report_context& ctx);
/// The "model" object of the JSON documents.
void write_model_json(json_writer& j, const report_context& ctx);

}  // namespace precis::report
