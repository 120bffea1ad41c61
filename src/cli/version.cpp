#include "version.hpp"

#include <hdf5.h>
#include <htslib/hts.h>
#include <oneapi/tbb/version.h>

#include <Eigen/Core>
#include <boost/version.hpp>

#include "precis/core/build_info.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis {

std::string version() { return build_info::version; }

std::string version_report() {
    unsigned major = 0, minor = 0, release = 0;
    H5get_libversion(&major, &minor, &release);
    std::string boost = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) +
                        "." + std::to_string(BOOST_VERSION % 100);
    std::string out;
    out += "precis " + version() + " (commit " + build_info::git_commit + ", " + build_info::build_type + ")\n";
    out += "MPI     " + mpi::library_version() + "\n";
    out += "HDF5    " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release) +
           " (parallel)\n";
    out += std::string("HTSlib  ") + hts_version() + "\n";
    out += std::string("oneTBB  ") + TBB_runtime_version() + "\n";
    out += "Eigen   " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
           std::to_string(EIGEN_MINOR_VERSION) + "\n";
    out += "Boost   " + boost + "\n";
    return out;
}

}  // namespace precis
