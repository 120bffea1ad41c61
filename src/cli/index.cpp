// precis index: options -> align::index_options -> align::build_index (rank 0 builds; others wait).
#include "command.hpp"
#include "commands.hpp"
#include "precis/align/index.hpp"
#include "precis/core/error.hpp"

namespace precis::cli {

int run_index(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis index");
    options.add_options()
        ("ref", po::value<std::string>(), "reference FASTA (plain, gzip or bgzip; any number of contigs)")
        ("out", po::value<std::string>(), "index file (default: REF.pidx, where precis align looks for it)")
        ("k", po::value<int>()->default_value(21), "minimizer length (odd, 11-27)")
        ("w", po::value<int>()->default_value(11), "minimizer window in k-mers (sampling density 2/(w+1))");
    po::positional_options_description positional;
    auto vm = parse("index", "precis index --ref REF.fa[.gz] [--out REF.fa.pidx] [--k 21] [--w 11]", options, positional,
                    {"ref"}, argc, argv, {"out"});
    if (!vm) return 0;
    session s = make_session("index", *vm, comm, argc, argv);
    const context& ctx = s.ctx;
    const auto& v = *vm;
    align::index_options o;
    o.reference = v["ref"].as<std::string>();
    if (v.count("out")) o.out = v["out"].as<std::string>();
    o.k = v["k"].as<int>();
    o.w = v["w"].as<int>();
    if (ctx.comm.is_root()) {
        ctx.log.info("indexing ", o.reference.string(), " (k=", o.k, ", w=", o.w, ")");
        auto st = align::build_index(o);
        ctx.log.info("indexed ", st.bases, " bases, ", st.minimizers, " minimizers in ", st.seconds, " s; peak memory ",
                     st.peak_rss_bytes / (1 << 20), " MiB; wrote ",
                     (o.out.empty() ? align::default_index_path(o.reference) : o.out).string());
    }
    ctx.comm.barrier();
    return 0;
}

}  // namespace precis::cli
