#pragma once
/// Thin RAII layer over MPI: environment, an explicit communicator with checked collectives.
#include <mpi.h>

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

namespace precis::mpi {

/// Throws runtime_failure with the MPI error string when `rc` is not MPI_SUCCESS.
void check(int rc, const char* what);

/// Initialises MPI (MPI_THREAD_FUNNELED: only the thread that called the constructor makes MPI calls;
/// TBB workers never do) and finalises it on destruction. One per process, created in main.
class environment {
public:
    environment(int& argc, char**& argv);
    ~environment();
    environment(const environment&) = delete;
    environment& operator=(const environment&) = delete;
};

/// A non-owning handle to a communicator with the handful of checked collectives precis uses.
/// Every MPI-aware function takes one of these; nothing below the CLI touches MPI_COMM_WORLD.
class communicator {
public:
    explicit communicator(MPI_Comm comm);

    MPI_Comm get() const { return m_comm; }
    int rank() const { return m_rank; }
    int size() const { return m_size; }
    bool is_root() const { return m_rank == 0; }

    void barrier() const;
    std::int64_t sum(std::int64_t value) const;
    double sum(double value) const;
    std::int64_t max(std::int64_t value) const;
    std::int64_t min(std::int64_t value) const;
    /// Exclusive prefix sum over ranks (rank 0 gets 0).
    std::int64_t exclusive_prefix_sum(std::int64_t value) const;
    /// Every rank's value, in rank order.
    std::vector<std::int64_t> all_gather(std::int64_t value) const;
    /// Logical or / and of a flag over all ranks.
    bool any(bool flag) const;
    /// Rank 0's string on every rank.
    std::string broadcast(const std::string& value) const;
    /// Rank 0's vector on every rank.
    std::vector<std::int64_t> broadcast(const std::vector<std::int64_t>& value) const;
    /// Every rank's string on rank 0, in rank order; the other ranks get an empty vector.
    std::vector<std::string> gather(const std::string& value) const;

    /// Ends every rank of the communicator with `code`. Used by main when one rank fails.
    [[noreturn]] void abort(int code) const;

private:
    MPI_Comm m_comm;
    int m_rank = 0;
    int m_size = 1;
};

/// Ends a stretch of work in which ranks may fail on their own (`local`: this rank's exception, or null).
/// Returns on every rank when none failed; otherwise every rank throws, a failing rank its own exception
/// and the others one of the same kind (input_error or runtime_failure) with the message of the lowest
/// failing rank. Rank 0 thus reports that one error, and main prints it once, whichever ranks failed.
/// Collective: every rank of `comm` calls it. Except after a failed HDF5 write (library_shutdown_skipped):
/// the failing rank then rethrows at once, and main's MPI_Abort ends the ranks still inside HDF5.
void throw_if_any_failed(std::exception_ptr local, const communicator& comm);

/// Runs `work` on this rank, then throw_if_any_failed() with what it threw. Collective.
template <class F> void run_collectively(const communicator& comm, F&& work) {
    std::exception_ptr failure;
    try {
        work();
    } catch (...) {
        failure = std::current_exception();
    }
    throw_if_any_failed(failure, comm);
}

/// The library version string of the MPI implementation (callable before MPI_Init).
std::string library_version();

}  // namespace precis::mpi
