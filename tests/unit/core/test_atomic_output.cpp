#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace fs = std::filesystem;

namespace precis {

class atomic_output_test : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("precis_atomic_" + std::to_string(::getpid()));
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    fs::path dir;
};

TEST_F(atomic_output_test, final_name_appears_only_on_commit) {
    fs::path final_path = dir / "out.vcf.gz";
    atomic_output out(final_path);
    EXPECT_EQ(out.temp_path().extension(), ".gz");  // format detection by name keeps working
    std::ofstream(out.temp_path()) << "data";
    std::ofstream(out.temp_path().string() + ".tbi") << "index";
    out.add_companion(".tbi");
    EXPECT_FALSE(fs::exists(final_path));
    out.commit();
    EXPECT_TRUE(fs::exists(final_path));
    EXPECT_TRUE(fs::exists(final_path.string() + ".tbi"));
    EXPECT_FALSE(fs::exists(out.temp_path()));
}

TEST_F(atomic_output_test, abandoned_output_leaves_nothing) {
    fs::path final_path = dir / "out.h5";
    fs::path temp;
    {
        atomic_output out(final_path);
        temp = out.temp_path();
        std::ofstream(temp) << "half written";
    }
    EXPECT_FALSE(fs::exists(temp));
    EXPECT_FALSE(fs::exists(final_path));
}

TEST_F(atomic_output_test, input_checks_name_the_file) {
    try {
        require_readable_file(dir / "missing.vcf", "--vcf");
        FAIL() << "no error for a missing file";
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.vcf: no such file"), std::string::npos) << e.what();
    }
    EXPECT_THROW(require_readable_file(dir, "--vcf"), input_error);
    EXPECT_THROW(require_output_dir(dir / "nope" / "x.h5", "--out"), input_error);
    EXPECT_NO_THROW(require_output_dir(dir / "x.h5", "--out"));
}

}  // namespace precis
