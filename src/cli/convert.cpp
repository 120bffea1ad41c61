// precis convert: VCF/BCF (+ phenotypes, covariates) -> cohort HDF5. Options only; the work is h5::convert.
#include "command.hpp"
#include "commands.hpp"
#include "precis/h5/convert.hpp"

namespace precis::cli {

int run_convert(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis convert");
    options.add_options()
        ("vcf", po::value<std::string>(), "input VCF (.vcf, .vcf.gz) or BCF; indexed (.tbi/.csi) for more than one MPI rank")
        ("out", po::value<std::string>(), "output cohort HDF5 file (docs/formats.md)")
        ("phenotypes", po::value<std::string>(), "TSV: sample ID column (sample_id, IID, #IID or sample), then numbers")
        ("covariates", po::value<std::string>(), "TSV, same layout as --phenotypes");
    po::positional_options_description positional;
    auto vm = parse("convert", "precis convert --vcf IN.vcf.gz|IN.bcf --out cohort.h5 [--phenotypes P.tsv] "
                               "[--covariates C.tsv]",
                    options, positional, {"vcf", "out"}, argc, argv, {"out"});
    if (!vm) return 0;
    session s = make_session("convert", *vm, comm, argc, argv);
    const context& ctx = s.ctx;

    h5::convert_options opts;
    opts.vcf = (*vm)["vcf"].as<std::string>();
    opts.out = (*vm)["out"].as<std::string>();
    if (vm->count("phenotypes")) opts.phenotypes = (*vm)["phenotypes"].as<std::string>();
    if (vm->count("covariates")) opts.covariates = (*vm)["covariates"].as<std::string>();
    opts.threads = ctx.threads;
    opts.show_progress = ctx.show_progress && ctx.comm.is_root();
    opts.command_line = ctx.command_line;
    h5::convert(opts, ctx.comm.get(), ctx.log);
    return 0;
}

}  // namespace precis::cli
