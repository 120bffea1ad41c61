#pragma once
// Internal: assembling per-rank sample shards into the global (kept-sample) order.
#include <mpi.h>

#include <vector>

#include "precis/mpi/communicator.hpp"

namespace precis::model::detail {

/// Concatenates every rank's `local` values in rank order on every rank (the shards of genotype_source
/// are contiguous and in rank order, so this is kept-sample order). Collective.
inline std::vector<double> gather_shards(const std::vector<double>& local, const mpi::communicator& comm) {
    if (comm.size() == 1) return local;
    auto counts64 = comm.all_gather(static_cast<std::int64_t>(local.size()));
    std::vector<int> counts, displs;
    int total = 0;
    for (auto c : counts64) counts.push_back(static_cast<int>(c)), displs.push_back(total), total += static_cast<int>(c);
    std::vector<double> out(static_cast<std::size_t>(total));
    mpi::check(MPI_Allgatherv(local.data(), static_cast<int>(local.size()), MPI_DOUBLE, out.data(), counts.data(),
                              displs.data(), MPI_DOUBLE, comm.get()),
               "MPI_Allgatherv (sample shards)");
    return out;
}

}  // namespace precis::model::detail
