// precis export: cohort HDF5 -> VCF/BCF. Options only; the work is h5::export_vcf.
#include "command.hpp"
#include "commands.hpp"
#include "precis/h5/export.hpp"

namespace precis::cli {

int run_export(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis export");
    options.add_options()
        ("cohort", po::value<std::string>(), "input cohort HDF5 file (from precis convert)")
        ("out", po::value<std::string>(), "output .vcf.gz (indexed .tbi), .bcf (indexed .csi) or .vcf");
    po::positional_options_description positional;
    auto vm = parse("export", "precis export --cohort cohort.h5 --out OUT.vcf.gz|OUT.bcf|OUT.vcf", options, positional,
                    {"cohort", "out"}, argc, argv, {"out"});
    if (!vm) return 0;
    session s = make_session("export", *vm, comm, argc, argv);
    const context& ctx = s.ctx;

    h5::export_options opts;
    opts.cohort = (*vm)["cohort"].as<std::string>();
    opts.out = (*vm)["out"].as<std::string>();
    opts.threads = ctx.threads;
    opts.show_progress = ctx.show_progress && ctx.comm.is_root();
    opts.command_line = ctx.command_line;
    h5::export_vcf(opts, ctx.comm.get(), ctx.log);
    return 0;
}

}  // namespace precis::cli
