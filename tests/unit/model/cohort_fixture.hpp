#pragma once
// Writes small cohort files for the model tests (rank 0 writes, everyone gets the path).
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

#include "precis/h5/cohort.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::model::testing {

/// A cohort of n_variants x n_samples with dosage(v, s) in {-1, 0, 1, 2}, at a per-process temporary path.
inline std::filesystem::path make_cohort(const mpi::communicator& comm, const std::string& tag, std::int64_t n_variants,
                                         std::int64_t n_samples, const std::function<std::int8_t(std::int64_t, std::int64_t)>& dosage) {
    std::filesystem::path path = comm.broadcast(
        (std::filesystem::temp_directory_path() / ("precis_" + tag + "_" + std::to_string(::getpid()) + ".h5")).string());
    if (comm.is_root()) {
        h5::cohort_layout layout;
        for (std::int64_t s = 0; s < n_samples; ++s) {
            std::string name = "S";
            layout.samples.push_back(name += std::to_string(s));
        }
        layout.contigs = {{"chr1", 100000000}};
        layout.n_variants = n_variants;
        h5::cohort_writer writer(path, MPI_COMM_NULL, layout);
        h5::variant_rows rows;
        std::vector<std::int8_t> d, f(static_cast<std::size_t>(n_variants * n_samples), 0);
        for (std::int64_t v = 0; v < n_variants; ++v) {
            rows.push_back("chr1", ".", "A", "G", 10 * v + 1);
            for (std::int64_t s = 0; s < n_samples; ++s) d.push_back(dosage(v, s));
        }
        writer.write_variants(0, rows);
        writer.write_genotypes(0, n_variants, d.data(), f.data());
        writer.close();
    }
    comm.barrier();
    return path;
}

}  // namespace precis::model::testing
