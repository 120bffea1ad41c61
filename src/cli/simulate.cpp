// precis simulate: parse options -> simulate_options -> precis::sim::run_simulation.
#include <sstream>

#include "command.hpp"
#include "commands.hpp"
#include "precis/core/error.hpp"
#include "precis/sim/simulate.hpp"

namespace precis::cli {

namespace {

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

}  // namespace

int run_simulate(int argc, char** argv, MPI_Comm comm) {
    sim::simulate_options defaults;
    po::options_description opts("Options of precis simulate");
    // clang-format off
    opts.add_options()
        ("out-dir,o", po::value<std::string>(), "output directory (created if missing)")
        ("seed", po::value<std::uint64_t>()->default_value(1), "random seed: same options and seed give identical files")
        ("contigs", po::value<int>()->default_value(defaults.genome.contigs), "synthetic genome: number of contigs chr1, chr2, ...")
        ("contig-length", po::value<std::int64_t>()->default_value(defaults.genome.contig_length), "synthetic genome: bases per contig")
        ("ref", po::value<std::string>(), "use this FASTA (plain or bgzipped, indexed) instead of a synthetic genome")
        ("ref-contigs", po::value<std::string>(), "with --ref: comma-separated contigs to use (default: all, or the --ref-region contig)")
        ("ref-region", po::value<std::string>(), "with --ref: CHR:BEGIN-END (1-based) to place genes and variants in; "
                                                 "reference.fa keeps CHR from base 1 to END so coordinates are unchanged")
        ("genes", po::value<int>()->default_value(defaults.genes.genes), "protein-coding genes (plus ~10% lncRNA genes)")
        ("samples", po::value<int>()->default_value(defaults.cohort.samples), "cohort samples S000001, ...")
        ("variants", po::value<int>()->default_value(defaults.sites.variants), "cohort sites (with --haplotypes: at most this many)")
        ("phased", po::bool_switch(), "write phased GT in cohort.vcf.gz")
        ("ancestries", po::value<int>()->default_value(defaults.cohort.ancestries), "populations (unequal sizes)")
        ("ancestry-names", po::value<std::string>(), "comma-separated population names (default pop1,pop2,...)")
        ("fst", po::value<double>()->default_value(defaults.cohort.fst), "Balding-Nichols F_ST between populations")
        ("missing-rate", po::value<double>()->default_value(defaults.cohort.missing_rate), "share of cohort genotypes written as ./.")
        ("haplotypes", po::value<std::string>(), "phased VCF of real haplotypes to copy founders from (needs --ref)")
        ("causal", po::value<int>()->default_value(defaults.phenotype.causal), "causal variants of the disease")
        ("heritability", po::value<double>()->default_value(defaults.phenotype.heritability), "liability-scale heritability, in [0, 1)")
        ("prevalence", po::value<double>()->default_value(defaults.phenotype.prevalence), "disease prevalence, in (0, 1)")
        ("patients", po::value<int>()->default_value(defaults.cohort.extra), "patients P0001, ... with reads and truth")
        ("read-length", po::value<int>()->default_value(defaults.reads.read_length), "read length of the paired-end reads")
        ("coverage", po::value<double>()->default_value(defaults.reads.coverage), "mean depth of each patient's reads")
        ("fragment-mean", po::value<double>()->default_value(defaults.reads.fragment_mean), "mean fragment length")
        ("fragment-sd", po::value<double>()->default_value(defaults.reads.fragment_sd), "fragment length standard deviation")
        ("quality-profile", po::value<std::string>(), "FASTQ[,FASTQ2] of real reads: learn per-cycle base qualities "
                                                      "for R1 (and R2) instead of the built-in Illumina curve");
    // clang-format on
    const std::string usage =
        "precis simulate --out-dir DIR [options]\n\n"
        "Simulates a reference genome with genes, a cohort VCF with ancestries and a binary disease, a\n"
        "ClinVar-like known-variant file, population frequencies, and patients with paired-end reads and\n"
        "truth VCFs (docs/simulate.md lists every output). Deterministic for a given seed at any --threads.\n"
        "Not MPI-parallel: under mpiexec, rank 0 does the work and the other ranks wait at a barrier.";
    auto vm = parse("simulate", usage, opts, {}, {"out-dir"}, argc, argv);
    if (!vm) return 0;
    auto s = make_session("simulate", *vm, comm, argc, argv);
    auto& ctx = s.ctx;
    const auto& v = *vm;

    sim::simulate_options o;
    o.out_dir = v["out-dir"].as<std::string>();
    o.seed = v["seed"].as<std::uint64_t>();
    o.threads = ctx.threads;
    o.show_progress = ctx.show_progress && ctx.comm.is_root();
    o.genome.contigs = v["contigs"].as<int>();
    o.genome.contig_length = v["contig-length"].as<std::int64_t>();
    if (v.count("ref")) o.reference.fasta = v["ref"].as<std::string>();
    if (v.count("ref-contigs")) o.reference.contigs = split_list(v["ref-contigs"].as<std::string>());
    if (v.count("ref-region")) o.reference.region = v["ref-region"].as<std::string>();
    if (o.reference.fasta.empty() && (!o.reference.contigs.empty() || !o.reference.region.empty()))
        throw input_error("--ref-contigs and --ref-region need --ref");
    o.genes.genes = v["genes"].as<int>();
    o.cohort.samples = v["samples"].as<int>();
    o.sites.variants = v["variants"].as<int>();
    o.phased = v["phased"].as<bool>();
    o.cohort.ancestries = v["ancestries"].as<int>();
    if (v.count("ancestry-names")) o.cohort.ancestry_names = split_list(v["ancestry-names"].as<std::string>());
    o.cohort.fst = v["fst"].as<double>();
    o.cohort.missing_rate = v["missing-rate"].as<double>();
    if (v.count("haplotypes")) o.haplotypes = v["haplotypes"].as<std::string>();
    o.phenotype.causal = v["causal"].as<int>();
    o.phenotype.heritability = v["heritability"].as<double>();
    o.phenotype.prevalence = v["prevalence"].as<double>();
    o.cohort.extra = v["patients"].as<int>();
    o.reads.read_length = v["read-length"].as<int>();
    o.reads.coverage = v["coverage"].as<double>();
    o.reads.fragment_mean = v["fragment-mean"].as<double>();
    o.reads.fragment_sd = v["fragment-sd"].as<double>();
    if (v.count("quality-profile")) {
        auto files = split_list(v["quality-profile"].as<std::string>());
        if (files.empty() || files.size() > 2)
            throw input_error("--quality-profile takes one FASTQ, or two (R1,R2) separated by a comma");
        for (const auto& f : files) o.reads.profiles.push_back(sim::quality_profile::learn(f));
    }
    sim::validate(o);

    if (ctx.comm.is_root()) {
        if (ctx.comm.size() > 1) ctx.log.info("simulate is not MPI-parallel: rank 0 works, ", ctx.comm.size() - 1, " ranks wait");
        auto summary = sim::run_simulation(o, ctx.log);
        ctx.log.info("wrote ", o.out_dir.string(), ": ", summary.genome_bases, " reference bases, ", summary.genes, " genes, ",
                     summary.cohort_sites, " cohort sites, ", summary.known_variants, " known variants, ", summary.read_pairs,
                     " read pairs");
    }
    ctx.comm.barrier();
    return 0;
}

}  // namespace precis::cli
