// precis call: options -> call::call_options -> call::run. Docs: docs/call.md.
#include <cmath>

#include "command.hpp"
#include "commands.hpp"
#include "precis/call/call.hpp"
#include "precis/core/error.hpp"

namespace precis::cli {

int run_call(int argc, char** argv, MPI_Comm comm) {
    call::call_options d;
    po::options_description options("Options of precis call");
    options.add_options()
        ("ref", po::value<std::string>(), "reference FASTA the reads were aligned to (plain or bgzipped; .fai built when missing)")
        ("bam", po::value<std::vector<std::string>>(),
         "sorted, indexed BAM or CRAM of one sample (its @RG SM names it); repeat for joint calling (on the command line these replace the config file's)")
        ("out", po::value<std::string>(), "output .vcf.gz (with .tbi) or .bcf (with .csi)")
        ("regions", po::value<std::string>(), "where to call: CHR, CHR:BEG-END (1-based, inclusive), comma-separated, or a BED file; default everything")
        ("min-mapq", po::value<int>()->default_value(d.min_mapq), "ignore reads with a lower mapping quality")
        ("min-baseq", po::value<int>()->default_value(d.min_baseq), "ignore bases with a lower base quality (SNVs)")
        ("min-qual", po::value<double>()->default_value(d.min_qual), "records with a lower QUAL get FILTER LowQual")
        ("min-depth", po::value<int>()->default_value(d.min_depth), "records with fewer reads (all samples) get FILTER LowDepth")
        ("snv-prior", po::value<double>()->default_value(d.snv_prior), "prior probability that a site holds an SNV")
        ("indel-prior", po::value<double>()->default_value(d.indel_prior), "prior probability that a site holds an indel")
        ("chunk-size", po::value<std::int64_t>()->default_value(d.chunk_size), "bases per work unit (MPI ranks and threads share chunks)");
    po::positional_options_description positional;
    auto vm = parse("call",
                    "precis call --ref REF.fa --bam A.bam [--bam B.bam ...] --out CALLS.vcf.gz [--regions CHR:BEG-END|FILE.bed]",
                    options, positional, {"ref", "bam", "out"}, argc, argv, {"out"});
    if (!vm) return 0;
    session s = make_session("call", *vm, comm, argc, argv);
    const context& ctx = s.ctx;
    const auto& v = *vm;
    call::call_options o;
    o.ref = v["ref"].as<std::string>();
    for (const auto& b : v["bam"].as<std::vector<std::string>>()) o.bams.emplace_back(b);
    o.out = v["out"].as<std::string>();
    if (v.count("regions")) o.regions = v["regions"].as<std::string>();
    o.min_mapq = v["min-mapq"].as<int>();
    o.min_baseq = v["min-baseq"].as<int>();
    o.min_qual = v["min-qual"].as<double>();
    if (!(o.min_qual >= 0) || !std::isfinite(o.min_qual)) throw input_error("--min-qual must be a finite number >= 0");
    o.min_depth = v["min-depth"].as<int>();
    o.snv_prior = v["snv-prior"].as<double>();
    o.indel_prior = v["indel-prior"].as<double>();
    o.chunk_size = v["chunk-size"].as<std::int64_t>();
    if (o.min_mapq < 0 || o.min_baseq < 0 || o.min_depth < 0) throw input_error("--min-mapq, --min-baseq and --min-depth must be >= 0");
    if (!(o.snv_prior > 0 && o.snv_prior < 1) || !(o.indel_prior > 0 && o.indel_prior < 1))
        throw input_error("--snv-prior and --indel-prior must lie in (0, 1)");
    if (o.chunk_size < 1000) throw input_error("--chunk-size must be at least 1000");
    o.threads = ctx.threads;
    o.command_line = ctx.command_line;
    auto summary = call::run(o, ctx.comm.get(), ctx.log);
    ctx.log.info("wrote ", o.out.string(), ": ", summary.records, " records (", summary.snv_records, " SNV, ",
                 summary.indel_records, " indel sites; ", summary.passing, " PASS) for ", summary.samples.size(), " sample(s)");
    return 0;
}

}  // namespace precis::cli
