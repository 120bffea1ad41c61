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
        // The group replaced last time is kept as /.NAME.previous, and the new one is written over its
        // datasets: HDF5 1.10 does not reuse the space of deleted objects once the file is closed, so
        // deleting it would grow the file by a whole group on every run.
        const std::string temp = "." + name + ".partial", previous = "." + name + ".previous";
        auto move = [&](const std::string& from, const std::string& to) {
            if (H5Lmove(file.id(), from.c_str(), file.id(), to.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
                throw runtime_failure(path.string() + ": cannot move /" + from + " to /" + to);
        };
        if (!file.exists(temp) && file.exists(previous)) move(previous, temp);  // (else a failed run's group)
        {
            auto g = file.exists(temp) ? h5::group::open(file, temp) : h5::group::create(file, temp);
            fill(g);
            g.set_attribute("command", command);
            g.set_attribute("created", utc_timestamp());
        }
        if (file.exists(previous) && H5Ldelete(file.id(), previous.c_str(), H5P_DEFAULT) < 0)
            throw runtime_failure(path.string() + ": cannot delete /" + previous);
        if (file.exists(name)) move(name, previous);
        move(temp, name);
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
