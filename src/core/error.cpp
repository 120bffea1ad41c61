#include "precis/core/error.hpp"

#include <boost/program_options/errors.hpp>

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

}  // namespace precis
