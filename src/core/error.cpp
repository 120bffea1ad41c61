#include "precis/core/error.hpp"

#include <boost/program_options/errors.hpp>

#include <atomic>

namespace precis {

input_error input_error::at(const std::string& file, const std::string& where, const std::string& what) {
    std::string msg = file;
    if (!where.empty()) msg += ": " + where;
    msg += ": " + what;
    return input_error(msg);
}

int exit_code_for(const std::exception& e) noexcept {
    if (dynamic_cast<const input_error*>(&e) != nullptr) return 2;
    if (dynamic_cast<const boost::program_options::error*>(&e) != nullptr) return 2;
    return 1;
}

namespace {
std::atomic<bool> g_skip_shutdown{false};
}  // namespace

void skip_library_shutdown() noexcept { g_skip_shutdown = true; }
bool library_shutdown_skipped() noexcept { return g_skip_shutdown; }

}  // namespace precis
