#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
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

// A run ended by SIGTERM (Slurm's time limit, scancel) skips destructors: the handler removes the
// temporaries still registered, and the process still ends by the signal. Committed files stay.
TEST_F(atomic_output_test, signal_removes_temporaries) {
    fs::path kept = dir / "kept.tsv", pending = dir / "pending.vcf.gz";
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        install_signal_cleanup();
        atomic_output done(kept);
        std::ofstream(done.temp_path()) << "complete";
        done.commit();
        atomic_output out(pending);
        std::ofstream(out.temp_path()) << "half written";
        std::ofstream(out.temp_path().string() + ".tbi") << "index";
        out.add_companion(".tbi");
        std::raise(SIGTERM);
        std::_Exit(0);  // not reached
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{"kept.tsv"});
}

TEST_F(atomic_output_test, refuses_a_pipe_under_the_output_name) {
    fs::path pipe = dir / "out.vcf";
    ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
    EXPECT_THROW(require_output_dir(pipe, "--out"), input_error);
    EXPECT_THROW(atomic_output{pipe}, input_error);
    EXPECT_TRUE(fs::is_fifo(pipe));
}

}  // namespace precis
