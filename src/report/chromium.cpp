// Headless Chromium for PDFs: posix_spawn with a private profile directory and a timeout.
#include "precis/report/chromium.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

extern char** environ;

namespace precis::report {

namespace {

bool executable(const std::filesystem::path& p) {
    return ::access(p.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(p);
}

// A private temporary directory removed on scope exit.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        const char* base = std::getenv("TMPDIR");
        std::string tmpl = std::string(base && *base ? base : "/tmp") + "/precis-chromium-XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (!::mkdtemp(buf.data())) throw runtime_failure(tmpl + ": cannot create a temporary directory");
        path = buf.data();
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

}  // namespace

std::optional<std::filesystem::path> find_chromium(const std::string& hint) {
    if (!hint.empty()) {
        if (!executable(hint)) throw input_error(hint + ": --chromium is not an executable file");
        return std::filesystem::path(hint);
    }
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::vector<std::string> entries;
    for (std::string d; std::getline(dirs, d, ':');) entries.push_back(d.empty() ? "." : d);
    for (const char* name : {"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"})
        for (const auto& d : entries)
            if (auto p = std::filesystem::path(d) / name; executable(p)) return p;
    return std::nullopt;
}

void print_pdf(const std::filesystem::path& chromium, const std::filesystem::path& html_file,
               const std::filesystem::path& pdf, int timeout_seconds) {
    temp_dir profile;
    atomic_output out(pdf);
    const std::string url = "file://" + std::filesystem::absolute(html_file).string();
    std::vector<std::string> args = {chromium.string(),
                                     "--headless=new",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--disable-dev-shm-usage",
                                     "--disable-background-networking",
                                     "--disable-extensions",
                                     "--no-first-run",
                                     "--no-default-browser-check",
                                     "--user-data-dir=" + profile.path.string(),
                                     "--no-pdf-header-footer",
                                     "--print-to-pdf=" + std::filesystem::absolute(out.temp_path()).string(),
                                     url};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    const std::string log = (profile.path / "chromium.log").string();
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    // Its own process group, so that a timeout kills Chromium's helper processes too.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    pid_t pid = 0;
    int rc = ::posix_spawn(&pid, chromium.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) throw runtime_failure(chromium.string() + ": cannot start: " + std::strerror(rc));
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    while (true) {
        pid_t got = ::waitpid(pid, &status, WNOHANG);
        if (got == pid) break;
        if (got < 0 && errno != EINTR) throw runtime_failure(chromium.string() + ": waitpid failed");
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            throw runtime_failure(chromium.string() + ": no PDF of " + html_file.string() + " after " +
                                  std::to_string(timeout_seconds) + " s (killed)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    auto last_line = [&] {
        std::ifstream in(log);
        std::string line, last;
        while (std::getline(in, line))
            if (!line.empty()) last = line;
        return last;
    };
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw runtime_failure(chromium.string() + " failed on " + html_file.string() + ": " + last_line());
    // Chromium exits 0 after a short write (a full disk): a PDF is whole when it starts with %PDF and its
    // last bytes hold the %%EOF marker.
    std::ifstream check(out.temp_path(), std::ios::binary | std::ios::ate);
    const std::streamoff size = check ? static_cast<std::streamoff>(check.tellg()) : 0;
    std::string head(4, '\0'), tail(static_cast<std::size_t>(std::min<std::streamoff>(size, 64)), '\0');
    if (size < 4 || !check.seekg(0).read(head.data(), 4) || head != "%PDF")
        throw runtime_failure(chromium.string() + " wrote no PDF for " + html_file.string() + ": " + last_line());
    if (!check.seekg(size - static_cast<std::streamoff>(tail.size())).read(tail.data(), static_cast<std::streamsize>(tail.size())) ||
        tail.find("%%EOF") == std::string::npos)
        throw runtime_failure(chromium.string() + " wrote an incomplete PDF for " + html_file.string() + " (disk full?): " + last_line());
    check.close();
    if (::chmod(out.temp_path().c_str(), 0600) != 0) throw runtime_failure(pdf.string() + ": cannot set mode 0600");
    out.commit();
}

}  // namespace precis::report
