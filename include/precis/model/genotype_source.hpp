#pragma once
/// The cohort as the analysis commands see it: QC masks applied, samples sharded over MPI ranks,
/// variants read in blocks.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "precis/h5/cohort.hpp"
#include "precis/mpi/communicator.hpp"
#include "precis/mpi/partition.hpp"

namespace precis::model {

/// Which variant rows and samples the analyses use. Written by `precis qc` as /qc/variant_mask and
/// /qc/sample_mask (uint8, 1 = keep; docs/formats.md); everything is kept when the file has no /qc group.
struct cohort_masks {
    std::vector<std::uint8_t> variants;  ///< one per variant row
    std::vector<std::uint8_t> samples;   ///< one per sample, file order
};

/// Reads the masks of `cohort` (every rank reads the same small datasets independently).
cohort_masks read_masks(const h5::cohort_reader& cohort);

/// Kept samples split into contiguous shards, one per rank, and kept variants read in blocks.
/// All members are cheap to query; read() is collective over the communicator given at construction
/// (every rank calls it with the same block), so a rank only ever holds its own shard of a block.
/// Not thread-safe (HDF5).
class genotype_source {
public:
    /// `cohort` must stay open while the source is used. The shard of rank r is the r-th of
    /// comm.size() near-equal contiguous runs of the kept samples (mpi::block_range).
    genotype_source(const h5::cohort_reader& cohort, const cohort_masks& masks, const mpi::communicator& comm);

    /// File indices of the kept samples / variant rows, in file order.
    const std::vector<std::int64_t>& kept_samples() const { return m_samples; }
    const std::vector<std::int64_t>& kept_variants() const { return m_variants; }
    std::int64_t n_samples() const { return static_cast<std::int64_t>(m_samples.size()); }
    std::int64_t n_variants() const { return static_cast<std::int64_t>(m_variants.size()); }
    /// This rank's shard, as positions in kept_samples().
    mpi::index_range shard() const { return m_shard; }

    /// Dosages (0/1/2, -1 missing) of kept variants [first, first + n) (positions in kept_variants())
    /// for this rank's shard, into `out` resized to n x shard().size(), row-major (variant-major).
    /// Collective: every rank passes the same first and n.
    void read(std::int64_t first, std::int64_t n, std::vector<std::int8_t>& out) const;

private:
    const h5::cohort_reader& m_cohort;
    const mpi::communicator& m_comm;
    std::vector<std::int64_t> m_samples, m_variants;
    mpi::index_range m_shard;
    mpi::index_range m_file_columns;  // file sample columns covering the shard
    mutable std::vector<std::int8_t> m_buffer;
};

}  // namespace precis::model
