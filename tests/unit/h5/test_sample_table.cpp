#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "precis/core/error.hpp"
#include "precis/h5/sample_table.hpp"

namespace fs = std::filesystem;
using precis::h5::read_sample_table;

namespace {

fs::path write_tsv(const std::string& name, const std::string& text) {
    fs::path dir = fs::temp_directory_path() / ("precis_test_tsv_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / name) << text;
    return dir / name;
}

std::string error_of(const fs::path& path) {
    try {
        read_sample_table(path, {"A", "B", "C"});
    } catch (const precis::input_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(SampleTable, AlignsToSamplesWithMissingValues) {
    auto path = write_tsv("ok.tsv", "#IID\tdisease\tbmi\r\nC\t1\t22.5\nZ\t0\t1\nA\tNA\t.\n\nB\t0\t\n");
    auto t = read_sample_table(path, {"A", "B", "C", "D"});
    ASSERT_EQ(t.names, (std::vector<std::string>{"disease", "bmi"}));
    EXPECT_TRUE(std::isnan(t.values[0][0]));
    EXPECT_EQ(t.values[0][1], 0);
    EXPECT_EQ(t.values[0][2], 1);
    EXPECT_TRUE(std::isnan(t.values[0][3]));
    EXPECT_EQ(t.values[1][2], 22.5);
    EXPECT_TRUE(std::isnan(t.values[1][1]));
    EXPECT_EQ(t.unknown_samples, 1);
    EXPECT_EQ(t.missing_samples, 1);
}

TEST(SampleTable, ErrorsNameFileLineAndColumn) {
    auto bad = write_tsv("bad_value.tsv", "sample_id\tdisease\tbmi\nA\t1\t2\nB\t0\tmaybe\n");
    EXPECT_EQ(error_of(bad), bad.string() + ": line 3, column 3 (bmi): not a finite number: 'maybe'");
    auto columns = write_tsv("columns.tsv", "sample_id\tdisease\nA\t1\t7\n");
    EXPECT_EQ(error_of(columns), columns.string() + ": line 2: 3 fields, the header has 2");
    auto dup = write_tsv("dup.tsv", "IID\tdisease\nA\t1\nA\t0\n");
    EXPECT_NE(error_of(dup).find("dup.tsv: line 3, column 1: duplicate sample 'A'"), std::string::npos);
    auto header = write_tsv("noheader.tsv", "A\t1\nB\t0\n");
    EXPECT_NE(error_of(header).find("noheader.tsv: line 1, column 1: no header"), std::string::npos);
    auto empty = write_tsv("empty.tsv", "");
    EXPECT_NE(error_of(empty).find("empty.tsv: line 1: no header"), std::string::npos);
    auto slash = write_tsv("slash.tsv", "sample\ta/b\nA\t1\n");
    EXPECT_NE(error_of(slash).find("line 1, column 2: invalid column name 'a/b'"), std::string::npos);
    auto inf = write_tsv("inf.tsv", "sample\tx\nA\tinf\n");
    EXPECT_NE(error_of(inf).find("line 2, column 2 (x)"), std::string::npos);
}
