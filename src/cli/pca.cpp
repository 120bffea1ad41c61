// precis pca: principal components into /pca of the cohort file, or projection of new samples onto them.
// Options only; the work is model::run_pca / write_pca and model::read_pca / project.
#include <optional>

#include "command.hpp"
#include "commands.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/model/pca.hpp"

namespace precis::cli {

namespace {

int project_samples(const po::variables_map& vm, const context& ctx, const std::string& path) {
    if (!vm.count("out")) throw input_error("--project needs --out FILE.tsv");
    if (!ctx.comm.is_root()) return 0;  // projection is serial; other ranks have nothing to do
    auto cohort = h5::cohort_reader::open(path);
    model::pca_model m = model::read_pca(cohort);
    auto variants = cohort.read_variants({0, cohort.n_variants()});
    model::projection p = model::project(m, variants, vm["project"].as<std::string>());
    const double rate = p.model_variants ? static_cast<double>(p.matched) / static_cast<double>(p.model_variants) : 0.0;
    ctx.log.info("projected ", p.samples.size(), " samples: ", p.matched, " of ", p.model_variants, " PCA variants matched (",
                 rate * 100, "%), ", p.flipped, " with REF/ALT swapped; ", p.unmatched_records,
                 " input alleles match no PCA variant");
    if (p.matched == 0) throw input_error(vm["project"].as<std::string>() + ": no variant matches the PCA of " + path);
    if (rate < 0.9) ctx.log.warn("only ", rate * 100, "% of the PCA variants were found; projected scores shrink toward 0");
    model::write_projection(vm["out"].as<std::string>(), p, m.k);
    return 0;
}

}  // namespace

int run_pca(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis pca");
    model::pca_options d;
    options.add_options()
        ("cohort", po::value<std::string>(), "cohort HDF5 file; /pca is replaced in place (QC masks of /qc applied)")
        ("k", po::value<int>()->default_value(d.k), "principal components")
        ("oversampling", po::value<int>()->default_value(d.oversampling), "extra random directions of the randomized SVD")
        ("power-iterations", po::value<int>()->default_value(d.power_iterations), "subspace (power) iterations")
        ("seed", po::value<std::uint64_t>()->default_value(d.seed), "seed of the random test matrix")
        ("tsv", po::value<std::string>(), "also write PREFIX.eigenvec and PREFIX.eigenval (plink2 layout)")
        ("project", po::value<std::string>(), "VCF/BCF of new samples to project onto the stored /pca (needs --out)")
        ("out", po::value<std::string>(), "with --project: output TSV (sample_id PC1..PCk)");
    po::positional_options_description positional;
    auto vm = parse("pca", "precis pca --cohort cohort.h5 [--k 10] [--oversampling 10] [--power-iterations 4] [--seed 1] "
                           "[--tsv PREFIX]\n       precis pca --cohort cohort.h5 --project NEW.vcf.gz --out projected.tsv",
                    options, positional, {"cohort"}, argc, argv, {"out"});
    if (!vm) return 0;
    session s = make_session("pca", *vm, comm, argc, argv);
    const context& ctx = s.ctx;
    const std::string path = (*vm)["cohort"].as<std::string>();
    if (vm->count("project")) return project_samples(*vm, ctx, path);

    model::pca_options opts;
    opts.k = (*vm)["k"].as<int>();
    opts.oversampling = (*vm)["oversampling"].as<int>();
    opts.power_iterations = (*vm)["power-iterations"].as<int>();
    opts.seed = (*vm)["seed"].as<std::uint64_t>();
    opts.show_progress = ctx.show_progress && ctx.comm.is_root();
    model::validate(opts);
    if (vm->count("tsv")) require_output_dir((*vm)["tsv"].as<std::string>() + ".eigenvec", "--tsv");
    std::optional<model::pca_model> m;
    std::vector<std::string> samples;
    {
        auto cohort = h5::cohort_reader::open(path, ctx.comm.size() > 1 ? ctx.comm.get() : MPI_COMM_NULL);
        m = model::run_pca(cohort, opts, ctx.comm, ctx.log);
        samples = cohort.samples();
    }
    model::write_pca(path, *m, opts, ctx.command_line, ctx.comm);
    // The tables after /pca: when cohort.h5 cannot be updated (a full disk), none is written to disagree with it.
    if (vm->count("tsv") && ctx.comm.is_root()) model::write_plink_eigen((*vm)["tsv"].as<std::string>(), samples, *m);
    std::string ev;
    for (double e : m->eigenvalues) (ev += ' ') += std::to_string(e);  // in steps: GCC 12 -Wrestrict false positive
    ctx.log.info("eigenvalues:", ev);
    ctx.log.info("wrote ", path, ":/pca");
    return 0;
}

}  // namespace precis::cli
