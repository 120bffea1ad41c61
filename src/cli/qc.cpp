// precis qc: variant and sample QC masks and statistics into /qc of the cohort file. Options only; the work
// is model::run_qc and model::write_qc.
#include <optional>

#include "command.hpp"
#include "commands.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/model/qc.hpp"

namespace precis::cli {

int run_qc(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis qc");
    model::qc_options d;
    options.add_options()
        ("cohort", po::value<std::string>(), "cohort HDF5 file (precis convert); /qc is replaced in place")
        ("min-call-rate", po::value<double>()->default_value(d.min_call_rate, "0.95"), "drop variants called in fewer of the kept samples")
        ("min-maf", po::value<double>()->default_value(d.min_maf, "0.01"), "drop variants with a lower minor allele frequency")
        ("min-hwe-p", po::value<double>()->default_value(d.min_hwe_p, "1e-6"), "drop variants with a lower HWE exact p (0: off)")
        ("max-sample-missing", po::value<double>()->default_value(d.max_sample_missing, "0.05"), "drop samples missing more calls")
        ("het-sd", po::value<double>()->default_value(d.het_sd, "3"), "drop samples whose het rate is further from the mean, in SDs (0: off)")
        ("tsv", po::value<std::string>(), "also write PREFIX.variants.tsv and PREFIX.samples.tsv");
    po::positional_options_description positional;
    auto vm = parse("qc", "precis qc --cohort cohort.h5 [--min-call-rate 0.95] [--min-maf 0.01] [--min-hwe-p 1e-6] "
                          "[--max-sample-missing 0.05] [--het-sd 3] [--tsv PREFIX]",
                    options, positional, {"cohort"}, argc, argv);
    if (!vm) return 0;
    session s = make_session("qc", *vm, comm, argc, argv);
    const context& ctx = s.ctx;

    model::qc_options opts;
    opts.min_call_rate = (*vm)["min-call-rate"].as<double>();
    opts.min_maf = (*vm)["min-maf"].as<double>();
    opts.min_hwe_p = (*vm)["min-hwe-p"].as<double>();
    opts.max_sample_missing = (*vm)["max-sample-missing"].as<double>();
    opts.het_sd = (*vm)["het-sd"].as<double>();
    opts.show_progress = ctx.show_progress && ctx.comm.is_root();
    model::validate(opts);
    if (vm->count("tsv")) require_output_dir((*vm)["tsv"].as<std::string>() + ".variants.tsv", "--tsv");
    const std::string path = (*vm)["cohort"].as<std::string>();
    std::optional<model::qc_result> result;
    {
        auto cohort = h5::cohort_reader::open(path, ctx.comm.size() > 1 ? ctx.comm.get() : MPI_COMM_NULL);
        result = model::run_qc(cohort, opts, ctx.comm, ctx.log);
    }
    model::write_qc(path, *result, opts, ctx.command_line, ctx.comm);
    ctx.log.info("wrote ", path, ":/qc");
    // The tables after /qc: when cohort.h5 cannot be updated (a full disk), none is written to disagree with it.
    if (vm->count("tsv") && ctx.comm.is_root())
        model::write_qc_tsv((*vm)["tsv"].as<std::string>(), h5::cohort_reader::open(path, MPI_COMM_NULL), *result);
    return 0;
}

}  // namespace precis::cli
