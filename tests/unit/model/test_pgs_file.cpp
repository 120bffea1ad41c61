// PGS Catalog scoring files: our writer's output parses back; missing columns and bad rows name the line.
#include <gtest/gtest.h>
#include <htslib/bgzf.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "precis/core/error.hpp"
#include "precis/model/pgs_file.hpp"
#include "precis/model/risk_model.hpp"

namespace precis::model {

namespace {

class pgs_test : public ::testing::Test {
protected:
    void SetUp() override {
        dir = std::filesystem::temp_directory_path() /
              ("precis_pgs_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
               std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::filesystem::path write(const std::string& text) const {
        auto path = dir / "score.txt";
        std::ofstream(path) << text;
        return path;
    }
    std::filesystem::path dir;
};

// Writes `text` to `path` compressed through BGZF: mode "wg" gzip, "w" bgzip.
void write_compressed(const std::filesystem::path& path, const std::string& text, const char* mode) {
    BGZF* f = bgzf_open(path.c_str(), mode);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(bgzf_write(f, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ASSERT_EQ(bgzf_close(f), 0);
}

std::string message_of(const std::filesystem::path& p) {
    try {
        read_pgs_file(p);
    } catch (const input_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_F(pgs_test, written_file_reads_back) {
    risk_model m;
    m.phenotype = "disease";
    m.variants = {{"chr1", 100, "A", "G", "G", "A", 0.25, 0.1}, {"chr2", 5, "C", "T", "T", "C", -1.5e-3, 0.4}};
    auto path = dir / "out.txt";
    write_pgs_file(m, path, "PGS_TEST", "GRCh38");
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first.rfind("###PGS CATALOG SCORING FILE", 0), 0u);
    auto s = read_pgs_file(path);
    EXPECT_EQ(s.header.at("pgs_id"), "PGS_TEST");
    EXPECT_EQ(s.header.at("genome_build"), "GRCh38");
    EXPECT_EQ(s.header.at("weight_type"), "beta");
    ASSERT_EQ(s.variants.size(), 2u);
    EXPECT_EQ(s.variants[1].chrom, "chr2");
    EXPECT_EQ(s.variants[1].pos, 5);
    EXPECT_EQ(s.variants[1].effect_allele, "T");
    EXPECT_EQ(s.variants[1].other_allele, "C");
    EXPECT_DOUBLE_EQ(s.variants[1].weight, -1.5e-3);
    EXPECT_DOUBLE_EQ(s.variants[0].effect_frequency, 0.1);
}

TEST_F(pgs_test, written_gz_file_is_compressed_and_reads_back) {
    risk_model m;
    m.phenotype = "disease";
    m.variants = {{"chr1", 100, "A", "G", "G", "A", 0.25, 0.1}, {"chr2", 5, "C", "T", "T", "C", -1.5e-3, 0.4}};
    write_pgs_file(m, dir / "out.txt", "PGS_TEST", "GRCh38");
    write_pgs_file(m, dir / "out.txt.gz", "PGS_TEST", "GRCh38");
    std::ifstream raw(dir / "out.txt.gz", std::ios::binary);
    EXPECT_EQ(raw.get(), 0x1f);
    EXPECT_EQ(raw.get(), 0x8b);
    // Decompressed, the same bytes as the plain file.
    BGZF* f = bgzf_open((dir / "out.txt.gz").c_str(), "r");
    ASSERT_NE(f, nullptr);
    std::string text(1 << 16, '\0');
    const auto n = bgzf_read(f, text.data(), text.size());
    bgzf_close(f);
    ASSERT_GT(n, 0);
    text.resize(static_cast<std::size_t>(n));
    std::ifstream plain(dir / "out.txt");
    EXPECT_EQ(text, std::string(std::istreambuf_iterator<char>(plain), {}));
    const auto s = read_pgs_file(dir / "out.txt.gz");
    ASSERT_EQ(s.variants.size(), 2u);
    EXPECT_EQ(s.header.at("pgs_id"), "PGS_TEST");
    EXPECT_DOUBLE_EQ(s.variants[1].weight, -1.5e-3);
}

TEST_F(pgs_test, catalog_style_file_without_optional_columns) {
    auto s = read_pgs_file(write("###PGS CATALOG SCORING FILE\n#pgs_id=PGS000001\n"
                                 "rsID\tchr_name\tchr_position\teffect_allele\teffect_weight\n"
                                 "rs1\t1\t1000\tA\t0.5\nrs2\t1\t2000\tT\t-0.25\n"));
    ASSERT_EQ(s.variants.size(), 2u);
    EXPECT_TRUE(s.variants[0].other_allele.empty());
    EXPECT_EQ(s.variants[0].effect_frequency, -1);
    EXPECT_EQ(s.header.at("pgs_id"), "PGS000001");
}

TEST_F(pgs_test, errors_name_the_line) {
    EXPECT_NE(message_of(write("#x=1\nchr_name\tchr_position\teffect_allele\nchr1\t5\tA\n")).find("line 2"), std::string::npos);
    EXPECT_NE(message_of(write("#x=1\nchr_name\tchr_position\teffect_allele\nchr1\t5\tA\n")).find("effect_weight"),
              std::string::npos);
    EXPECT_NE(message_of(write("chr_name\tchr_position\teffect_allele\teffect_weight\nchr1\t5\tA\tabc\n")).find("line 2"),
              std::string::npos);
    EXPECT_NE(message_of(write("chr_name\tchr_position\teffect_allele\teffect_weight\nchr1\t5\tA\n")).find("3 fields"),
              std::string::npos);
    for (std::string pos : {"1.5", "1e30", "0", "-3"})  // 1.5 read as 1 and 1e30 overflowed before
        EXPECT_NE(message_of(write("chr_name\tchr_position\teffect_allele\teffect_weight\nchr1\t" + pos + "\tA\t0.1\n"))
                      .find("line 2: chr_position '" + pos + "' is not a positive integer"),
                  std::string::npos) << pos;
}

TEST_F(pgs_test, a_second_row_for_a_variant_is_refused) {
    const std::string head = "chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n";
    const std::string rows = "chr1\t100\tG\tA\t0.1\nchr1\t200\tC\tT\t0.2\n";  // lines 2 and 3
    auto refused = [&](const std::string& text, const std::string& want) {
        EXPECT_NE(message_of(write(text)).find(want), std::string::npos) << text << " gave: " << message_of(write(text));
    };
    refused(head + rows + "chr1\t100\tG\tA\t10\n",
            "score.txt: line 4: chr1:100 effect allele G, other allele A repeats the variant of line 2 (duplicate rows: "
            "which weight is right?)");
    refused(head + rows + "chr1\t100\tA\tG\t-0.1\n",
            "line 4: chr1:100 effect allele A, other allele G repeats the variant of line 2 with the alleles swapped");
    // The rows match the same genotypes: contig without "chr", alleles in lower case.
    refused(head + rows + "1\t100\tg\ta\t0.1\n", "line 4: 1:100 effect allele g, other allele a repeats the variant of line 2");
    // A row without other allele matches every row with its effect allele.
    refused(head + rows + "chr1\t200\tC\t\t0.2\n", "line 4: chr1:200 effect allele C repeats the variant of line 3");
    refused("chr_name\tchr_position\teffect_allele\teffect_weight\nchr1\t5\tA\t1\nchr1\t5\tA\t1\n",
            "line 3: chr1:5 effect allele A repeats the variant of line 2");
    // Of several, the pair whose second row comes first.
    refused(head + rows + "chr1\t300\tC\tT\t1\nchr1\t200\tC\tT\t1\nchr1\t100\tG\tA\t1\n",
            "line 5: chr1:200 effect allele C, other allele T repeats the variant of line 3");
    // Other effect alleles at one position (multi-allelic), other other alleles, other sites: one row each.
    const auto s = read_pgs_file(write(head + rows + "chr1\t100\tT\tA\t0.3\nchr1\t100\tG\tT\t0.4\nchr2\t100\tG\tA\t0.5\n"
                                                     "chr1\t101\tG\tA\t0.6\nchr1\t100\tC\t\t0.7\n"));
    EXPECT_EQ(s.variants.size(), 7u);
    EXPECT_EQ(read_pgs_file(write("chr_name\tchr_position\teffect_allele\teffect_weight\nchr1\t5\tA\t1\nchr1\t5\tC\t1\n"))
                  .variants.size(),
              2u);
}

TEST_F(pgs_test, gzip_and_bgzip_files_read_as_the_plain_file) {
    const std::string text = "###PGS CATALOG SCORING FILE\n#pgs_id=PGS000001\n#genome_build=GRCh38\n"
                             "chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\tallelefrequency_effect\n"
                             "chr1\t1000\tA\tG\t0.5\t0.1\n2\t2000\tT\tC\t-0.25\t\n";
    const auto plain = read_pgs_file(write(text));
    ASSERT_EQ(plain.variants.size(), 2u);
    for (const char* mode : {"wg", "w"}) {
        const auto path = dir / (std::string(mode) + ".txt.gz");
        write_compressed(path, text, mode);
        std::ifstream raw(path, std::ios::binary);
        ASSERT_EQ(raw.get(), 0x1f) << mode;  // compressed on disk, not text
        const auto s = read_pgs_file(path);
        EXPECT_EQ(s.header, plain.header) << mode;
        ASSERT_EQ(s.variants.size(), plain.variants.size()) << mode;
        for (std::size_t i = 0; i < s.variants.size(); ++i) {
            EXPECT_EQ(s.variants[i].chrom, plain.variants[i].chrom);
            EXPECT_EQ(s.variants[i].pos, plain.variants[i].pos);
            EXPECT_EQ(s.variants[i].effect_allele, plain.variants[i].effect_allele);
            EXPECT_EQ(s.variants[i].other_allele, plain.variants[i].other_allele);
            EXPECT_EQ(s.variants[i].weight, plain.variants[i].weight);
            EXPECT_EQ(s.variants[i].effect_frequency, plain.variants[i].effect_frequency);
        }
    }
    // Errors of a compressed file name its lines as in the plain one.
    write_compressed(dir / "bad.txt.gz", text + "chr1\t3000\tA\tG\tabc\t0.1\n", "wg");
    EXPECT_NE(message_of(dir / "bad.txt.gz").find("bad.txt.gz: line 7: effect_weight 'abc' is not a number"), std::string::npos);
}

TEST_F(pgs_test, other_compression_and_truncated_gzip_are_refused) {
    EXPECT_NE(message_of(write(std::string("\xfd" "7zXZ\0junk", 10))).find("score.txt: compressed with xz; decompress it"),
              std::string::npos);
    EXPECT_NE(message_of(write("BZh91AY&SYjunk")).find("score.txt: compressed with bzip2"), std::string::npos);
    std::string text = "chr_name\tchr_position\teffect_allele\teffect_weight\n";
    for (int i = 1; i <= 20000; ++i) text += "chr1\t" + std::to_string(i) + "\tA\t0.5\n";
    const auto path = dir / "cut.txt.gz";
    write_compressed(path, text, "wg");
    std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
    // Not the part of a line read before the failure: the read error itself.
    const auto message = message_of(path);
    EXPECT_NE(message.find("cut.txt.gz: line "), std::string::npos) << message;
    EXPECT_NE(message.find(": read error (a truncated or corrupt compressed file?)"), std::string::npos) << message;
}

TEST_F(pgs_test, effect_frequency_outside_0_1_is_refused) {
    const std::string head = "chr_name\tchr_position\teffect_allele\teffect_weight\tallelefrequency_effect\n";
    for (const std::string f : {"1.5", "-0.5", "1.0000001"})
        EXPECT_NE(message_of(write(head + "chr1\t5\tA\t0.1\t0.2\nchr1\t6\tA\t0.1\t" + f + "\n"))
                      .find("score.txt: line 3: allelefrequency_effect '" + f + "' must be in [0, 1]"),
                  std::string::npos)
            << f;
    for (const std::string f : {"inf", "-inf", "nan"})
        EXPECT_NE(message_of(write(head + "chr1\t5\tA\t0.1\t" + f + "\n")).find("line 2: allelefrequency_effect '" + f + "' is not finite"),
                  std::string::npos)
            << f;
    // The bounds are frequencies; an empty field is an unknown frequency (-1), as before.
    auto s = read_pgs_file(write(head + "chr1\t5\tA\t0.1\t0\nchr1\t6\tA\t0.1\t1\nchr1\t7\tA\t0.1\t\n"));
    ASSERT_EQ(s.variants.size(), 3u);
    EXPECT_EQ(s.variants[0].effect_frequency, 0);
    EXPECT_EQ(s.variants[1].effect_frequency, 1);
    EXPECT_EQ(s.variants[2].effect_frequency, -1);
}

TEST_F(pgs_test, model_round_trip_and_version_check) {
    risk_model m;
    m.phenotype = "disease";
    m.variants = {{"chr1", 100, "A", "G", "G", "A", 0.25, 0.1}};
    m.lambda = {0.1, 0.05};
    m.chosen_index = 1;
    m.reference_scores = {-1, 0, 1};
    m.reference_sd = 1;
    m.calibration = {0.1, 0.9, true};
    m.covariate_names = {"age"};
    m.covariate_weights = {0.02};
    m.covariate_mean = {50};
    m.covariate_sd = {10};
    write_model(m, dir / "m.h5");
    auto r = read_model(dir / "m.h5");
    ASSERT_EQ(r.variants.size(), 1u);
    EXPECT_EQ(r.variants[0].effect_allele, "G");
    EXPECT_DOUBLE_EQ(r.variants[0].weight, 0.25);
    EXPECT_DOUBLE_EQ(r.calibration.slope, 0.9);
    EXPECT_EQ(r.covariate_names, m.covariate_names);
    EXPECT_EQ(r.reference_scores, m.reference_scores);
    EXPECT_DOUBLE_EQ(percentile(r.reference_scores, 0.0), 50.0);
    EXPECT_DOUBLE_EQ(percentile(r.reference_scores, 5.0), 100.0);
    EXPECT_THROW(read_model(write("not hdf5")), input_error);
}

TEST_F(pgs_test, model_values_are_checked_on_reading) {
    risk_model good;
    good.variants = {{"chr1", 100, "A", "G", "G", "A", 0.25, 0.1}};
    good.reference_scores = {-1, 0, 1};
    good.calibration = {0.1, 0.9, true};
    write_model(good, dir / "good.h5");
    EXPECT_NO_THROW(read_model(dir / "good.h5"));
    auto refused = [&](auto&& edit, const std::string& text) {
        risk_model m = good;
        edit(m);
        write_model(m, dir / "bad.h5");
        try {
            read_model(dir / "bad.h5");
            ADD_FAILURE() << "accepted: " << text;
        } catch (const input_error& e) {
            EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
        }
    };
    refused([](risk_model& m) { m.variants[0].weight = std::nan(""); }, "/variants/weight 0 is not a finite number");
    refused([](risk_model& m) { m.variants[0].pos = 0; }, "/variants/pos 0");
    refused([](risk_model& m) { m.reference_scores.clear(); }, "/reference/scores is empty");
    refused([](risk_model& m) { m.reference_scores = {1, 0}; }, "sorted ascending");
    refused([](risk_model& m) { m.family = "poisson"; }, "unknown family 'poisson'");
    refused([](risk_model& m) { m.intercept = std::numeric_limits<double>::infinity(); }, "intercept");
    refused([](risk_model& m) { m.calibration.slope = std::nan(""); }, "/calibration");
    refused([](risk_model& m) { m.test_auc.auc = 7; }, "/metrics auc");
    refused([](risk_model& m) { m.covariate_names = {"age"}; }, "/covariates datasets differ in length");
}

}  // namespace precis::model
