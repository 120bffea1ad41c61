#pragma once
/// A small rank-aware logger: levels, rank prefix on ranks other than 0, elapsed time.
#include <chrono>
#include <sstream>
#include <string>
#include <string_view>

namespace precis {

enum class log_level { error = 0, warn = 1, info = 2, debug = 3 };

/// Parses "error", "warn", "info" or "debug"; throws input_error otherwise.
log_level parse_log_level(std::string_view name);

/// `text` as a terminal should show it: control characters (escape sequences, NULs, line breaks quoted
/// from a binary input file) become '?'.
std::string printable(std::string text);

/// Writes diagnostics to stderr as `[precis convert 1.2s] message` (rank 0) or
/// `[precis convert 1.2s rank 3] message`. Info and debug lines are written by rank 0 only;
/// warnings and errors by every rank. Thread-safe: each line is a single write.
class logger {
public:
    logger(std::string command, log_level level, int rank = 0);

    template <class... Args> void error(const Args&... args) const { write(log_level::error, concat(args...)); }
    template <class... Args> void warn(const Args&... args) const { write(log_level::warn, concat(args...)); }
    template <class... Args> void info(const Args&... args) const { write(log_level::info, concat(args...)); }
    template <class... Args> void debug(const Args&... args) const { write(log_level::debug, concat(args...)); }

    bool enabled(log_level level) const;
    log_level level() const { return m_level; }
    int rank() const { return m_rank; }
    /// Seconds since the logger was created.
    double elapsed() const;

private:
    template <class... Args> static std::string concat(const Args&... args) {
        std::ostringstream out;
        (out << ... << args);
        return out.str();
    }
    void write(log_level level, const std::string& message) const;

    std::string m_command;
    log_level m_level;
    int m_rank;
    std::chrono::steady_clock::time_point m_start;
};

}  // namespace precis
