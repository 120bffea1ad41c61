// precis align: options -> align::align_options -> align::run_align.
#include "command.hpp"
#include "commands.hpp"
#include "precis/align/align.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::cli {

int run_align(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis align");
    options.add_options()
        ("ref", po::value<std::string>(), "reference FASTA the index was built from (checked by SHA-256)")
        ("index", po::value<std::string>(), "index from precis index (default: REF.pidx)")
        ("reads1", po::value<std::string>(), "FASTQ (gzip/bgzip/plain) of read 1, or of single-end reads")
        ("reads2", po::value<std::string>(), "FASTQ of read 2 (paired-end); same names and order as --reads1")
        ("out", po::value<std::string>(), "output SAMPLE.bam (coordinate-sorted, with .bai), or SAMPLE.cram with --cram")
        ("read-group", po::value<std::string>(), "read group header line, e.g. '@RG\\tID:s1\\tSM:s1\\tPL:ILLUMINA'")
        ("cram", po::bool_switch(), "write CRAM (+ .crai) against --ref instead of BAM")
        ("batch", po::value<std::int64_t>()->default_value(20000), "pairs per batch; batches are dealt to MPI ranks")
        ("sort-memory", po::value<std::int64_t>()->default_value(2048),
         "MiB of records a rank holds before writing a sorted run next to the output (merged at the end)")
        ("insert-sample", po::value<std::int64_t>()->default_value(20000),
         "the first N pairs learn the insert-size model (same model at any rank or thread count)")
        ("min-score", po::value<int>()->default_value(30), "minimum alignment score to report a hit")
        ("max-occ", po::value<int>()->default_value(500), "ignore minimizers occurring more often than this")
        ("max-secondary", po::value<int>()->default_value(3),
         "secondary (flag 256, MAPQ 0) records per read for other places its aligned part fits about as well; "
         "0 writes none")
        ("secondary-margin", po::value<int>()->default_value(10),
         "a secondary scores at least the primary's AS minus this");
    po::positional_options_description positional;
    auto vm = parse("align",
                    "precis align --ref REF.fa --reads1 R1.fq.gz [--reads2 R2.fq.gz] --out SAMPLE.bam "
                    "[--read-group '@RG\\tID:..\\tSM:..'] [--cram]",
                    options, positional, {"ref", "reads1", "out"}, argc, argv, {"out"});
    if (!vm) return 0;
    session s = make_session("align", *vm, comm, argc, argv);
    const context& ctx = s.ctx;
    const auto& v = *vm;
    align::align_options o;
    o.reference = v["ref"].as<std::string>();
    if (v.count("index")) o.index = v["index"].as<std::string>();
    o.reads1 = v["reads1"].as<std::string>();
    if (v.count("reads2")) o.reads2 = v["reads2"].as<std::string>();
    o.out = v["out"].as<std::string>();
    o.cram = v["cram"].as<bool>();
    if (v.count("read-group")) o.read_group = v["read-group"].as<std::string>();
    o.batch_pairs = v["batch"].as<std::int64_t>();
    if (v["sort-memory"].as<std::int64_t>() < 1) throw input_error("--sort-memory must be at least 1 (MiB)");
    o.sort_memory = v["sort-memory"].as<std::int64_t>() << 20;
    o.insert_sample = v["insert-sample"].as<std::int64_t>();
    o.mapping.min_score = v["min-score"].as<int>();
    o.mapping.max_occurrences = v["max-occ"].as<int>();
    o.mapping.max_secondary = v["max-secondary"].as<int>();
    o.mapping.secondary_margin = v["secondary-margin"].as<int>();
    if (o.mapping.max_secondary < 0 || o.mapping.secondary_margin < 0)
        throw input_error("--max-secondary and --secondary-margin must be >= 0");
    o.command_line = ctx.command_line;
    o.threads = ctx.threads;
    o.show_progress = ctx.show_progress;
    require_readable_file(o.reference, "--ref");
    require_readable_file(o.reads1, "--reads1");
    if (!o.reads2.empty()) require_readable_file(o.reads2, "--reads2");

    auto st = align::run_align(o, ctx.comm, ctx.log);
    ctx.log.info("aligned ", st.reads, " reads (", st.mapped, " mapped, ", st.proper_pairs, " proper pairs) in ",
                 st.total_seconds, " s; wrote ", o.out.string());
    return 0;
}

}  // namespace precis::cli
