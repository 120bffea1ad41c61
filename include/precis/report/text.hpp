#pragma once
/// Escaping and number formatting for the report's HTML, SVG and JSON. Every string that comes from an
/// input (sample IDs, genes, conditions, HGVS) goes through html() or a json_writer string.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace precis::report {

/// HTML/XML text and attribute escaping: & < > " ' become entities. Both escapers replace bytes that are
/// not well-formed UTF-8 (text from input files) with U+FFFD: the pages and the JSON are UTF-8.
std::string html(std::string_view s);

/// A JSON string literal (with quotes): " \ and control characters escaped, < > & as \u003c \u003e
/// \u0026 so the text is also safe inside HTML.
std::string json_string(std::string_view s);

/// Fixed-point with `decimals` digits ("n/a" for NaN/inf).
std::string fixed(double v, int decimals);

/// Shortest round-trip-safe JSON number (%.12g), `null` for NaN/inf.
std::string json_number(double v);

/// Builds deterministic, indented JSON. Not thread-safe; one writer per document.
class json_writer {
public:
    json_writer& begin_object(std::string_view key = {});
    json_writer& end_object();
    json_writer& begin_array(std::string_view key = {});
    json_writer& end_array();
    json_writer& number(std::string_view key, double v);
    json_writer& integer(std::string_view key, std::int64_t v);
    json_writer& string(std::string_view key, std::string_view v);
    json_writer& boolean(std::string_view key, bool v);
    json_writer& null(std::string_view key);
    /// The document, newline-terminated.
    std::string str() const { return m_out + "\n"; }

private:
    void item(std::string_view key);
    std::string m_out;
    std::vector<bool> m_first;  ///< per open container: nothing written yet
};

}  // namespace precis::report
