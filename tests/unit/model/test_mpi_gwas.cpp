// run_gwas at 1, 2 and 4 ranks: every rank count gives bit-identical tests to the one-rank run
// (MPI_COMM_SELF on rank 0), honours the QC masks, drops samples with a missing covariate, and the
// Firth fallback is used for a variant seen only in controls.
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "precis/core/error.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/h5/file.hpp"
#include "precis/model/gwas.hpp"

namespace fs = std::filesystem;

namespace precis::model {

namespace {

constexpr std::int64_t n_variants = 300, n_samples = 120;

/// A deterministic pseudo-random number in [0, 1) of (a, b).
double hash01(std::int64_t a, std::int64_t b) {
    std::uint64_t x = static_cast<std::uint64_t>(a) * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(b) * 0xC2B2AE3D27D4EB4Full;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return static_cast<double>(x >> 11) / 9007199254740992.0;
}

std::int8_t dosage(std::int64_t v, std::int64_t s) {
    if (v == 7) return s % 40 == 1 ? 1 : 0;        // rare: carriers are samples 1, 41, 81 (controls)
    if (hash01(v, s) < 0.02) return -1;            // missing
    const double f = 0.1 + 0.4 * hash01(v, -1);
    return static_cast<std::int8_t>((hash01(v, s + 1000) < f) + (hash01(v, s + 2000) < f));
}

double phenotype(std::int64_t s) { return s % 40 == 1 ? 0.0 : (hash01(-5, s) < 0.4 ? 1.0 : 0.0); }

fs::path make_cohort(const mpi::communicator& comm) {
    fs::path path = comm.broadcast(
        (fs::temp_directory_path() / ("precis_gwas_" + std::to_string(::getpid()) + ".h5")).string());
    if (comm.is_root()) {
        h5::cohort_layout layout;
        for (std::int64_t s = 0; s < n_samples; ++s) {
            std::string name = "S";
            layout.samples.push_back(name += std::to_string(s));
        }
        layout.contigs = {{"chr1", 100000}, {"chr2", 100000}};
        layout.n_variants = n_variants;
        h5::cohort_writer writer(path, MPI_COMM_NULL, layout);
        h5::variant_rows rows;
        std::vector<std::int8_t> d, f(static_cast<std::size_t>(n_variants * n_samples), 0);
        for (std::int64_t v = 0; v < n_variants; ++v) {
            rows.push_back(v < 150 ? "chr1" : "chr2", ".", "A", "G", 100 * (v % 150) + 1);
            for (std::int64_t s = 0; s < n_samples; ++s) d.push_back(dosage(v, s));
        }
        writer.write_variants(0, rows);
        writer.write_genotypes(0, n_variants, d.data(), f.data());
        std::vector<double> y, q, age, sex;
        for (std::int64_t s = 0; s < n_samples; ++s) {
            y.push_back(phenotype(s));
            q.push_back(hash01(-6, s) * 3 + 0.01 * static_cast<double>(dosage(3, s)));
            age.push_back(s == 5 ? std::nan("") : 30 + 40 * hash01(-7, s));
            sex.push_back(hash01(-8, s) < 0.5 ? 1 : 2);
        }
        writer.write_sample_values("phenotypes", "disease", y);
        writer.write_sample_values("phenotypes", "height", q);
        writer.write_sample_values("phenotypes", "unmeasured", std::vector<double>(n_samples, std::nan("")));
        writer.write_sample_values("covariates", "age", age);
        writer.write_sample_values("covariates", "sex", sex);
        writer.close();
        auto file = h5::file::open(path, MPI_COMM_NULL, true);
        auto qc = h5::group::create(file, "qc");
        std::vector<std::uint8_t> vm(n_variants, 1), sm(n_samples, 1);
        vm[11] = vm[200] = 0;
        sm[9] = 0;
        h5::dataset::create(qc, "variant_mask", H5T_NATIVE_UINT8, {vm.size()}).write(vm.data(), {0}, {vm.size()});
        h5::dataset::create(qc, "sample_mask", H5T_NATIVE_UINT8, {sm.size()}).write(sm.data(), {0}, {sm.size()});
    }
    comm.barrier();
    return path;
}

void expect_identical(const gwas_result& a, const gwas_result& b) {
    ASSERT_EQ(a.tests.size(), b.tests.size());
    EXPECT_EQ(a.rows, b.rows);
    EXPECT_EQ(a.variants.pos, b.variants.pos);
    for (std::size_t i = 0; i < a.tests.size(); ++i) {
        const auto &x = a.tests[i], &y = b.tests[i];
        EXPECT_EQ(std::memcmp(&x.beta, &y.beta, sizeof(double)), 0) << "variant " << i;
        EXPECT_EQ(std::memcmp(&x.se, &y.se, sizeof(double)), 0) << "variant " << i;
        EXPECT_EQ(std::memcmp(&x.p, &y.p, sizeof(double)), 0) << "variant " << i;
        EXPECT_EQ(x.obs_ct, y.obs_ct);
        EXPECT_EQ(x.firth, y.firth);
        EXPECT_EQ(x.error, y.error);
    }
}

}  // namespace

TEST(mpi_gwas, every_rank_count_gives_the_one_rank_result) {
    mpi::communicator comm(MPI_COMM_WORLD);
    const fs::path path = make_cohort(comm);
    const logger log("gwas-test", log_level::warn, comm.rank());
    for (const char* pheno : {"disease", "height"}) {
        gwas_options o;
        o.cohort = path;
        o.phenotype = pheno;
        o.covariates = {"age", "sex"};
        o.block_variants = 37;  // several blocks per rank
        const auto all = run_gwas(o, comm, log);
        if (comm.is_root()) {
            const mpi::communicator self(MPI_COMM_SELF);
            const auto one = run_gwas(o, self, log);
            expect_identical(all, one);
            EXPECT_EQ(all.n_samples, n_samples - 2);  // sample 9 masked, sample 5 lacks age
            EXPECT_EQ(all.tests.size(), static_cast<std::size_t>(n_variants - 2));
            EXPECT_EQ(all.logistic, std::string(pheno) == "disease");
            if (all.logistic) {
                // Row 7 (kept position 7: the masked row 11 comes later) is carried by controls only.
                ASSERT_EQ(all.rows[7], 7);
                EXPECT_TRUE(all.tests[7].firth);
                EXPECT_EQ(all.tests[7].error, gwas_error::none);
                EXPECT_LT(all.tests[7].beta, 0);
            }
            std::int64_t with_missing = 0;
            for (const auto& t : all.tests) with_missing += t.obs_ct < all.n_samples;
            EXPECT_GT(with_missing, 0);
        }
    }
    comm.barrier();
    if (comm.is_root()) fs::remove(path);
}

TEST(mpi_gwas, principal_components_join_the_design) {
    mpi::communicator comm(MPI_COMM_WORLD);
    const fs::path path = make_cohort(comm);
    if (comm.is_root()) {  // /pca/scores [n_samples, 3], NaN for the sample outside the QC mask
        auto file = h5::file::open(path, MPI_COMM_NULL, true);
        auto pca = h5::group::create(file, "pca");
        std::vector<double> scores;
        for (std::int64_t s = 0; s < n_samples; ++s)
            for (int c = 0; c < 3; ++c) scores.push_back(s == 9 ? std::nan("") : hash01(-20 - c, s) - 0.5);
        h5::dataset::create(pca, "scores", H5T_IEEE_F64LE, {n_samples, 3}).write(scores.data(), {0, 0}, {n_samples, 3});
    }
    comm.barrier();
    const logger log("gwas-test", log_level::warn, comm.rank());
    gwas_options o;
    o.cohort = path;
    o.phenotype = "height";
    o.covariates = {"sex"};
    o.pcs = 2;
    const auto with_pcs = run_gwas(o, comm, log);
    o.pcs = 0;
    const auto without = run_gwas(o, comm, log);
    o.pcs = 4;  // more than /pca/scores has
    EXPECT_THROW(run_gwas(o, comm, log), input_error);
    if (comm.is_root()) {
        EXPECT_EQ(with_pcs.predictors, (std::vector<std::string>{"sex", "PC1", "PC2"}));
        EXPECT_EQ(with_pcs.n_samples, n_samples - 1);  // only the masked sample is dropped (age unused)
        ASSERT_EQ(with_pcs.tests.size(), without.tests.size());
        EXPECT_NE(with_pcs.tests[3].beta, without.tests[3].beta);  // the PCs change the fit
        o.pcs = 2;
        const mpi::communicator self(MPI_COMM_SELF);
        expect_identical(with_pcs, run_gwas(o, self, log));
    }
    comm.barrier();
    if (comm.is_root()) fs::remove(path);
}

TEST(mpi_gwas, bad_input_is_an_input_error_on_every_rank) {
    mpi::communicator comm(MPI_COMM_WORLD);
    const fs::path path = make_cohort(comm);
    const logger log("gwas-test", log_level::error, comm.rank());
    gwas_options o;
    o.cohort = path;
    o.phenotype = "nope";
    EXPECT_THROW(run_gwas(o, comm, log), input_error);
    o.phenotype = "height";
    o.model = gwas_model::logistic;
    EXPECT_THROW(run_gwas(o, comm, log), input_error);
    o.model = gwas_model::automatic;
    o.pcs = 2;
    EXPECT_THROW(run_gwas(o, comm, log), input_error);
    o.pcs = 0;
    o.covariates = {"weight"};
    EXPECT_THROW(run_gwas(o, comm, log), input_error);
    o.covariates = {};
    o.phenotype = "unmeasured";  // no usable samples
    EXPECT_THROW(run_gwas(o, comm, log), input_error);
    comm.barrier();
    if (comm.is_root()) fs::remove(path);
}

}  // namespace precis::model
