// precis score: options -> model::score_options -> model::score; rank 0 writes the TSV.
#include "command.hpp"
#include "commands.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/model/score.hpp"

namespace precis::cli {

int run_score(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis score");
    options.add_options()
        ("model", po::value<std::string>(), "model.h5 from precis train (docs/model.md)")
        ("pgs", po::value<std::string>(), "PGS Catalog scoring file, plain or .gz (chr_name chr_position effect_allele effect_weight ...)")
        ("cohort", po::value<std::string>(), "cohort HDF5 file: score its kept samples (MPI over sample shards)")
        ("vcf", po::value<std::string>(), "VCF/BCF of one or more patients")
        ("out", po::value<std::string>(), "output TSV (docs/score.md)")
        ("reference", po::value<std::string>(), "model.h5 whose reference distribution gives percentile, z, ancestry_z")
        ("pcs", po::value<std::string>(), "TSV sample_id PC1..PCk of the VCF samples (precis pca --project)")
        ("contributions", po::value<std::string>(),
         "with --vcf: also write each sample's per-variant contributions as TSV (for precis report)")
        ("absent", po::value<std::string>()->default_value("ref"),
         "ref|missing: a model variant with no VCF record on a covered contig is homozygous reference, or unmatched");
    po::positional_options_description positional;
    auto vm = parse("score",
                    "precis score (--model model.h5 | --pgs FILE.txt[.gz]) (--cohort cohort.h5 | --vcf PATIENT.vcf.gz) "
                    "--out scores.tsv [--reference model.h5] [--pcs PCS.tsv] [--absent ref|missing] [--contributions FILE.tsv]",
                    options, positional, {"out"}, argc, argv, {"out", "contributions"});
    if (!vm) return 0;
    session s = make_session("score", *vm, comm, argc, argv);
    const context& ctx = s.ctx;
    const auto& v = *vm;
    if (v.count("model") == v.count("pgs")) throw input_error("give exactly one of --model and --pgs");
    if (v.count("cohort") == v.count("vcf")) throw input_error("give exactly one of --cohort and --vcf");
    model::score_options o;
    if (v.count("model")) o.model = v["model"].as<std::string>();
    if (v.count("pgs")) o.pgs = v["pgs"].as<std::string>();
    if (v.count("cohort")) o.cohort = v["cohort"].as<std::string>();
    if (v.count("vcf")) o.vcf = v["vcf"].as<std::string>();
    if (v.count("reference")) o.reference = v["reference"].as<std::string>();
    if (v.count("pcs")) o.pcs = v["pcs"].as<std::string>();
    const auto absent = v["absent"].as<std::string>();
    if (absent != "ref" && absent != "missing") throw input_error("--absent must be ref or missing");
    o.absent_is_reference = absent == "ref";
    const std::string out = v["out"].as<std::string>();
    require_output_dir(out, "--out");
    if (v.count("contributions")) {
        if (!v.count("vcf")) throw input_error("--contributions needs --vcf (per-variant dosages of patient VCFs)");
        require_output_dir(v["contributions"].as<std::string>(), "--contributions");
        o.contributions = true;
    }

    auto rows = model::score(o, ctx.comm, ctx.log);
    if (ctx.comm.is_root()) model::write_scores(rows, out);
    if (ctx.comm.is_root() && o.contributions) model::write_contributions(rows, v["contributions"].as<std::string>());
    ctx.comm.barrier();
    ctx.log.info("wrote ", out, " (", rows.size(), " samples)");
    return 0;
}

}  // namespace precis::cli
