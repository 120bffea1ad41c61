#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "precis/core/error.hpp"
#include "precis/h5/cohort.hpp"

namespace fs = std::filesystem;
using namespace precis::h5;

// Writer -> reader with two row blocks, one crossing a tile boundary, and sample-range reads.
TEST(Cohort, WriterReaderRoundTrip) {
    fs::path dir = fs::temp_directory_path() / ("precis_test_cohort_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path path = dir / "c.h5";
    cohort_layout layout;
    const std::int64_t ns = 1100, nv = 1030;  // crosses one tile edge in both dimensions
    for (std::int64_t s = 0; s < ns; ++s) layout.samples.push_back(std::string("S").append(std::to_string(s)));
    layout.contigs = {{"chr1", 5000}, {"chrM", -1}};
    layout.n_variants = nv;
    layout.id_width = 5;
    layout.ref_width = 3;
    layout.alt_width = 1;
    layout.command = "test";
    layout.source = "memory";
    auto dosage_of = [](std::int64_t v, std::int64_t s) { return static_cast<std::int8_t>((v * 7 + s) % 4 - 1); };
    {
        cohort_writer w(path, MPI_COMM_NULL, layout);
        for (std::int64_t first : {std::int64_t{0}, std::int64_t{1024}}) {
            std::int64_t n = first == 0 ? 1024 : nv - 1024;
            variant_rows rows;
            std::vector<std::int8_t> dosage(n * ns), flags(n * ns);
            for (std::int64_t i = 0; i < n; ++i) {
                std::int64_t v = first + i;
                rows.push_back(v < 1000 ? "chr1" : "chrM", v % 2 ? std::string(".") : std::string("rs").append(std::to_string(v % 100)), "ACG",
                               "T", v + 1);
                for (std::int64_t s = 0; s < ns; ++s) {
                    dosage[i * ns + s] = dosage_of(v, s);
                    flags[i * ns + s] = static_cast<std::int8_t>(s % 8);
                }
            }
            w.write_variants(first, rows);
            w.write_genotypes(first, n, dosage.data(), flags.data());
        }
        std::vector<double> bmi(ns, 20.0);
        bmi[3] = std::nan("");
        w.write_sample_values("phenotypes", "bmi", bmi);
        w.write_sample_values("covariates", "age", std::vector<double>(ns, 50.0));
        EXPECT_THROW(w.write_sample_values("covariates", "short", {1.0}), precis::runtime_failure);
        w.close();
    }
    cohort_reader r = cohort_reader::open(path);
    EXPECT_EQ(r.attribute("format"), "precis-cohort");
    EXPECT_EQ(r.attribute("format_version"), "1.0");
    EXPECT_EQ(r.attribute("source"), "memory");
    EXPECT_EQ(r.n_variants(), nv);
    EXPECT_EQ(r.n_samples(), ns);
    EXPECT_EQ(r.samples()[1099], "S1099");
    ASSERT_EQ(r.contigs().size(), 2u);
    EXPECT_EQ(r.contigs()[1].name, "chrM");
    EXPECT_EQ(r.contigs()[1].length, -1);
    auto v = r.read_variants({1020, 1030});
    EXPECT_EQ(v.chrom[0], "chrM");
    EXPECT_EQ(v.pos[0], 1021);
    EXPECT_EQ(v.id[0], "rs20");
    EXPECT_EQ(v.id[1], ".");
    EXPECT_EQ(v.ref[9], "ACG");
    std::vector<std::int8_t> block(10 * 200), flags(10 * 200);
    r.read_dosage({1020, 1030}, {900, 1100}, block.data());
    r.read_gt_flags({1020, 1030}, {900, 1100}, flags.data());
    for (std::int64_t i = 0; i < 10; ++i)
        for (std::int64_t s = 0; s < 200; ++s) {
            ASSERT_EQ(block[i * 200 + s], dosage_of(1020 + i, 900 + s));
            ASSERT_EQ(flags[i * 200 + s], (900 + s) % 8);
        }
    EXPECT_EQ(r.phenotype_names(), std::vector<std::string>{"bmi"});
    EXPECT_EQ(r.covariate_names(), std::vector<std::string>{"age"});
    auto bmi = r.phenotype("bmi");
    EXPECT_TRUE(std::isnan(bmi[3]));
    EXPECT_EQ(bmi[4], 20.0);
    EXPECT_THROW(r.phenotype("height"), precis::input_error);
    EXPECT_THROW(r.read_dosage({0, nv + 1}, {0, 1}, block.data()), precis::runtime_failure);
}

// A cohort whose /variants datasets disagree with /calldata/dosage (a damaged or hand-edited file) is
// refused on opening, naming the dataset: an input error, not a read beyond an extent later.
TEST(Cohort, ShapesAreCheckedOnOpening) {
    fs::path dir = fs::temp_directory_path() / ("precis_test_cohort_shapes_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path path = dir / "c.h5";
    cohort_layout layout;
    layout.samples = {"A", "B"};
    layout.contigs = {{"chr1", 5000}};
    layout.n_variants = 3;
    layout.id_width = layout.ref_width = layout.alt_width = 1;
    {
        cohort_writer w(path, MPI_COMM_NULL, layout);
        variant_rows rows;
        for (std::int64_t v = 0; v < 3; ++v) rows.push_back("chr1", ".", "A", "T", v + 1);
        std::vector<std::int8_t> dosage(6, 1), flags(6, 0);
        w.write_variants(0, rows);
        w.write_genotypes(0, 3, dosage.data(), flags.data());
        w.close();
    }
    EXPECT_NO_THROW(cohort_reader::open(path));
    {  // /variants/pos one value short
        hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        ASSERT_GE(f, 0);
        ASSERT_GE(H5Ldelete(f, "/variants/pos", H5P_DEFAULT), 0);
        hsize_t n = 2;
        hid_t space = H5Screate_simple(1, &n, nullptr);
        hid_t d = H5Dcreate2(f, "/variants/pos", H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        ASSERT_GE(d, 0);
        H5Dclose(d), H5Sclose(space), H5Fclose(f);
    }
    try {
        cohort_reader::open(path);
        ADD_FAILURE() << "a short /variants/pos was accepted";
    } catch (const precis::input_error& e) {
        EXPECT_NE(std::string(e.what()).find("/variants/pos has 2 values, /calldata/dosage 3 rows"), std::string::npos) << e.what();
    }
    fs::remove_all(dir);
}

// Positions below 1 or out of order (only a hand-edited file has them) are refused when rows are read,
// naming the dataset element, so export never writes an invalid VCF and qc/score never report them.
TEST(Cohort, PositionsAreCheckedOnReading) {
    fs::path dir = fs::temp_directory_path() / ("precis_test_cohort_pos_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto write = [&](const fs::path& path, std::vector<std::int64_t> pos) {
        cohort_layout layout;
        layout.samples = {"A"};
        layout.contigs = {{"chr1", 5000}, {"chr2", 5000}};
        layout.n_variants = 3;
        layout.id_width = layout.ref_width = layout.alt_width = 1;
        cohort_writer w(path, MPI_COMM_NULL, layout);
        variant_rows rows;
        rows.push_back("chr1", ".", "A", "T", pos[0]);
        rows.push_back("chr1", ".", "A", "T", pos[1]);
        rows.push_back("chr2", ".", "A", "T", pos[2]);
        std::vector<std::int8_t> dosage(3, 1), flags(3, 0);
        w.write_variants(0, rows);
        w.write_genotypes(0, 3, dosage.data(), flags.data());
        w.close();
    };
    auto message = [](const fs::path& path) -> std::string {
        try {
            cohort_reader::open(path).read_variants({0, 3});
        } catch (const precis::input_error& e) {
            return e.what();
        }
        return "accepted";
    };
    write(dir / "ok.h5", {7, 9, 2});  // a new contig starts again from low positions
    EXPECT_EQ(message(dir / "ok.h5"), "accepted");
    write(dir / "zero.h5", {7, 9, 0});
    EXPECT_NE(message(dir / "zero.h5").find("/variants/pos[2] = 0 is not a position"), std::string::npos)
        << message(dir / "zero.h5");
    write(dir / "order.h5", {9, 7, 2});
    EXPECT_NE(message(dir / "order.h5").find("/variants/pos[1] = 7 comes after 9 on chr1"), std::string::npos)
        << message(dir / "order.h5");
    fs::remove_all(dir);
}
