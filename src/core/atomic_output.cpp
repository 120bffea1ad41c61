#include "precis/core/atomic_output.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

#include "precis/core/error.hpp"

namespace fs = std::filesystem;

namespace precis {

namespace {

// Registered paths, read by the signal handler: slots hold strdup'ed paths, never freed (a handler may be
// reading one), so only the pointer changes.
constexpr std::size_t signal_slots = 1024;
std::array<std::atomic<char*>, signal_slots> g_on_signal{};

extern "C" void remove_registered_and_reraise(int sig) {
    for (auto& slot : g_on_signal)
        if (const char* path = slot.load()) ::unlink(path);  // async-signal-safe
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

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

fs::path output_name(const fs::path& path) {
    static const std::string prefix = ".precis-partial.";
    const std::string name = path.filename().string();
    return name.rfind(prefix, 0) == 0 && name.size() > prefix.size() ? path.parent_path() / name.substr(prefix.size()) : path;
}

void remove_on_signal(const fs::path& path) {
    char* copy = ::strdup(path.c_str());
    if (!copy) return;
    for (auto& slot : g_on_signal) {
        char* empty = nullptr;
        if (slot.compare_exchange_strong(empty, copy)) return;
    }
}

void keep_on_signal(const fs::path& path) {
    for (auto& slot : g_on_signal) {
        char* held = slot.load();
        if (held && path == held && slot.compare_exchange_strong(held, nullptr)) return;  // held is leaked
    }
}

void install_signal_cleanup() {
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) std::signal(sig, remove_registered_and_reraise);
}

atomic_output::atomic_output(fs::path final_path) : m_final(std::move(final_path)) {
    refuse_special_file(m_final, "");
    m_temp = m_final.parent_path() / (".precis-partial." + m_final.filename().string());
    remove_on_signal(m_temp);
}

atomic_output::~atomic_output() {
    if (m_committed) return;
    std::error_code ec;
    fs::remove(m_temp, ec);
    for (const auto& suffix : m_companions) fs::remove(m_temp.string() + suffix, ec);
    forget();
}

void atomic_output::add_companion(const std::string& suffix) {
    m_companions.push_back(suffix);
    remove_on_signal(m_temp.string() + suffix);
}

void atomic_output::forget() const {
    keep_on_signal(m_temp);
    for (const auto& suffix : m_companions) keep_on_signal(m_temp.string() + suffix);
}

void atomic_output::commit() {
    std::error_code ec;
    for (const auto& suffix : m_companions) {
        fs::rename(m_temp.string() + suffix, m_final.string() + suffix, ec);
        if (ec) throw runtime_failure(m_final.string() + suffix + ": cannot move into place: " + ec.message());
    }
    fs::rename(m_temp, m_final, ec);
    if (ec) throw runtime_failure(m_final.string() + ": cannot move into place: " + ec.message());
    m_committed = true;
    forget();
}

temp_files::~temp_files() {
    std::error_code ec;
    for (const auto& p : paths) fs::remove(p, ec), keep_on_signal(p);
}

void require_readable_file(const fs::path& path, const std::string& what) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw input_error(what + " " + path.string() + ": no such file");
    if (fs::is_directory(status)) throw input_error(what + " " + path.string() + ": is a directory, not a file");
    if (::access(path.c_str(), R_OK) != 0) throw input_error(what + " " + path.string() + ": not readable");
}

std::uint64_t free_space(const fs::path& dir) {
    struct statvfs vfs {};
    if (::statvfs(dir.empty() ? "." : dir.c_str(), &vfs) != 0) return UINT64_MAX;
    return static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
}

void require_space(const fs::path& path, std::uint64_t bytes) {
    const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    const fs::path probe = dir / (".precis-partial.space." + path.filename().string());
    remove_on_signal(probe);
    int err = 0;
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        err = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes));  // blocks written where not supported
        ::close(fd);
        ::unlink(probe.c_str());
    } else if (free_space(dir) < bytes) {
        err = ENOSPC;
    }
    keep_on_signal(probe);
    if (err != 0)
        throw runtime_failure(path.string() + ": cannot write " + std::to_string((bytes + (1u << 20) - 1) >> 20) +
                              " MiB beside it (" + std::strerror(err) + "); it was left as it was");
}

void require_output_dir(const fs::path& path, const std::string& what) {
    fs::path dir = path.parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec))
        throw input_error(what + " " + path.string() + ": directory " + dir.string() + " does not exist");
    refuse_special_file(path, what + " ");
}

}  // namespace precis
