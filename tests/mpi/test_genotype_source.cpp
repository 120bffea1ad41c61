// genotype_source at 1, 2 and 4 ranks: the shards tile the kept samples, and every rank reads exactly
// the masked dosages of its shard.
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <filesystem>

#include "precis/h5/cohort.hpp"
#include "precis/h5/file.hpp"
#include "precis/model/genotype_source.hpp"

namespace fs = std::filesystem;

namespace precis::model {

namespace {

constexpr std::int64_t n_variants = 2500, n_samples = 37;
std::int8_t dosage(std::int64_t v, std::int64_t s) { return static_cast<std::int8_t>((v * 7 + s * 3) % 4 - 1); }
bool variant_kept(std::int64_t v) { return v % 5 != 0; }
bool sample_kept(std::int64_t s) { return s % 7 != 3; }

fs::path make_cohort(const mpi::communicator& comm) {
    fs::path path = comm.broadcast(
        (fs::temp_directory_path() / ("precis_gsource_" + std::to_string(::getpid()) + ".h5")).string());
    if (comm.is_root()) {
        h5::cohort_layout layout;
        for (std::int64_t s = 0; s < n_samples; ++s) {
            std::string name = "S";  // built in two steps: GCC 12 warns falsely (-Wrestrict) on "S" + to_string
            layout.samples.push_back(name += std::to_string(s));
        }
        layout.contigs = {{"chr1", 1000000}};
        layout.n_variants = n_variants;
        h5::cohort_writer writer(path, MPI_COMM_NULL, layout);
        h5::variant_rows rows;
        std::vector<std::int8_t> d, f(static_cast<std::size_t>(n_variants * n_samples), 0);
        for (std::int64_t v = 0; v < n_variants; ++v) {
            rows.push_back("chr1", ".", "A", "G", v + 1);
            for (std::int64_t s = 0; s < n_samples; ++s) d.push_back(dosage(v, s));
        }
        writer.write_variants(0, rows);
        writer.write_genotypes(0, n_variants, d.data(), f.data());
        writer.close();
        auto file = h5::file::open(path, MPI_COMM_NULL, true);
        auto qc = h5::group::create(file, "qc");
        std::vector<std::uint8_t> vm, sm;
        for (std::int64_t v = 0; v < n_variants; ++v) vm.push_back(variant_kept(v));
        for (std::int64_t s = 0; s < n_samples; ++s) sm.push_back(sample_kept(s));
        h5::dataset::create(qc, "variant_mask", H5T_NATIVE_UINT8, {vm.size()}).write(vm.data(), {0}, {vm.size()});
        h5::dataset::create(qc, "sample_mask", H5T_NATIVE_UINT8, {sm.size()}).write(sm.data(), {0}, {sm.size()});
    }
    comm.barrier();
    return path;
}

}  // namespace

TEST(genotype_source, shards_read_the_masked_dosages) {
    mpi::communicator comm(MPI_COMM_WORLD);
    fs::path path = make_cohort(comm);
    {
        auto cohort = h5::cohort_reader::open(path, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
        genotype_source source(cohort, read_masks(cohort), comm);
        EXPECT_EQ(source.n_variants(), n_variants - n_variants / 5);
        EXPECT_EQ(comm.sum(source.shard().size()), source.n_samples());
        EXPECT_EQ(comm.exclusive_prefix_sum(source.shard().size()), source.shard().begin);
        std::vector<std::int8_t> block;
        const std::int64_t step = 700;  // not a multiple of the 1024-row tiles
        for (std::int64_t first = 0; first < source.n_variants(); first += step) {
            std::int64_t n = std::min(step, source.n_variants() - first);
            source.read(first, n, block);
            ASSERT_EQ(static_cast<std::int64_t>(block.size()), n * source.shard().size());
            for (std::int64_t i = 0; i < n; ++i) {
                std::int64_t v = source.kept_variants()[first + i];
                ASSERT_TRUE(variant_kept(v));
                for (std::int64_t j = 0; j < source.shard().size(); ++j) {
                    std::int64_t s = source.kept_samples()[source.shard().begin + j];
                    ASSERT_TRUE(sample_kept(s));
                    ASSERT_EQ(block[i * source.shard().size() + j], dosage(v, s)) << "variant " << v << " sample " << s;
                }
            }
        }
    }
    comm.barrier();
    if (comm.is_root()) fs::remove(path);
}

}  // namespace precis::model
