// precis pca: the /pca group, plink2-style eigen files.
#include <cmath>
#include <fstream>
#include <iomanip>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/model/pca.hpp"
#include "precis/model/qc_group.hpp"

namespace precis::model {

namespace {

void write_matrix(const h5::group& g, const std::string& name, const std::vector<double>& v, std::vector<std::uint64_t> dims) {
    auto ds = h5::dataset::create_or_reuse(g, name, H5T_IEEE_F64LE, dims);
    if (!v.empty()) ds.write(v.data(), std::vector<std::uint64_t>(dims.size(), 0), dims, h5::transfer::independent);
}

std::vector<double> read_checked(const h5::file& f, const std::string& name, std::vector<std::uint64_t> dims) {
    if (!f.exists(name)) throw input_error(f.file_name() + ": no " + name + " (run precis pca first)");
    auto ds = h5::dataset::open(f, name);
    if (ds.dims() != dims) throw input_error(f.file_name() + ": " + name + " has unexpected dimensions");
    return ds.read_all<double>();
}

}  // namespace

void write_pca(const std::filesystem::path& path, const pca_model& m, const pca_options& o, const std::string& command_line,
               const mpi::communicator& comm) {
    const std::uint64_t bytes = 8 * (m.scores.size() + m.eigenvalues.size() + m.loadings.size() +
                                     m.variant_mean.size() + m.variant_scale.size());
    replace_group(path, "pca", command_line, bytes, [&](const h5::group& g) {
        const auto k = static_cast<std::uint64_t>(m.k);
        write_matrix(g, "scores", m.scores, {m.scores.size() / k, k});
        write_matrix(g, "eigenvalues", m.eigenvalues, {k});
        write_matrix(g, "loadings", m.loadings, {m.variant_mean.size(), k});
        write_matrix(g, "variant_mean", m.variant_mean, {m.variant_mean.size()});
        write_matrix(g, "variant_scale", m.variant_scale, {m.variant_scale.size()});
        g.set_attribute("k", static_cast<std::int64_t>(m.k));
        g.set_attribute("seed", static_cast<std::int64_t>(m.seed));
        g.set_attribute("iterations", static_cast<std::int64_t>(m.iterations));
        g.set_attribute("oversampling", static_cast<std::int64_t>(o.oversampling));
        g.set_attribute("variants_used", m.variants_used);
    }, comm);
}

pca_model read_pca(const h5::cohort_reader& cohort) {
    const auto& f = cohort.h5();
    if (!f.exists("/pca")) throw input_error(f.file_name() + ": no /pca group (run precis pca first)");
    auto g = h5::group::open(f, "/pca");
    pca_model m;
    m.k = static_cast<int>(g.int64_attribute("k"));
    if (m.k < 1) throw input_error(f.file_name() + ": /pca attribute k is " + std::to_string(m.k));
    m.seed = static_cast<std::uint64_t>(g.int64_attribute("seed"));
    m.iterations = static_cast<int>(g.int64_attribute("iterations"));
    m.variants_used = g.int64_attribute("variants_used");
    const auto k = static_cast<std::uint64_t>(m.k), nv = static_cast<std::uint64_t>(cohort.n_variants()),
               ns = static_cast<std::uint64_t>(cohort.n_samples());
    m.eigenvalues = read_checked(f, "/pca/eigenvalues", {k});
    m.scores = read_checked(f, "/pca/scores", {ns, k});
    m.loadings = read_checked(f, "/pca/loadings", {nv, k});
    m.variant_mean = read_checked(f, "/pca/variant_mean", {nv});
    m.variant_scale = read_checked(f, "/pca/variant_scale", {nv});
    return m;
}

void write_plink_eigen(const std::string& prefix, const std::vector<std::string>& samples, const pca_model& m) {
    require_output_dir(prefix + ".eigenvec", "--tsv");
    {
        atomic_output out(prefix + ".eigenvec");
        std::ofstream f(out.temp_path());
        f << "#IID";
        for (int c = 0; c < m.k; ++c) f << "\tPC" << c + 1;
        f << '\n' << std::setprecision(12);
        for (std::size_t s = 0; s < samples.size(); ++s) {
            const double* row = m.scores.data() + s * static_cast<std::size_t>(m.k);
            if (std::isnan(row[0])) continue;
            f << samples[s];
            for (int c = 0; c < m.k; ++c) f << '\t' << row[c];
            f << '\n';
        }
        f.close();
        if (!f) throw runtime_failure(out.final_path().string() + ": write error");
        out.commit();
    }
    atomic_output out(prefix + ".eigenval");
    std::ofstream f(out.temp_path());
    f << std::setprecision(12);
    for (double e : m.eigenvalues) f << e << '\n';
    f.close();
    if (!f) throw runtime_failure(out.final_path().string() + ": write error");
    out.commit();
}

void write_projection(const std::filesystem::path& path, const projection& p, int k) {
    require_output_dir(path, "--out");
    atomic_output out(path);
    std::ofstream f(out.temp_path());
    f << "sample_id";
    for (int c = 0; c < k; ++c) f << "\tPC" << c + 1;
    f << '\n' << std::setprecision(12);
    for (std::size_t s = 0; s < p.samples.size(); ++s) {
        f << p.samples[s];
        for (int c = 0; c < k; ++c) f << '\t' << p.scores[s * static_cast<std::size_t>(k) + static_cast<std::size_t>(c)];
        f << '\n';
    }
    f.close();
    if (!f) throw runtime_failure(out.final_path().string() + ": write error");
    out.commit();
}

}  // namespace precis::model
