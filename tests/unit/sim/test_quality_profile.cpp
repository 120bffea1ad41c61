#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "precis/core/error.hpp"
#include "precis/sim/quality_profile.hpp"

namespace fs = std::filesystem;

namespace precis::sim {

class quality_profile_test : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("precis_qprofile_" + std::to_string(::getpid()));
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    fs::path write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
        return dir / name;
    }
    fs::path dir;
};

TEST_F(quality_profile_test, learns_per_cycle_distributions) {
    // Cycle 0 is always Q40 ('I'); cycle 1 is Q10 ('+') in 1 read of 4 and Q30 ('?') otherwise.
    std::string text;
    for (int i = 0; i < 400; ++i) text += "@r" + std::to_string(i) + "\nAC\n+\nI" + (i % 4 == 0 ? "+" : "?") + "\n";
    auto profile = quality_profile::learn(write("q.fq", text));
    EXPECT_EQ(profile.reads(), 400);
    EXPECT_EQ(profile.cycles(), 2);
    EXPECT_DOUBLE_EQ(profile.mean(0), 40.0);
    EXPECT_DOUBLE_EQ(profile.mean(1), 25.0);
    EXPECT_DOUBLE_EQ(profile.mean(7), 25.0);  // past the learned length: the last cycle
    rng r(1);
    int low = 0;
    for (int i = 0; i < 10000; ++i) {
        EXPECT_EQ(profile.draw(r, 0), 40);
        int q = profile.draw(r, 1);
        ASSERT_TRUE(q == 10 || q == 30) << q;
        low += q == 10;
    }
    EXPECT_NEAR(low / 10000.0, 0.25, 0.02);
}

TEST_F(quality_profile_test, malformed_or_empty_fastq_is_an_input_error) {
    try {
        quality_profile::learn(write("bad.fq", "@a\nACGT\n+\nIIII\n@b\nACGT\n+\nII\n"));
        FAIL() << "accepted a truncated record";
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("bad.fq: record 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(quality_profile::learn(write("empty.fq", "")), input_error);
    EXPECT_THROW(quality_profile::learn(dir / "missing.fq"), input_error);
}

}  // namespace precis::sim
