// precis qc at 1, 2 and 4 ranks: a hand-made cohort with known statistics, a random cohort against a naive
// single-process recount, and the atomic replacement of /qc.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>

#include "cohort_fixture.hpp"
#include "precis/core/error.hpp"
#include "precis/h5/file.hpp"
#include "precis/model/genotype_source.hpp"
#include "precis/model/qc.hpp"
#include "precis/model/qc_group.hpp"

namespace precis::model {

namespace {

// Variants x samples S0..S7 (-1 missing). S7 misses 4 of 6 calls; v1 is monomorphic among the kept
// samples; v2 is called in 6 of the 7 kept samples; S6 is the heterozygosity outlier at --het-sd 1.5.
const std::int8_t tiny[6][8] = {
    {0, 0, 0, 0, 0, 0, 1, -1},  {2, 2, 2, 2, 2, 2, 2, -1}, {0, 1, 2, -1, 1, 1, 0, -1},
    {0, 1, 1, 1, 1, 1, 1, 0},   {0, 2, 0, 2, 0, 2, 0, -1}, {1, 0, 1, 0, 1, 0, 1, 2},
};

qc_options tiny_options() {
    qc_options o;
    o.max_sample_missing = 0.2;
    o.het_sd = 1.5;
    o.block_rows = 4;  // more than one block
    return o;
}

}  // namespace

TEST(qc, tiny_cohort_statistics_and_filters) {
    mpi::communicator comm(MPI_COMM_WORLD);
    auto path = testing::make_cohort(comm, "qc_tiny", 6, 8, [](std::int64_t v, std::int64_t s) { return tiny[v][s]; });
    logger log("test", log_level::warn, comm.rank());
    {
        auto cohort = h5::cohort_reader::open(path, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
        qc_result r = run_qc(cohort, tiny_options(), comm, log);
        EXPECT_EQ(r.sample_missing, (std::vector<std::int64_t>{0, 0, 0, 1, 0, 0, 0, 4}));
        EXPECT_EQ(r.sample_filter, (std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0, 5, 4}));
        EXPECT_EQ(r.variant_filter, (std::vector<std::uint8_t>{0, 2, 1, 0, 0, 0}));
        EXPECT_EQ(std::vector<std::int64_t>(r.variant_counts.begin(), r.variant_counts.begin() + 4),
                  (std::vector<std::int64_t>{6, 1, 0, 0}));
        EXPECT_EQ(std::vector<std::int64_t>(r.variant_counts.begin() + 8, r.variant_counts.begin() + 12),
                  (std::vector<std::int64_t>{2, 3, 1, 1}));
        EXPECT_DOUBLE_EQ(r.call_rate[2], 6.0 / 7.0);
        EXPECT_DOUBLE_EQ(r.alt_freq[0], 1.0 / 14.0);
        EXPECT_DOUBLE_EQ(r.alt_freq[1], 1.0);
        EXPECT_DOUBLE_EQ(r.hwe_p[4], hwe_exact_p(0, 4, 3));
        EXPECT_DOUBLE_EQ(r.missing_rate[7], 4.0 / 6.0);
        EXPECT_DOUBLE_EQ(r.het_rate[6], 0.75);
        EXPECT_DOUBLE_EQ(r.het_rate[2], 0.5);
        EXPECT_TRUE(std::isnan(r.het_rate[7]));
        // F of S0 over the kept variants v0, v3, v4, v5 (ALT frequencies 1/14, 6/14, 6/14, 4/14).
        double e_hom = 0;
        for (double p : {1.0 / 14, 6.0 / 14, 6.0 / 14, 4.0 / 14}) e_hom += 1 - 2 * p * (1 - p);
        EXPECT_NEAR(r.inbreeding_f[0], (3 - e_hom) / (4 - e_hom), 1e-14);
    }
    qc_result again;
    {
        auto cohort = h5::cohort_reader::open(path, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
        again = run_qc(cohort, tiny_options(), comm, log);
    }
    write_qc(path, again, tiny_options(), "test", comm);
    {
        auto cohort = h5::cohort_reader::open(path, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
        auto masks = read_masks(cohort);
        EXPECT_EQ(masks.samples, (std::vector<std::uint8_t>{1, 1, 1, 1, 1, 1, 0, 0}));
        EXPECT_EQ(masks.variants, (std::vector<std::uint8_t>{1, 0, 0, 1, 1, 1}));
        auto g = h5::group::open(cohort.h5(), "/qc");
        EXPECT_EQ(g.int64_attribute("variants_kept"), 4);
        EXPECT_DOUBLE_EQ(g.double_attribute("het_sd"), 1.5);
    }
    // A replacement whose fill fails leaves the previous /qc intact. (A failed write leaves the file
    // unclosed and ends the process without HDF5's clean-up: e2e.bad_input fills a disk for that.)
    EXPECT_THROW(replace_group(path, "qc", "test", 0, [](const h5::group&) { throw input_error("injected"); }, comm),
                 input_error);
    {
        auto cohort = h5::cohort_reader::open(path, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
        EXPECT_EQ(read_masks(cohort).variants, (std::vector<std::uint8_t>{1, 0, 0, 1, 1, 1}));
    }
    comm.barrier();
    if (comm.is_root()) std::filesystem::remove(path);
}

TEST(qc, impossible_thresholds_are_input_errors) {
    mpi::communicator comm(MPI_COMM_WORLD);
    auto path = testing::make_cohort(comm, "qc_bad", 6, 8, [](std::int64_t v, std::int64_t s) { return tiny[v][s]; });
    logger log("test", log_level::error, comm.rank());
    {
        auto cohort = h5::cohort_reader::open(path, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
        qc_options o;
        o.min_call_rate = 1.5;
        EXPECT_THROW(run_qc(cohort, o, comm, log), input_error);
        o = qc_options{};
        o.max_sample_missing = 0.0;
        o.min_maf = 0.6;
        EXPECT_THROW(run_qc(cohort, o, comm, log), input_error);
        o = tiny_options();
        o.min_maf = 0.49;  // keeps no variant
        EXPECT_THROW(run_qc(cohort, o, comm, log), input_error);
    }
    comm.barrier();
    if (comm.is_root()) std::filesystem::remove(path);
}

namespace {

// run_qc on a random cohort against a single-process recount of every statistic. With
// `max_sample_missing` 1 no sample is removed and qc reads the matrix once; otherwise twice. (The
// genotypes are not in Hardy-Weinberg proportions: on many samples, min_hwe_p 0 keeps variants.)
void check_against_recount(std::int64_t nv, std::int64_t ns, double max_sample_missing, double min_hwe_p) {
    mpi::communicator comm(MPI_COMM_WORLD);
    auto dosage = [](std::int64_t v, std::int64_t s) -> std::int8_t {
        std::uint64_t h = static_cast<std::uint64_t>(v * 1000003 + s * 7919) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
        int u = static_cast<int>(h % 100);
        if (u < (s % 9 == 0 ? 8 : 1)) return -1;
        const int f = static_cast<int>(v % 50);
        return static_cast<std::int8_t>((u < 30 + f) + (u < 10 + f / 2));
    };
    auto path = testing::make_cohort(comm, "qc_random", nv, ns, dosage);
    logger log("test", log_level::warn, comm.rank());
    qc_options o;
    o.max_sample_missing = max_sample_missing;
    o.min_hwe_p = min_hwe_p;
    auto cohort = h5::cohort_reader::open(path, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
    qc_result r = run_qc(cohort, o, comm, log);
    std::vector<std::uint8_t> keep(ns);
    std::int64_t kept = 0;
    for (std::int64_t s = 0; s < ns; ++s) {
        std::int64_t miss = 0;
        for (std::int64_t v = 0; v < nv; ++v) miss += dosage(v, s) < 0;
        EXPECT_EQ(r.sample_missing[s], miss);
        keep[s] = static_cast<double>(miss) / nv <= o.max_sample_missing;
        kept += keep[s];
    }
    ASSERT_GT(kept, 0);
    if (max_sample_missing < 1) {
        ASSERT_LT(kept, ns);  // the filter did something
    }
    std::int64_t variants_kept = 0;
    std::vector<std::int64_t> hets(ns, 0), called(ns, 0);
    for (std::int64_t v = 0; v < nv; ++v) {
        std::int64_t c[4] = {0, 0, 0, 0};
        for (std::int64_t s = 0; s < ns; ++s)
            if (keep[s]) ++c[dosage(v, s) < 0 ? 3 : dosage(v, s)];
        for (int i = 0; i < 4; ++i) ASSERT_EQ(r.variant_counts[v * 4 + i], c[i]) << "variant " << v;
        const double p = static_cast<double>(c[1] + 2 * c[2]) / (2.0 * (c[0] + c[1] + c[2]));
        ASSERT_EQ(r.alt_freq[v], p);
        const double hwe = hwe_exact_p(c[1], c[0], c[2]);
        const bool pass = static_cast<double>(c[0] + c[1] + c[2]) / static_cast<double>(kept) >= o.min_call_rate && std::min(p, 1 - p) >= o.min_maf && hwe >= o.min_hwe_p;
        ASSERT_EQ(r.variant_filter[v] == 0, pass) << "variant " << v;
        variants_kept += pass;
        for (std::int64_t s = 0; s < ns && pass; ++s) {
            called[s] += dosage(v, s) >= 0;
            hets[s] += dosage(v, s) == 1;
        }
    }
    EXPECT_GT(variants_kept, 0);
    if (min_hwe_p > 0) {
        EXPECT_LT(variants_kept, nv);
    }
    for (std::int64_t s = 0; s < ns; ++s)
        if (keep[s]) {
            EXPECT_EQ(r.het_rate[s], static_cast<double>(hets[s]) / static_cast<double>(called[s])) << "sample " << s;
        }
    comm.barrier();
    if (comm.is_root()) std::filesystem::remove(path);
}

}  // namespace

TEST(qc, random_cohort_matches_a_naive_recount) { check_against_recount(2100, 41, 0.03, 1e-3); }

TEST(qc, random_cohort_without_removed_samples_matches_a_naive_recount) { check_against_recount(2100, 41, 1.0, 1e-3); }

// More than 4080 samples a rank: the 8-bit lanes of the row counts are emptied mid-row.
TEST(qc, wide_cohort_matches_a_naive_recount) { check_against_recount(60, 5000, 1.0, 0); }

}  // namespace precis::model
