// Site key checks, HMAC pseudonyms and owner-only output files.
#include "precis/report/privacy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "precis/core/atomic_output.hpp"
#include "precis/core/digest.hpp"
#include "precis/core/error.hpp"

namespace precis::report {

std::string read_site_key(const std::filesystem::path& file) {
    struct stat st{};
    if (::stat(file.c_str(), &st) != 0)
        throw input_error(file.string() + ": site key not readable: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw input_error(file.string() + ": site key is not a regular file");
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw input_error(file.string() + ": site key has mode " + mode +
                          " (group/others may access it); make it owner-only: chmod 600 " + file.string());
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw input_error(file.string() + ": site key not readable");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string key = ss.str();
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (key.size() < 16) throw input_error(file.string() + ": site key shorter than 16 bytes");
    return key;
}

std::string pseudonym(std::string_view key, std::string_view sample_id) {
    std::string out = "PX-";
    out.append(hmac_sha256_hex(key, sample_id), 0, 16);
    return out;
}

std::string file_stem(std::string_view id) {
    std::string out;
    bool changed = id.empty() || id[0] == '.';
    for (char c : id) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        out += ok ? c : '_';
        changed = changed || !ok;
    }
    if (!out.empty() && out[0] == '.') out[0] = '_';  // no hidden files, no ".."
    if (out.size() > 64) out.resize(64), changed = true;
    if (changed) {
        out.push_back('-');
        out.append(sha256_hex(id), 0, 8);
    }
    return out;
}

void make_private_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw input_error(dir.string() + ": cannot create directory: " + ec.message());
    if (::chmod(dir.c_str(), 0700) != 0)
        throw runtime_failure(dir.string() + ": cannot set mode 0700: " + std::strerror(errno));
}

void write_private_file(const std::filesystem::path& path, std::string_view text) {
    atomic_output out(path);
    int fd = ::open(out.temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw runtime_failure(out.final_path().string() + ": cannot create: " + std::strerror(errno));
    bool ok = ::fchmod(fd, 0600) == 0;
    std::size_t done = 0;
    while (ok && done < text.size()) {
        auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ::close(fd) == 0 && ok;
    if (!ok) throw runtime_failure(out.final_path().string() + ": write failed");
    out.commit();
}

}  // namespace precis::report
