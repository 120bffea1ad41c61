#include <gtest/gtest.h>

#include "precis/mpi/partition.hpp"

namespace precis::mpi {

TEST(partition, blocks_cover_everything_once_and_differ_by_at_most_one) {
    for (std::int64_t n : {0, 1, 7, 100, 1001})
        for (int parts : {1, 2, 3, 4, 16}) {
            std::int64_t next = 0;
            for (int p = 0; p < parts; ++p) {
                auto r = block_range(n, parts, p);
                EXPECT_EQ(r.begin, next);
                EXPECT_GE(r.size(), n / parts);
                EXPECT_LE(r.size(), n / parts + 1);
                next = r.end;
            }
            EXPECT_EQ(next, n);
        }
}

TEST(partition, weighted_boundaries_balance_weight) {
    std::vector<double> w = {10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  // total 20
    auto b = weighted_boundaries(w, 2);
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0], 0);
    EXPECT_EQ(b[1], 1);  // the heavy first item alone is half the weight
    EXPECT_EQ(b[2], 11);
}

TEST(partition, weighted_boundaries_are_monotone_with_more_parts_than_items) {
    std::vector<double> w = {5, 5};
    auto b = weighted_boundaries(w, 4);
    ASSERT_EQ(b.size(), 5u);
    for (std::size_t i = 1; i < b.size(); ++i) EXPECT_LE(b[i - 1], b[i]);
    EXPECT_EQ(b.front(), 0);
    EXPECT_EQ(b.back(), 2);
}

TEST(partition, zero_weights_fall_back_to_equal_blocks) {
    std::vector<double> w(8, 0.0);
    auto b = weighted_boundaries(w, 4);
    EXPECT_EQ(b, (std::vector<std::int64_t>{0, 2, 4, 6, 8}));
}

}  // namespace precis::mpi
