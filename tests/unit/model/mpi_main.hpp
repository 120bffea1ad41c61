#pragma once
// main() of the model MPI tests: gtest under MPI, results printed by rank 0, failure on any rank fails.
#include <gtest/gtest.h>
#include <mpi.h>

#define PRECIS_MPI_TEST_MAIN                                                                                   \
    int main(int argc, char** argv) {                                                                          \
        ::testing::InitGoogleTest(&argc, argv);                                                                \
        MPI_Init(&argc, &argv);                                                                                \
        int rank = 0;                                                                                          \
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);                                                                  \
        if (rank != 0)                                                                                         \
            delete ::testing::UnitTest::GetInstance()->listeners().Release(                                    \
                ::testing::UnitTest::GetInstance()->listeners().default_result_printer());                     \
        int failed = RUN_ALL_TESTS();                                                                          \
        int any_failed = 0;                                                                                    \
        MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);                              \
        MPI_Finalize();                                                                                        \
        return any_failed;                                                                                     \
    }
