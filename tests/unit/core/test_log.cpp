#include <gtest/gtest.h>

#include "precis/core/error.hpp"
#include "precis/core/log.hpp"

namespace precis {

TEST(log, parses_levels_and_rejects_others) {
    EXPECT_EQ(parse_log_level("debug"), log_level::debug);
    EXPECT_EQ(parse_log_level("warn"), log_level::warn);
    EXPECT_THROW(parse_log_level("loud"), input_error);
}

TEST(log, info_only_on_rank_zero_warnings_everywhere) {
    logger root("test", log_level::info, 0);
    logger other("test", log_level::info, 3);
    EXPECT_TRUE(root.enabled(log_level::info));
    EXPECT_FALSE(root.enabled(log_level::debug));
    EXPECT_FALSE(other.enabled(log_level::info));
    EXPECT_TRUE(other.enabled(log_level::warn));
    logger quiet("test", log_level::warn, 0);
    EXPECT_FALSE(quiet.enabled(log_level::info));
}

TEST(log, writes_one_prefixed_line) {
    logger log("convert", log_level::info, 2);
    testing::internal::CaptureStderr();
    log.warn("record ", 12, " skipped");
    std::string text = testing::internal::GetCapturedStderr();
    EXPECT_NE(text.find("[precis convert "), std::string::npos) << text;
    EXPECT_NE(text.find("rank 2] warning: record 12 skipped\n"), std::string::npos) << text;
}

}  // namespace precis
