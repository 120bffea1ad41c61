// precis pca at 1, 2 and 4 ranks: randomized SVD against Eigen's exact SVD, and the same PCs from a
// sharded run as from a one-rank run of the same data (1e-8).
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <random>

#include "cohort_fixture.hpp"
#include "precis/core/error.hpp"
#include "precis/mpi/partition.hpp"
#include "precis/model/pca.hpp"

namespace precis::model {

namespace {

// A dense matrix split by columns like the genotype shards.
class dense_shard : public sharded_matrix {
public:
    dense_shard(const Eigen::MatrixXd& full, int parts, int part)
        : m_cols(full.cols()), m_range(mpi::block_range(full.cols(), parts, part)),
          m_local(full.middleCols(m_range.begin, m_range.size())) {}
    std::int64_t rows() const override { return m_local.rows(); }
    std::int64_t cols() const override { return m_cols; }
    std::int64_t col_offset() const override { return m_range.begin; }
    std::int64_t local_cols() const override { return m_range.size(); }
    void multiply(const Eigen::MatrixXd& r, Eigen::MatrixXd& out) const override { out = m_local * r; }
    void multiply_transposed(const Eigen::MatrixXd& l, Eigen::MatrixXd& out) const override { out = m_local.transpose() * l; }

private:
    std::int64_t m_cols;
    mpi::index_range m_range;
    Eigen::MatrixXd m_local;
};

Eigen::MatrixXd low_rank_plus_noise(int rows, int cols) {
    std::mt19937_64 rng(42);
    std::normal_distribution<double> n01;
    Eigen::MatrixXd a(rows, 4), b(4, cols), noise(rows, cols);
    for (int i = 0; i < a.size(); ++i) a.data()[i] = n01(rng);
    for (int i = 0; i < b.size(); ++i) b.data()[i] = n01(rng);
    for (int i = 0; i < noise.size(); ++i) noise.data()[i] = 0.01 * n01(rng);
    Eigen::Vector4d s(40, 20, 10, 5);
    return a * s.asDiagonal() * b + noise;
}

}  // namespace

TEST(randomized_svd, matches_eigen_exact_svd) {
    mpi::communicator comm(MPI_COMM_WORLD);
    const Eigen::MatrixXd x = low_rank_plus_noise(80, 57);
    Eigen::JacobiSVD<Eigen::MatrixXd> exact(x, Eigen::ComputeThinU | Eigen::ComputeThinV);
    dense_shard shard(x, comm.size(), comm.rank());
    svd_result r = randomized_svd(shard, 4, 6, 3, 7, comm);
    for (int c = 0; c < 4; ++c) {
        EXPECT_NEAR(r.singular_values(c), exact.singularValues()(c), 1e-9 * exact.singularValues()(c)) << "component " << c;
        EXPECT_NEAR(std::abs(r.left.col(c).dot(exact.matrixU().col(c))), 1.0, 1e-9);
        Eigen::VectorXd v = exact.matrixV().col(c).segment(shard.col_offset(), shard.local_cols());
        EXPECT_LT((r.right_local.col(c) - v * (r.right_local.col(c).dot(v) < 0 ? -1.0 : 1.0)).cwiseAbs().maxCoeff(), 1e-8);
    }
    EXPECT_THROW(randomized_svd(shard, 58, 0, 1, 1, comm), input_error);
}

TEST(randomized_svd, sharded_equals_single_process) {
    mpi::communicator comm(MPI_COMM_WORLD), self(MPI_COMM_SELF);
    const Eigen::MatrixXd x = low_rank_plus_noise(120, 75);
    svd_result one = randomized_svd(dense_shard(x, 1, 0), 3, 5, 2, 11, self);
    dense_shard shard(x, comm.size(), comm.rank());
    svd_result many = randomized_svd(shard, 3, 5, 2, 11, comm);
    EXPECT_LT((one.singular_values - many.singular_values).cwiseAbs().maxCoeff(), 1e-8);
    EXPECT_LT((one.left - many.left).cwiseAbs().maxCoeff(), 1e-8);
    EXPECT_LT((one.right_local.middleRows(shard.col_offset(), shard.local_cols()) - many.right_local).cwiseAbs().maxCoeff(), 1e-8);
}

TEST(pca, cohort_pcs_identical_across_rank_counts) {
    mpi::communicator comm(MPI_COMM_WORLD), self(MPI_COMM_SELF);
    // Two populations with different allele frequencies at every variant, some missing calls.
    const std::int64_t nv = 1500, ns = 90;
    auto dosage = [](std::int64_t v, std::int64_t s) -> std::int8_t {
        std::uint64_t h = static_cast<std::uint64_t>(v * 2654435761 + s * 40503 + 17) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 31;
        const double u1 = static_cast<double>(h & 0xffff) / 65536.0, u2 = static_cast<double>((h >> 16) & 0xffff) / 65536.0;
        if (((h >> 40) & 0xff) < 3) return -1;
        const double p = s < 50 ? 0.1 + 0.8 * static_cast<double>(v % 13) / 13 : 0.9 - 0.8 * static_cast<double>(v % 7) / 7;
        return static_cast<std::int8_t>((u1 < p) + (u2 < p));
    };
    auto path = testing::make_cohort(comm, "pca", nv, ns, dosage);
    logger log("test", log_level::warn, comm.rank());
    pca_options o;
    o.k = 4;
    o.block_rows = 700;
    pca_model many, one;
    {
        auto cohort = h5::cohort_reader::open(path, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
        many = run_pca(cohort, o, comm, log);
        o.k = 91;
        EXPECT_THROW(run_pca(cohort, o, comm, log), input_error);
        o.k = 4;
    }
    comm.barrier();
    {
        auto cohort = h5::cohort_reader::open(path, MPI_COMM_NULL);
        one = run_pca(cohort, o, self, log);
    }
    ASSERT_EQ(one.scores.size(), many.scores.size());
    for (std::size_t i = 0; i < one.scores.size(); ++i) ASSERT_NEAR(one.scores[i], many.scores[i], 1e-8) << i;
    for (std::size_t i = 0; i < one.loadings.size(); ++i) ASSERT_NEAR(one.loadings[i], many.loadings[i], 1e-8) << i;
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(one.eigenvalues[c], many.eigenvalues[c], 1e-8 * one.eigenvalues[c]);
    // PC1 separates the two populations.
    double m0 = 0, m1 = 0;
    for (std::int64_t s = 0; s < ns; ++s) (s < 50 ? m0 : m1) += many.scores[static_cast<std::size_t>(s * 4)];
    EXPECT_GT(std::abs(m0 / 50 - m1 / 40), 0.1);
    EXPECT_GT(many.eigenvalues[0], 5 * many.eigenvalues[1]);
    // Write, read back, and the scores are the loadings applied to the standardised genotypes.
    write_pca(path, many, o, "test", comm);
    {
        auto cohort = h5::cohort_reader::open(path, MPI_COMM_NULL);
        pca_model back = read_pca(cohort);
        EXPECT_EQ(back.scores, many.scores);
        EXPECT_EQ(back.k, 4);
        for (std::int64_t s : {0, 49, 50, 89}) {
            double score = 0;
            for (std::int64_t v = 0; v < nv; ++v) {
                const auto vi = static_cast<std::size_t>(v);
                const std::int8_t d = dosage(v, s);
                if (d >= 0) score += (d - back.variant_mean[vi]) * back.variant_scale[vi] * back.loadings[vi * 4 + 1];
            }
            EXPECT_NEAR(score, back.scores[static_cast<std::size_t>(s * 4 + 1)], 1e-9);
        }
    }
    comm.barrier();
    if (comm.is_root()) std::filesystem::remove(path);
}

}  // namespace precis::model
