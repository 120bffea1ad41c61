#include "precis/core/timestamp.hpp"
#include "precis/model/qc_group.hpp"

#include <hdf5.h>

#include <chrono>
#include <ctime>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::model {

namespace {

void write_on_root(const std::filesystem::path& path, const std::string& name, const std::string& command,
                   std::uint64_t bytes, const std::function<void(const h5::group&)>& fill) {
    require_space(path, bytes + bytes / 8 + (1u << 20));  // the group, its metadata and HDF5's slack
    auto file = h5::file::open(path, MPI_COMM_NULL, true);
    try {
        const std::string temp = "." + name + ".partial";
        if (file.exists(temp) && H5Ldelete(file.id(), temp.c_str(), H5P_DEFAULT) < 0)
            throw runtime_failure(path.string() + ": cannot delete the stale group /" + temp);
        {
            auto g = h5::group::create(file, temp);
            fill(g);
            g.set_attribute("command", command);
            g.set_attribute("created", utc_timestamp());
        }
        if (file.exists(name) && H5Ldelete(file.id(), name.c_str(), H5P_DEFAULT) < 0)
            throw runtime_failure(path.string() + ": cannot delete the old group /" + name);
        if (H5Lmove(file.id(), temp.c_str(), file.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
            throw runtime_failure(path.string() + ": cannot move /" + temp + " to /" + name);
    } catch (const input_error&) {
        throw;  // nothing failed to write: the file closes as usual, with the old group
    } catch (...) {
        // The file is not closed: closing writes HDF5's changed metadata, which after a failed write (a full
        // disk) can leave the whole file unreadable. Unclosed, it keeps its previous content: the new data
        // went past its end, and the metadata that would link them stays in memory.
        skip_library_shutdown();
        throw;
    }
    file.close();
}

}  // namespace

void replace_group(const std::filesystem::path& path, const std::string& name, const std::string& command,
                   std::uint64_t bytes, const std::function<void(const h5::group&)>& fill, const mpi::communicator& comm) {
    comm.barrier();  // every rank has closed its handles
    std::string failure;
    bool input = false;
    if (comm.is_root()) {
        try {
            write_on_root(path, name, command, bytes, fill);
        } catch (const input_error& e) {
            failure = e.what();
            input = true;
        } catch (const std::exception& e) {
            failure = e.what();
        }
    }
    failure = comm.broadcast(failure);
    input = comm.any(input);
    if (failure.empty()) return;
    if (input) throw input_error(failure);
    throw runtime_failure(failure);
}

}  // namespace precis::model
