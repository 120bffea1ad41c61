#pragma once
/// Headless Chromium as a subprocess: HTML to PDF.
#include <filesystem>
#include <optional>
#include <string>

namespace precis::report {

/// The Chromium executable: `hint` when non-empty (must be executable, else input error), otherwise
/// the first of chromium, chromium-browser, google-chrome-stable, google-chrome on PATH; nothing when
/// none is found.
std::optional<std::filesystem::path> find_chromium(const std::string& hint);

/// Prints `html_file` to `pdf` with headless Chromium (posix_spawn; no network, no sandbox as root,
/// a fresh temporary profile, no header/footer). Chromium writes to a temporary name that is renamed
/// to `pdf` (mode 0600) when it exited 0 and wrote a file starting with %PDF. Throws runtime_failure
/// naming the file otherwise, or after `timeout_seconds`.
void print_pdf(const std::filesystem::path& chromium, const std::filesystem::path& html_file,
               const std::filesystem::path& pdf, int timeout_seconds = 120);

}  // namespace precis::report
