#pragma once
#include <string>

namespace precis {
/// "0.1.0"
std::string version();
/// `precis --version`: precis version and git commit, then MPI, HDF5, HTSlib, oneTBB, Eigen and Boost.
std::string version_report();
}  // namespace precis
