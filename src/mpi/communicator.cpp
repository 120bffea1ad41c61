#include "precis/mpi/communicator.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include "precis/core/error.hpp"

namespace precis::mpi {

namespace {

// A process started without a launcher (no mpiexec, no srun --mpi=pmix) is an MPI singleton. OpenMPI
// then starts a supporting daemon and probes the UCX transport, ~0.3 s of start-up for a command whose
// one rank never talks to another. These settings skip both. Only variables the user has not set are
// set, and only until MPI_Init has read them: processes started later (precis workflow runs mpiexec)
// must not inherit them. Other MPI implementations ignore them.
std::vector<std::string> singleton_settings() {
    std::vector<std::string> set;
    if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK") || std::getenv("PMI_RANK")) return set;
    for (const auto& [name, value] : {std::pair<const char*, const char*>{"OMPI_MCA_ess_singleton_isolated", "1"},
                                      std::pair<const char*, const char*>{"OMPI_MCA_pml", "ob1"}}) {
        if (std::getenv(name)) continue;
        setenv(name, value, 0);
        set.emplace_back(name);
    }
    return set;
}

}  // namespace

void check(int rc, const char* what) {
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(rc, text, &length);
    throw runtime_failure(std::string("MPI ") + what + " failed: " + std::string(text, length));
}

environment::environment(int& argc, char**& argv) {
    int provided = 0;
    const std::vector<std::string> settings = singleton_settings();
    const int rc = MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    for (const auto& name : settings) unsetenv(name.c_str());
    check(rc, "MPI_Init_thread");
    // Errors come back as return codes, which check() turns into exceptions.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

environment::~environment() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

communicator::communicator(MPI_Comm comm) : m_comm(comm) {
    check(MPI_Comm_rank(comm, &m_rank), "MPI_Comm_rank");
    check(MPI_Comm_size(comm, &m_size), "MPI_Comm_size");
}

void communicator::barrier() const { check(MPI_Barrier(m_comm), "MPI_Barrier"); }

std::int64_t communicator::sum(std::int64_t value) const {
    std::int64_t out = 0;
    check(MPI_Allreduce(&value, &out, 1, MPI_INT64_T, MPI_SUM, m_comm), "MPI_Allreduce");
    return out;
}

double communicator::sum(double value) const {
    double out = 0;
    check(MPI_Allreduce(&value, &out, 1, MPI_DOUBLE, MPI_SUM, m_comm), "MPI_Allreduce");
    return out;
}

std::int64_t communicator::max(std::int64_t value) const {
    std::int64_t out = 0;
    check(MPI_Allreduce(&value, &out, 1, MPI_INT64_T, MPI_MAX, m_comm), "MPI_Allreduce");
    return out;
}

std::int64_t communicator::min(std::int64_t value) const {
    std::int64_t out = 0;
    check(MPI_Allreduce(&value, &out, 1, MPI_INT64_T, MPI_MIN, m_comm), "MPI_Allreduce");
    return out;
}

std::int64_t communicator::exclusive_prefix_sum(std::int64_t value) const {
    std::int64_t out = 0;
    check(MPI_Exscan(&value, &out, 1, MPI_INT64_T, MPI_SUM, m_comm), "MPI_Exscan");
    return m_rank == 0 ? 0 : out;  // MPI leaves rank 0's result undefined
}

std::vector<std::int64_t> communicator::all_gather(std::int64_t value) const {
    std::vector<std::int64_t> out(m_size);
    check(MPI_Allgather(&value, 1, MPI_INT64_T, out.data(), 1, MPI_INT64_T, m_comm), "MPI_Allgather");
    return out;
}

bool communicator::any(bool flag) const { return sum(static_cast<std::int64_t>(flag ? 1 : 0)) > 0; }

std::string communicator::broadcast(const std::string& value) const {
    std::int64_t size = static_cast<std::int64_t>(value.size());
    check(MPI_Bcast(&size, 1, MPI_INT64_T, 0, m_comm), "MPI_Bcast");
    std::string out = m_rank == 0 ? value : std::string(static_cast<std::size_t>(size), '\0');
    check(MPI_Bcast(out.data(), static_cast<int>(size), MPI_CHAR, 0, m_comm), "MPI_Bcast");
    return out;
}

std::vector<std::int64_t> communicator::broadcast(const std::vector<std::int64_t>& value) const {
    std::int64_t size = static_cast<std::int64_t>(value.size());
    check(MPI_Bcast(&size, 1, MPI_INT64_T, 0, m_comm), "MPI_Bcast");
    std::vector<std::int64_t> out = m_rank == 0 ? value : std::vector<std::int64_t>(size);
    check(MPI_Bcast(out.data(), static_cast<int>(size), MPI_INT64_T, 0, m_comm), "MPI_Bcast");
    return out;
}

std::vector<std::string> communicator::gather(const std::string& value) const {
    const int size = static_cast<int>(value.size());
    std::vector<int> sizes(m_rank == 0 ? m_size : 0), offsets(sizes.size());
    check(MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, m_comm), "MPI_Gather");
    std::string all;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
        offsets[r] = static_cast<int>(all.size());
        all.resize(all.size() + static_cast<std::size_t>(sizes[r]));
    }
    check(MPI_Gatherv(value.data(), size, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR, 0, m_comm),
          "MPI_Gatherv");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < sizes.size(); ++r)
        out.push_back(all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(sizes[r])));
    return out;
}

void communicator::abort(int code) const {
    MPI_Abort(m_comm, code);
    std::_Exit(code);  // MPI_Abort does not return; this keeps [[noreturn]] honest if it ever does.
}

void throw_if_any_failed(std::exception_ptr local, const communicator& comm) {
    // After a failed HDF5 write (skip_library_shutdown) other ranks may be waiting inside HDF5 and never
    // come here: this rank's error goes straight to main, whose MPI_Abort ends them.
    if (comm.size() == 1 || (local && library_shutdown_skipped())) {
        if (local) std::rethrow_exception(local);
        return;
    }
    const std::int64_t first = comm.min(local ? comm.rank() : comm.size());
    if (first == comm.size()) return;
    std::string message;
    std::int64_t input = 0;
    if (comm.rank() == first) {
        try {
            std::rethrow_exception(local);
        } catch (const input_error& e) {
            message = e.what();
            input = 1;
        } catch (const std::exception& e) {
            message = e.what();
        } catch (...) {
            message = "unknown error";
        }
    }
    check(MPI_Bcast(&input, 1, MPI_INT64_T, static_cast<int>(first), comm.get()), "MPI_Bcast");
    std::int64_t size = static_cast<std::int64_t>(message.size());
    check(MPI_Bcast(&size, 1, MPI_INT64_T, static_cast<int>(first), comm.get()), "MPI_Bcast");
    message.resize(static_cast<std::size_t>(size));
    check(MPI_Bcast(message.data(), static_cast<int>(size), MPI_CHAR, static_cast<int>(first), comm.get()),
          "MPI_Bcast");
    if (local) std::rethrow_exception(local);
    if (input) throw input_error(message);
    throw runtime_failure(message);
}

std::string library_version() {
    char text[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(text, &length);
    std::string out(text, length);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\0')) out.pop_back();
    auto comma = out.find(',');  // "Open MPI v4.1.4, package: ..." -> "Open MPI v4.1.4"
    return comma == std::string::npos ? out : out.substr(0, comma);
}

}  // namespace precis::mpi
