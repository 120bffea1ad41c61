// Randomized SVD over column shards (Halko, Martinsson & Tropp 2011).
#include <cmath>

#include "precis/core/error.hpp"
#include "precis/model/pca.hpp"

namespace precis::model {

namespace {

std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A standard normal that depends only on (seed, column, j): the same at any rank count.
double gaussian(std::uint64_t seed, std::int64_t column, int j) {
    std::uint64_t h = splitmix(splitmix(seed) ^ splitmix(static_cast<std::uint64_t>(column) * 1315423911ULL + static_cast<std::uint64_t>(j)));
    double u1 = (static_cast<double>(h >> 11) + 0.5) * 0x1.0p-53;
    double u2 = (static_cast<double>(splitmix(h) >> 11) + 0.5) * 0x1.0p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

void allreduce(Eigen::MatrixXd& m, const mpi::communicator& comm) {
    if (comm.size() == 1 || m.size() == 0) return;
    mpi::check(MPI_Allreduce(MPI_IN_PLACE, m.data(), static_cast<int>(m.size()), MPI_DOUBLE, MPI_SUM, comm.get()),
               "MPI_Allreduce (randomized SVD)");
}

// Orthonormal basis of the columns of a replicated matrix (Householder QR; the same on every rank).
Eigen::MatrixXd orth(const Eigen::MatrixXd& y) {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(y);
    return qr.householderQ() * Eigen::MatrixXd::Identity(y.rows(), y.cols());
}

// Orthonormalises a row-sharded matrix in place by Cholesky QR, twice (one l x l Allreduce each).
void orth_sharded(Eigen::MatrixXd& z, const mpi::communicator& comm) {
    for (int pass = 0; pass < 2; ++pass) {
        Eigen::MatrixXd g = z.transpose() * z;
        allreduce(g, comm);
        Eigen::LLT<Eigen::MatrixXd> llt(g);
        if (llt.info() != Eigen::Success) {
            const double shift = 1e-13 * g.trace() + 1e-300;
            llt.compute(g + shift * Eigen::MatrixXd::Identity(g.rows(), g.cols()));
        }
        Eigen::MatrixXd r = llt.matrixU();
        z = r.triangularView<Eigen::Upper>().solve<Eigen::OnTheRight>(z);
    }
}

}  // namespace

svd_result randomized_svd(const sharded_matrix& x, int k, int oversampling, int iterations, std::uint64_t seed,
                          const mpi::communicator& comm) {
    const std::int64_t min_dim = std::min(x.rows(), x.cols());
    if (k < 1 || k > min_dim)
        throw input_error("--k " + std::to_string(k) + " must be between 1 and min(variants, samples) = " +
                          std::to_string(min_dim));
    const int l = static_cast<int>(std::min<std::int64_t>(k + std::max(0, oversampling), min_dim));
    Eigen::MatrixXd omega(x.local_cols(), l);
    for (std::int64_t i = 0; i < x.local_cols(); ++i)
        for (int j = 0; j < l; ++j) omega(i, j) = gaussian(seed, x.col_offset() + i, j);
    Eigen::MatrixXd y;
    x.multiply(omega, y);
    allreduce(y, comm);
    Eigen::MatrixXd q = orth(y);
    Eigen::MatrixXd z;
    for (int it = 0; it < iterations; ++it) {
        x.multiply_transposed(q, z);
        orth_sharded(z, comm);
        x.multiply(z, y);
        allreduce(y, comm);
        q = orth(y);
    }
    Eigen::MatrixXd bt;  // (Q^T X)^T, this rank's rows
    x.multiply_transposed(q, bt);
    Eigen::MatrixXd gram = bt.transpose() * bt;  // B B^T
    allreduce(gram, comm);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
    if (eig.info() != Eigen::Success) throw runtime_failure("randomized SVD: eigendecomposition failed");
    svd_result out;
    out.singular_values.resize(k);
    out.left.resize(x.rows(), k);
    out.right_local.resize(x.local_cols(), k);
    for (int c = 0; c < k; ++c) {
        const int src = l - 1 - c;  // eigenvalues ascending
        const double s = std::sqrt(std::max(0.0, eig.eigenvalues()(src)));
        Eigen::VectorXd w = eig.eigenvectors().col(src);
        Eigen::VectorXd u = q * w;
        Eigen::Index at = 0;
        u.cwiseAbs().maxCoeff(&at);
        const double sign = u(at) < 0 ? -1.0 : 1.0;
        out.singular_values(c) = s;
        out.left.col(c) = sign * u;
        out.right_local.col(c) = s > 0 ? Eigen::VectorXd(sign * (bt * w) / s) : Eigen::VectorXd::Zero(x.local_cols());
    }
    return out;
}

}  // namespace precis::model
