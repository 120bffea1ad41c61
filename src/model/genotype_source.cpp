#include "precis/model/genotype_source.hpp"

#include "precis/core/error.hpp"

namespace precis::model {

namespace {

std::vector<std::uint8_t> read_mask(const h5::cohort_reader& cohort, const char* name, std::int64_t n) {
    if (!cohort.h5().exists(std::string("/qc/") + name)) return std::vector<std::uint8_t>(static_cast<std::size_t>(n), 1);
    auto mask = h5::dataset::open(cohort.h5(), std::string("/qc/") + name).read_all<std::uint8_t>();
    if (static_cast<std::int64_t>(mask.size()) != n)
        throw input_error(cohort.h5().where() + ": /qc/" + name + " has " + std::to_string(mask.size()) +
                          " entries, the cohort " + std::to_string(n));
    return mask;
}

std::vector<std::int64_t> kept(const std::vector<std::uint8_t>& mask) {
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < mask.size(); ++i)
        if (mask[i]) out.push_back(static_cast<std::int64_t>(i));
    return out;
}

}  // namespace

cohort_masks read_masks(const h5::cohort_reader& cohort) {
    return {read_mask(cohort, "variant_mask", cohort.n_variants()), read_mask(cohort, "sample_mask", cohort.n_samples())};
}

genotype_source::genotype_source(const h5::cohort_reader& cohort, const cohort_masks& masks,
                                 const mpi::communicator& comm)
    : m_cohort(cohort), m_comm(comm), m_samples(kept(masks.samples)), m_variants(kept(masks.variants)) {
    m_shard = mpi::block_range(n_samples(), comm.size(), comm.rank());
    if (m_shard.size() > 0)
        m_file_columns = {m_samples[static_cast<std::size_t>(m_shard.begin)],
                          m_samples[static_cast<std::size_t>(m_shard.end - 1)] + 1};
}

void genotype_source::read(std::int64_t first, std::int64_t n, std::vector<std::int8_t>& out) const {
    if (first < 0 || n < 0 || first + n > n_variants())
        throw runtime_failure("genotype_source::read: variants [" + std::to_string(first) + ", " +
                              std::to_string(first + n) + ") outside the " + std::to_string(n_variants()) + " kept");
    const std::int64_t width = m_shard.size();
    out.resize(static_cast<std::size_t>(n * width));
    mpi::index_range rows{0, 0};
    if (n > 0) rows = {m_variants[static_cast<std::size_t>(first)], m_variants[static_cast<std::size_t>(first + n - 1)] + 1};
    // Every rank reads the covering rows of its own columns (empty when it has none), collectively.
    mpi::index_range columns = width > 0 ? m_file_columns : mpi::index_range{0, 0};
    if (width == 0) rows = {0, 0};
    const auto mode = m_comm.size() > 1 ? h5::transfer::collective : h5::transfer::independent;
    const bool dense_columns = columns.size() == width;
    if (dense_columns && rows.size() == n) {  // every row and column read is kept: straight into `out`
        m_cohort.read_dosage(rows, columns, out.data(), mode);
        return;
    }
    m_buffer.resize(static_cast<std::size_t>(rows.size() * columns.size()));
    m_cohort.read_dosage(rows, columns, m_buffer.data(), mode);
    if (width == 0) return;
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t row = m_variants[static_cast<std::size_t>(first + i)] - rows.begin;
        const std::int8_t* src = m_buffer.data() + row * columns.size();
        std::int8_t* dst = out.data() + i * width;
        if (dense_columns) {
            std::copy(src, src + width, dst);
        } else {
            for (std::int64_t s = 0; s < width; ++s)
                dst[s] = src[m_samples[static_cast<std::size_t>(m_shard.begin + s)] - columns.begin];
        }
    }
}

}  // namespace precis::model
