// Collectives of precis::mpi::communicator at any rank count; run under mpiexec at 1, 2 and 4 ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#include "precis/core/error.hpp"
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

TEST(communicator, gather_brings_every_rank_string_to_rank_zero_in_rank_order) {
    communicator comm(MPI_COMM_WORLD);
    const std::string mine = std::string(static_cast<std::size_t>(comm.rank()) * 3, '\0') + "rank " + std::to_string(comm.rank());
    const std::vector<std::string> all = comm.gather(mine);
    if (!comm.is_root()) {
        EXPECT_TRUE(all.empty());
        return;
    }
    ASSERT_EQ(static_cast<int>(all.size()), comm.size());
    for (int r = 0; r < comm.size(); ++r)
        EXPECT_EQ(all[static_cast<std::size_t>(r)], std::string(static_cast<std::size_t>(r) * 3, '\0') + "rank " + std::to_string(r));
}

TEST(communicator, run_collectively_gives_every_rank_the_lowest_failing_ranks_error) {
    communicator comm(MPI_COMM_WORLD);
    EXPECT_NO_THROW(throw_if_any_failed(nullptr, comm));
    EXPECT_NO_THROW(run_collectively(comm, [] {}));
    // The upper half of the ranks fail (rank 0 alone at one rank): the first with an input error, the
    // others with runtime failures. Each failing rank keeps its own; the rest get the first one's.
    const int first = comm.size() / 2;
    try {
        run_collectively(comm, [&] {
            if (comm.rank() == first) throw input_error("a.vcf: chr1:5: bad record");
            if (comm.rank() > first) throw runtime_failure("disk full on rank " + std::to_string(comm.rank()));
        });
        ADD_FAILURE() << "rank " << comm.rank() << " did not throw";
    } catch (const input_error& e) {
        EXPECT_LE(comm.rank(), first);
        EXPECT_STREQ(e.what(), "a.vcf: chr1:5: bad record");
    } catch (const runtime_failure& e) {
        EXPECT_GT(comm.rank(), first);
        EXPECT_EQ(std::string(e.what()), "disk full on rank " + std::to_string(comm.rank()));
    }
    // A runtime failure on the last rank reaches the others as a runtime failure.
    try {
        run_collectively(comm, [&] {
            if (comm.rank() == comm.size() - 1) throw runtime_failure("disk full");
        });
        ADD_FAILURE() << "rank " << comm.rank() << " did not throw";
    } catch (const input_error& e) {
        ADD_FAILURE() << "an input error: " << e.what();
    } catch (const runtime_failure& e) {
        EXPECT_STREQ(e.what(), "disk full");
    }
}

TEST(communicator, block_ranges_tile_the_items_across_ranks) {
    communicator comm(MPI_COMM_WORLD);
    const std::int64_t items = 1001;
    auto mine = block_range(items, comm.size(), comm.rank());
    EXPECT_EQ(comm.sum(mine.size()), items);
    EXPECT_EQ(comm.exclusive_prefix_sum(mine.size()), mine.begin);
}

}  // namespace precis::mpi
