#pragma once
/// Atomic replacement of an analysis group (/qc, /pca) inside a cohort file.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "precis/h5/file.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::model {

/// Opens `path` for writing on rank 0 only (serially), lets `fill` write the temporary group
/// `/.NAME.partial` (the group the previous run replaced, `/.NAME.previous`, when there is one: `fill`
/// writes over its datasets with dataset::create_or_reuse, so that the file does not grow on every run),
/// stamps `command` and `created` attributes, then moves `/NAME` to `/.NAME.previous` and the temporary
/// to `/NAME` (H5Lmove), so a failure leaves the old group or none.
/// `bytes` (the data `fill` writes) must fit on the disk first (require_space); a failure after the file
/// is open leaves it unclosed and unchanged, and the process then ends without HDF5's clean-up.
/// Collective over `comm`: the other ranks wait and learn whether rank 0 succeeded (runtime_failure or
/// input_error with rank 0's message otherwise). Every rank must have closed `path` before.
void replace_group(const std::filesystem::path& path, const std::string& name, const std::string& command,
                   std::uint64_t bytes, const std::function<void(const h5::group&)>& fill,
                   const mpi::communicator& comm);

}  // namespace precis::model
