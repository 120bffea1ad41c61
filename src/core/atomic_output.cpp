#include "precis/core/atomic_output.hpp"

#include <unistd.h>

#include <system_error>

#include "precis/core/error.hpp"

namespace fs = std::filesystem;

namespace precis {

namespace {

// A device, FIFO or socket under an output's name would be replaced by the renamed file (as root:
// --out /dev/null would replace the system's /dev/null).
void refuse_special_file(const fs::path& path, const std::string& what) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (!ec && fs::exists(status) && !fs::is_regular_file(status) && !fs::is_directory(status))
        throw input_error(what + path.string() +
                          ": exists and is not a regular file (a device or pipe; precis writes a new file under "
                          "this name when complete)");
}

}  // namespace

atomic_output::atomic_output(fs::path final_path) : m_final(std::move(final_path)) {
    refuse_special_file(m_final, "");
    m_temp = m_final.parent_path() / (".precis-partial." + m_final.filename().string());
}

atomic_output::~atomic_output() {
    if (m_committed) return;
    std::error_code ec;
    fs::remove(m_temp, ec);
    for (const auto& suffix : m_companions) fs::remove(m_temp.string() + suffix, ec);
}

void atomic_output::add_companion(const std::string& suffix) { m_companions.push_back(suffix); }

void atomic_output::commit() {
    std::error_code ec;
    for (const auto& suffix : m_companions) {
        fs::rename(m_temp.string() + suffix, m_final.string() + suffix, ec);
        if (ec) throw runtime_failure(m_final.string() + suffix + ": cannot move into place: " + ec.message());
    }
    fs::rename(m_temp, m_final, ec);
    if (ec) throw runtime_failure(m_final.string() + ": cannot move into place: " + ec.message());
    m_committed = true;
}

void require_readable_file(const fs::path& path, const std::string& what) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw input_error(what + " " + path.string() + ": no such file");
    if (fs::is_directory(status)) throw input_error(what + " " + path.string() + ": is a directory, not a file");
    if (::access(path.c_str(), R_OK) != 0) throw input_error(what + " " + path.string() + ": not readable");
}

void require_output_dir(const fs::path& path, const std::string& what) {
    fs::path dir = path.parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec))
        throw input_error(what + " " + path.string() + ": directory " + dir.string() + " does not exist");
    refuse_special_file(path, what + " ");
}

}  // namespace precis
