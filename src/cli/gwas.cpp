// precis gwas: per-variant association tests. Options only; the work is model::run_gwas and the writers.
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/model/gwas.hpp"
#include "precis/model/gwas_output.hpp"

namespace precis::cli {

namespace {

std::vector<std::string> split_names(const std::string& list) {
    std::vector<std::string> names;
    std::stringstream in(list);
    for (std::string name; std::getline(in, name, ',');)
        if (!name.empty()) names.push_back(name);
    return names;
}

model::gwas_model parse_model(const std::string& s) {
    if (s == "auto") return model::gwas_model::automatic;
    if (s == "logistic") return model::gwas_model::logistic;
    if (s == "linear") return model::gwas_model::linear;
    throw input_error("--model " + s + ": expected auto, logistic or linear");
}

model::firth_mode parse_firth(const std::string& s) {
    if (s == "auto") return model::firth_mode::fallback;
    if (s == "always") return model::firth_mode::always;
    if (s == "never") return model::firth_mode::never;
    throw input_error("--firth " + s + ": expected auto, always or never");
}

}  // namespace

int run_gwas(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis gwas");
    options.add_options()
        ("cohort", po::value<std::string>(), "cohort HDF5 file (precis convert; /qc masks and /pca scores used when present)")
        ("phenotype", po::value<std::string>(), "phenotype name under /phenotypes")
        ("covariates", po::value<std::string>()->default_value(""), "comma-separated covariate names under /covariates")
        ("pcs", po::value<int>()->default_value(0), "add the first N principal components of /pca/scores")
        ("model", po::value<std::string>()->default_value("auto"), "auto (logistic for a 0/1 phenotype), logistic or linear")
        ("firth", po::value<std::string>()->default_value("auto"), "auto (fallback as plink2 firth-fallback), always or never")
        ("min-mac", po::value<std::int64_t>()->default_value(0), "report only variants with minor allele count >= N")
        ("out", po::value<std::string>()->default_value("precis"), "output prefix: PREFIX.PHENO.glm.*, .gwas.h5, .manhattan.svg, .qq.svg");
    po::positional_options_description positional;
    auto vm = parse("gwas", "precis gwas --cohort cohort.h5 --phenotype NAME [--covariates a,b] [--pcs N] "
                            "[--model auto|logistic|linear] [--firth auto|always|never] [--min-mac N] [--out PREFIX]",
                    options, positional, {"cohort", "phenotype"}, argc, argv);
    if (!vm) return 0;
    session s = make_session("gwas", *vm, comm, argc, argv);
    const context& ctx = s.ctx;

    model::gwas_options opts;
    opts.cohort = (*vm)["cohort"].as<std::string>();
    opts.phenotype = (*vm)["phenotype"].as<std::string>();
    opts.covariates = split_names((*vm)["covariates"].as<std::string>());
    opts.pcs = (*vm)["pcs"].as<int>();
    if (opts.pcs < 0) throw input_error("--pcs must be >= 0");
    opts.model = parse_model((*vm)["model"].as<std::string>());
    opts.firth = parse_firth((*vm)["firth"].as<std::string>());
    opts.min_mac = (*vm)["min-mac"].as<std::int64_t>();
    if (opts.min_mac < 0) throw input_error("--min-mac must not be negative");
    opts.show_progress = ctx.show_progress;
    const std::string prefix = (*vm)["out"].as<std::string>();
    require_readable_file(opts.cohort, "--cohort");
    require_output_dir(prefix, "--out");

    const auto result = model::run_gwas(opts, ctx.comm, ctx.log);
    if (ctx.comm.is_root()) {
        const auto paths = model::output_paths(prefix, result);
        const auto summary = model::summarise(result);
        model::write_glm_table(result, paths.table);
        model::write_gwas_h5(result, summary, paths.h5, ctx.command_line);
        model::write_plots(result, summary, paths);
        ctx.log.info(summary.reported, " variants reported, ", summary.tested, " with estimates; ", summary.hits,
                     " with p < 5e-8; Firth used for ", summary.firth, "; lambda_GC = ", summary.lambda_gc);
        ctx.log.info("wrote ", paths.table.string(), ", ", paths.h5.string(), ", ", paths.manhattan.string(), ", ",
                     paths.qq.string());
    }
    ctx.comm.barrier();
    return 0;
}

}  // namespace precis::cli
