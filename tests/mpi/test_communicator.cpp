// Collectives of precis::mpi::communicator at any rank count; run under mpiexec at 1, 2 and 4 ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#include "precis/mpi/communicator.hpp"
#include "precis/mpi/partition.hpp"

namespace precis::mpi {

TEST(communicator, reductions_and_prefix_sums_agree_with_closed_forms) {
    communicator comm(MPI_COMM_WORLD);
    const std::int64_t r = comm.rank(), n = comm.size();
    EXPECT_EQ(comm.sum(r + 1), n * (n + 1) / 2);
    EXPECT_DOUBLE_EQ(comm.sum(0.5), 0.5 * n);
    EXPECT_EQ(comm.max(r), n - 1);
    EXPECT_EQ(comm.min(r), 0);
    EXPECT_EQ(comm.exclusive_prefix_sum(r + 1), r * (r + 1) / 2);
    auto all = comm.all_gather(10 * r);
    ASSERT_EQ(static_cast<std::int64_t>(all.size()), n);
    for (std::int64_t i = 0; i < n; ++i) EXPECT_EQ(all[i], 10 * i);
    EXPECT_EQ(comm.any(r == n - 1), true);
    EXPECT_EQ(comm.any(false), false);
}

TEST(communicator, broadcast_sends_rank_zero_values) {
    communicator comm(MPI_COMM_WORLD);
    std::string text = comm.is_root() ? std::string("from rank 0\twith tabs") : std::string("ignored");
    EXPECT_EQ(comm.broadcast(text), "from rank 0\twith tabs");
    std::vector<std::int64_t> values = comm.is_root() ? std::vector<std::int64_t>{3, 1, 4} : std::vector<std::int64_t>{};
    EXPECT_EQ(comm.broadcast(values), (std::vector<std::int64_t>{3, 1, 4}));
}

TEST(communicator, block_ranges_tile_the_items_across_ranks) {
    communicator comm(MPI_COMM_WORLD);
    const std::int64_t items = 1001;
    auto mine = block_range(items, comm.size(), comm.rank());
    EXPECT_EQ(comm.sum(mine.size()), items);
    EXPECT_EQ(comm.exclusive_prefix_sum(mine.size()), mine.begin);
}

}  // namespace precis::mpi
