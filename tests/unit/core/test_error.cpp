#include <gtest/gtest.h>

#include <boost/program_options/errors.hpp>

#include "precis/core/error.hpp"

namespace precis {

TEST(error, input_error_names_file_place_and_fault) {
    auto e = input_error::at("a.vcf", "line 12", "GT has 3 alleles");
    EXPECT_STREQ(e.what(), "a.vcf: line 12: GT has 3 alleles");
    EXPECT_STREQ(input_error::at("a.tsv", "", "empty").what(), "a.tsv: empty");
}

TEST(error, exit_codes_follow_the_contract) {
    EXPECT_EQ(exit_code_for(input_error("bad")), 2);
    EXPECT_EQ(exit_code_for(boost::program_options::unknown_option("--nope")), 2);
    EXPECT_EQ(exit_code_for(runtime_failure("disk full")), 1);
    EXPECT_EQ(exit_code_for(std::runtime_error("other")), 1);
}

}  // namespace precis
