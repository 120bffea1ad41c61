// precis annotate: consequences, HGVS, ClinVar and frequencies for a VCF. Options only; the work is annotate::run.
#include "command.hpp"
#include "commands.hpp"
#include "precis/annotate/annotate.hpp"

namespace precis::cli {

int run_annotate(int argc, char** argv, MPI_Comm comm) {
    po::options_description options("Options of precis annotate");
    options.add_options()
        ("ref", po::value<std::string>(), "reference FASTA (indexed, plain or bgzipped)")
        ("genes", po::value<std::string>(), "gene models: GFF3 (Ensembl, GENCODE, RefSeq) or GTF, plain or gzipped")
        ("vcf", po::value<std::string>(), "input VCF/BCF; indexed for more than one MPI rank")
        ("out", po::value<std::string>(), "output VCF (.vcf.gz, bgzipped and .tbi-indexed) with a VEP-style CSQ field")
        ("known", po::value<std::string>(), "ClinVar-format VCF (CLNSIG, CLNREVSTAT, CLNDN, ALLELEID, RS)")
        ("frequencies", po::value<std::string>(), "VCF with AF and AF_<pop> INFO fields")
        ("panel", po::value<std::string>(), "gene symbols or ids, one a line: HIGH impact in these is reportable")
        ("tsv", po::value<std::string>(), "also write one row per allele x transcript")
        ("findings", po::value<std::string>(), "reportable findings per sample (TSV, docs/annotate.md)")
        ("local-csq", po::bool_switch(), "no haplotype-aware consequences: do not combine phased alleles of one haplotype "
                                         "in the same codon or frame-restoring indels (INFO/HCSQ; as bcftools csq --local-csq)")
        ("compression-level", po::value<int>()->default_value(-1),
         "BGZF compression of the output VCF: -1 HTSlib's default (as bcftools), 0 none to 9 smallest; "
         "lower levels write faster and larger files")
        ("strict", po::bool_switch(), "bad records (REF mismatch, unknown contig, symbolic allele, ALT equal to REF) and malformed "
                                      "GFF3/GTF lines (or a missing parent) are input errors instead of being counted and skipped");
    po::positional_options_description positional;
    auto vm = parse("annotate",
                    "precis annotate --ref REF.fa --genes GENES.gff3 --vcf IN.vcf.gz --out OUT.vcf.gz [--known clinvar.vcf.gz] "
                    "[--frequencies af.vcf.gz] [--panel genes.txt] [--tsv OUT.tsv] [--findings FINDINGS.tsv] [--local-csq] [--strict] "
                    "[--compression-level N]",
                    options, positional, {"ref", "genes", "vcf", "out"}, argc, argv,
                    {"out", "tsv", "findings"});
    if (!vm) return 0;
    session s = make_session("annotate", *vm, comm, argc, argv);
    const context& ctx = s.ctx;
    annotate::annotate_options opts;
    auto path = [&](const char* key) { return vm->count(key) ? std::filesystem::path((*vm)[key].as<std::string>()) : std::filesystem::path(); };
    opts.ref = path("ref");
    opts.genes = path("genes");
    opts.vcf = path("vcf");
    opts.out = path("out");
    opts.known = path("known");
    opts.frequencies = path("frequencies");
    opts.panel = path("panel");
    opts.tsv = path("tsv");
    opts.findings = path("findings");
    opts.strict = (*vm)["strict"].as<bool>();
    opts.haplotypes = !(*vm)["local-csq"].as<bool>();
    opts.threads = ctx.threads;
    opts.compression_level = (*vm)["compression-level"].as<int>();
    auto summary = annotate::run(opts, ctx.comm.get(), ctx.log);
    ctx.log.info(summary.records, " records, ", summary.alleles, " alleles, ", summary.csq_entries, " CSQ entries, ",
                 summary.findings, " findings");
    if (ctx.comm.is_root())  // the sums over ranks, once
        for (const auto& [kind, n] : summary.problems) ctx.log.warn(kind, ": ", n, " in total");
    return 0;
}

}  // namespace precis::cli
