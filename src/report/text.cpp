// HTML and JSON escaping, number formatting and a small JSON writer.
#include "precis/report/text.hpp"

#include <cmath>
#include <cstdio>

namespace precis::report {

namespace {

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF), 0 when there is none.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    const std::size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((b(k) & 0xc0) != 0x80) return 0;
    if ((c == 0xe0 && b(1) < 0xa0) || (c == 0xed && b(1) > 0x9f) || (c == 0xf0 && b(1) < 0x90) || (c == 0xf4 && b(1) > 0x8f)) return 0;
    return n;
}

// `s` with every byte that does not start a well-formed UTF-8 sequence replaced by U+FFFD: report text
// comes from input files, and JSON (RFC 8259) and the pages are UTF-8.
std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

}  // namespace

std::string html(std::string_view text) {
    const std::string s = valid_utf8(text);
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string json_string(std::string_view text) {
    const std::string s = valid_utf8(text);
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '<': out += "\\u003c"; break;
            case '>': out += "\\u003e"; break;
            case '&': out += "\\u0026"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out.push_back('"');
    return out;
}

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // no "-0.00"
    return s;
}

std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

void json_writer::item(std::string_view key) {
    if (!m_first.empty()) {
        if (!m_first.back()) m_out += ",";
        m_first.back() = false;
        m_out.push_back('\n');
        m_out.append(2 * m_first.size(), ' ');
    }
    if (!key.empty()) {
        m_out += json_string(key);
        m_out += ": ";
    }
}

json_writer& json_writer::begin_object(std::string_view key) {
    item(key);
    m_out += "{";
    m_first.push_back(true);
    return *this;
}
json_writer& json_writer::end_object() {
    bool empty = m_first.back();
    m_first.pop_back();
    if (!empty) {
        m_out.push_back('\n');
        m_out.append(2 * m_first.size(), ' ');
    }
    m_out += "}";
    return *this;
}
json_writer& json_writer::begin_array(std::string_view key) {
    item(key);
    m_out += "[";
    m_first.push_back(true);
    return *this;
}
json_writer& json_writer::end_array() {
    bool empty = m_first.back();
    m_first.pop_back();
    if (!empty) {
        m_out.push_back('\n');
        m_out.append(2 * m_first.size(), ' ');
    }
    m_out += "]";
    return *this;
}
json_writer& json_writer::number(std::string_view key, double v) {
    item(key);
    m_out += json_number(v);
    return *this;
}
json_writer& json_writer::integer(std::string_view key, std::int64_t v) {
    item(key);
    m_out += std::to_string(v);
    return *this;
}
json_writer& json_writer::string(std::string_view key, std::string_view v) {
    item(key);
    m_out += json_string(v);
    return *this;
}
json_writer& json_writer::boolean(std::string_view key, bool v) {
    item(key);
    m_out += v ? "true" : "false";
    return *this;
}
json_writer& json_writer::null(std::string_view key) {
    item(key);
    m_out += "null";
    return *this;
}

}  // namespace precis::report
