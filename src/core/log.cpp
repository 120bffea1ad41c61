#include "precis/core/log.hpp"

#include <unistd.h>

#include <cstdio>

#include "precis/core/error.hpp"

namespace precis {

log_level parse_log_level(std::string_view name) {
    if (name == "error") return log_level::error;
    if (name == "warn" || name == "warning") return log_level::warn;
    if (name == "info") return log_level::info;
    if (name == "debug") return log_level::debug;
    throw input_error("--log-level: '" + std::string(name) + "' is not one of error, warn, info, debug");
}

logger::logger(std::string command, log_level level, int rank)
    : m_command(std::move(command)), m_level(level), m_rank(rank), m_start(std::chrono::steady_clock::now()) {}

bool logger::enabled(log_level level) const {
    if (level > m_level) return false;
    return level <= log_level::warn || m_rank == 0;
}

double logger::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

std::string printable(std::string text) {
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return text;
}

void logger::write(log_level level, const std::string& message) const {
    if (!enabled(level)) return;
    static constexpr const char* tags[] = {"error: ", "warning: ", "", ""};
    char prefix[128];
    if (m_rank == 0)
        std::snprintf(prefix, sizeof prefix, "[precis %s %.1fs] ", m_command.c_str(), elapsed());
    else
        std::snprintf(prefix, sizeof prefix, "[precis %s %.1fs rank %d] ", m_command.c_str(), elapsed(), m_rank);
    std::string line = prefix;
    line += tags[static_cast<int>(level)];
    line += printable(message);
    line += '\n';
    // One write(2) per line so that lines from threads and ranks do not interleave.
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace precis
