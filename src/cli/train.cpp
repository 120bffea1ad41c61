// precis train: options -> model::train_options -> model::train; rank 0 writes model.h5 and the PGS file.
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/model/pgs_file.hpp"
#include "precis/model/train.hpp"

namespace precis::cli {

int run_train(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis train");
    options.add_options()
        ("cohort", po::value<std::string>(), "cohort HDF5 file (docs/formats.md); /qc masks are applied")
        ("phenotype", po::value<std::string>(), "outcome: /phenotypes/NAME (0/1 or 1/2: logistic; else linear)")
        ("out", po::value<std::string>(), "output model file (docs/model.md)")
        ("covariates", po::value<std::string>()->default_value(""), "comma-separated /covariates names, unpenalised")
        ("pcs", po::value<int>()->default_value(0), "first N columns of /pca/scores as unpenalised covariates")
        ("clinical", po::value<std::string>(), "TSV: sample id column, then numeric unpenalised features")
        ("genomic", po::value<std::string>()->default_value("yes"), "yes|no: include the kept variants' genotypes")
        ("alpha", po::value<double>()->default_value(0.5), "elastic-net mixing: 1 lasso, 0 ridge")
        ("nlambda", po::value<int>()->default_value(50), "length of the lambda path")
        ("lambda-min-ratio", po::value<std::string>()->default_value("0.01"),
         "smallest / largest lambda; auto: glmnet's rule, 0.01 with fewer training samples than features, else 1e-4")
        ("covariance-max", po::value<std::int64_t>()->default_value(300),
         "covariance updates (one Gram reduction per Newton step) up to this many active columns, residual updates "
         "(one reduction per moving coordinate) above; raise it on many ranks, where reductions cost latency")
        ("folds", po::value<int>()->default_value(5), "cross-validation folds")
        ("select", po::value<std::string>()->default_value("deviance"), "deviance|auc: how CV chooses lambda")
        ("test-fraction", po::value<double>()->default_value(0.2), "stratified held-out test fraction")
        ("seed", po::value<std::uint64_t>()->default_value(1), "seed of the test split and the folds")
        ("pgs-out", po::value<std::string>(), "also write the weights as a PGS Catalog scoring file (bgzip-compressed when named .gz)")
        ("folds-out", po::value<std::string>(), "also write the split: TSV sample_id, role (test, fold1..foldK, unused)")
        ("genome-build", po::value<std::string>()->default_value("NR"), "#genome_build of --pgs-out")
        ("model", po::value<std::string>()->default_value("elastic-net"),
         "elastic-net, or mlp: a network over the polygenic score and the covariates (clinical + genomic fusion)")
        ("hidden", po::value<int>()->default_value(8), "mlp: units of the hidden layer")
        ("epochs", po::value<int>()->default_value(500), "mlp: full-batch Adam steps")
        ("decay", po::value<double>()->default_value(1e-3), "mlp: L2 penalty on the weights")
        ("learning-rate", po::value<double>()->default_value(0.01), "mlp: Adam step size");
    po::positional_options_description positional;
    auto vm = parse("train",
                    "precis train --cohort cohort.h5 --phenotype NAME --out model.h5 [--covariates a,b] [--pcs N] "
                    "[--clinical F.tsv] [--genomic yes|no] [--alpha A] [--nlambda K] [--lambda-min-ratio R|auto] [--covariance-max N] "
                    "[--folds K] [--select deviance|auc] [--test-fraction F] [--seed S] [--pgs-out F.txt] [--folds-out F.tsv] "
                    "[--model elastic-net|mlp [--hidden H] [--epochs E] [--decay D] [--learning-rate R]]",
                    options, positional, {"cohort", "phenotype", "out"}, argc, argv,
                    {"out", "pgs-out", "folds-out"});
    if (!vm) return 0;
    session s = make_session("train", *vm, comm, argc, argv);
    const context& ctx = s.ctx;
    const auto& v = *vm;

    model::train_options o;
    o.cohort = v["cohort"].as<std::string>();
    o.phenotype = v["phenotype"].as<std::string>();
    std::stringstream covs(v["covariates"].as<std::string>());
    for (std::string c; std::getline(covs, c, ',');)
        if (!c.empty()) o.covariates.push_back(c);
    o.pcs = v["pcs"].as<int>();
    if (o.pcs < 0) throw input_error("--pcs must be >= 0");
    if (v.count("clinical")) o.clinical = v["clinical"].as<std::string>();
    const auto genomic = v["genomic"].as<std::string>();
    if (genomic != "yes" && genomic != "no") throw input_error("--genomic must be yes or no");
    o.genomic = genomic == "yes";
    o.model = v["model"].as<std::string>();
    if (o.model != "elastic-net" && o.model != "mlp") throw input_error("--model " + o.model + ": use elastic-net or mlp");
    o.mlp.hidden = v["hidden"].as<int>();
    o.mlp.epochs = v["epochs"].as<int>();
    o.mlp.decay = v["decay"].as<double>();
    o.mlp.learning_rate = v["learning-rate"].as<double>();
    o.net.alpha = v["alpha"].as<double>();
    o.net.nlambda = v["nlambda"].as<int>();
    if (const auto r = v["lambda-min-ratio"].as<std::string>(); r != "auto") {
        std::size_t used = 0;
        double x = -1;
        try {
            x = std::stod(r, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != r.size() || !(x > 0 && x < 1)) throw input_error("--lambda-min-ratio " + r + ": use a number in (0, 1) or auto");
        o.net.lambda_min_ratio = x;
    } else {
        o.net.lambda_min_ratio = 0;
    }
    o.net.covariance_max = v["covariance-max"].as<std::int64_t>();
    if (o.net.covariance_max < 0) throw input_error("--covariance-max must be >= 0");
    o.folds = v["folds"].as<int>();
    o.select = v["select"].as<std::string>();
    o.test_fraction = v["test-fraction"].as<double>();
    o.seed = v["seed"].as<std::uint64_t>();
    o.mlp.seed = o.seed;
    o.command_line = ctx.command_line;
    const std::string out = v["out"].as<std::string>();
    require_output_dir(out, "--out");
    if (v.count("folds-out")) {
        o.folds_out = v["folds-out"].as<std::string>();
        require_output_dir(o.folds_out, "--folds-out");
    }
    if (v.count("pgs-out")) require_output_dir(v["pgs-out"].as<std::string>(), "--pgs-out");

    auto m = model::train(o, ctx.comm, ctx.log);
    if (ctx.comm.is_root()) {
        model::write_model(m, out);
        if (v.count("pgs-out"))
            model::write_pgs_file(m, v["pgs-out"].as<std::string>(), "precis_" + o.phenotype,
                                  v["genome-build"].as<std::string>());
    }
    ctx.comm.barrier();
    ctx.log.info("wrote ", out, " (", m.variants.size(), " variants with nonzero weight)");
    return 0;
}

}  // namespace precis::cli
