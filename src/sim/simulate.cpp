#include "precis/sim/simulate.hpp"

#include <tbb/parallel_for.h>

#include <cstdio>
#include <fstream>
#include <functional>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/core/progress.hpp"
#include "precis/io/fasta.hpp"
#include "precis/sim/clinvar.hpp"
#include "precis/sim/vcf_output.hpp"

namespace precis::sim {

namespace {

std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
}

// Writes a text file through a temporary name.
void write_text(const std::filesystem::path& path, const std::function<void(std::ostream&)>& body) {
    atomic_output out(path);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        if (!file) throw runtime_failure(path.string() + ": cannot create");
        body(file);
        if (!file.flush()) throw runtime_failure(path.string() + ": write failed");
    }
    out.commit();
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

}  // namespace

void validate(const simulate_options& o) {
    if (o.out_dir.empty()) throw input_error("--out-dir is required");
    if (o.cohort.extra < 0 || o.cohort.extra > 9999) throw input_error("--patients must be between 0 and 9999");
    if (o.cohort.samples < 10 || o.cohort.samples > 999999) throw input_error("--samples must be between 10 and 999999");
    if (!(o.phenotype.heritability >= 0 && o.phenotype.heritability < 1))
        throw input_error("--heritability must be in [0, 1) (got " + num(o.phenotype.heritability) + ")");
    if (!(o.phenotype.prevalence > 0 && o.phenotype.prevalence < 1))
        throw input_error("--prevalence must be in (0, 1) (got " + num(o.phenotype.prevalence) + ")");
    if (o.reads.read_length < 30 || o.reads.read_length > 1000) throw input_error("--read-length must be between 30 and 1000");
    if (!(o.reads.coverage >= 0 && o.reads.coverage <= 1000)) throw input_error("--coverage must be between 0 and 1000");
    if (!(o.reads.fragment_sd >= 0) || !(o.reads.fragment_mean >= o.reads.read_length))
        throw input_error("--fragment-mean must be at least --read-length and --fragment-sd non-negative");
    if (!o.haplotypes.empty() && o.reference.fasta.empty())
        throw input_error("--haplotypes needs --ref: real haplotypes only fit their own reference genome");
    if (!o.haplotypes.empty()) require_readable_file(o.haplotypes, "--haplotypes");
    if (!o.reference.fasta.empty()) require_readable_file(o.reference.fasta, "--ref");
    ancestry_labels(o.cohort);
}

simulate_summary run_simulation(const simulate_options& o, const logger& log) {
    validate(o);
    namespace fs = std::filesystem;
    std::error_code ec;
    simulate_summary sum;
    std::vector<std::pair<std::string, std::string>> params = {{"seed", std::to_string(o.seed)}};

    // 1. Reference and genes.
    genome g;
    std::vector<gene> genes;
    gene_summary gs;
    if (o.reference.fasta.empty()) {
        genome_summary ss;
        g = simulate_genome(o.genome, o.seed, &ss);
        genes = simulate_genes(g, o.genes, o.seed, &gs);
        params.insert(params.end(), {{"contigs", std::to_string(o.genome.contigs)}, {"contig_length", std::to_string(o.genome.contig_length)},
                                     {"genome_gc", num(ss.gc)}, {"genome_cpg_observed_expected", num(ss.cpg_observed_expected)},
                                     {"genome_repeat_bases", std::to_string(ss.repeat_bases)},
                                     {"genome_microsatellite_bases", std::to_string(ss.microsatellite_bases)},
                                     {"genome_n_bases", std::to_string(ss.n_bases)}});
        log.info("genome: ", g.size(), " contigs of ", o.genome.contig_length, " bases, GC ", num(ss.gc), ", CpG o/e ",
                 num(ss.cpg_observed_expected));
    } else {
        g = load_reference(o.reference);
        genes = place_genes_on_reference(g, o.genes, o.seed, &gs);
        params.insert(params.end(), {{"ref", o.reference.fasta.string()}, {"ref_contigs", join(g.names, ",")},
                                     {"ref_region", o.reference.region.empty() ? "." : o.reference.region}});
        log.info("reference: ", join(g.names, ","), " from ", o.reference.fasta.string(), ", ", g.usable_length(), " usable bases");
    }
    for (const auto& s : g.sequences) sum.genome_bases += static_cast<std::int64_t>(s.size());
    sum.genes = static_cast<int>(genes.size());
    log.info("genes: ", gs.protein_coding, " protein-coding (", gs.two_isoforms, " with two isoforms) and ", gs.lncrna,
             " lncRNA after ", gs.attempts, " placement attempts (", gs.failed_attempts, " failed)");
    if (gs.protein_coding < o.genes.genes)
        log.warn("only ", gs.protein_coding, " of ", o.genes.genes, " protein-coding genes could be placed");
    params.insert(params.end(), {{"genes", std::to_string(o.genes.genes)}, {"genes_protein_coding", std::to_string(gs.protein_coding)},
                                 {"genes_lncrna", std::to_string(gs.lncrna)}, {"genes_two_isoforms", std::to_string(gs.two_isoforms)},
                                 {"gene_placement_attempts", std::to_string(gs.attempts)}});

    // 2. Cohort (reads --haplotypes).
    cohort c = o.haplotypes.empty() ? simulate_cohort(simulate_sites(g, o.sites, o.seed), o.cohort, o.seed)
                                    : cohort_from_haplotypes(g, o.haplotypes, o.sites.variants, o.cohort, o.seed);
    std::int64_t snv = 0, indel = 0, multi = 0;
    for (std::size_t s = 0; s < c.sites.size(); ++s) {
        if (!c.in_cohort[s]) continue;
        ++sum.cohort_sites;
        multi += c.sites[s].alts.size() > 1;
        (c.sites[s].is_snv() ? snv : indel) += 1;
    }
    log.info("cohort: ", c.samples, " samples x ", sum.cohort_sites, " sites (", snv, " SNV sites, ", indel, " indel sites, ",
             multi, " multi-allelic), founders ", o.haplotypes.empty() ? "generated" : "copied from " + o.haplotypes.string());
    phenotypes ph = simulate_phenotypes(c, o.phenotype, o.seed);
    // Every input (--ref, --haplotypes) has been read and every option checked: only now create the
    // outputs, so bad input leaves none.
    for (const auto& dir : {o.out_dir, o.out_dir / "patients", o.out_dir / "truth"})
        if (fs::create_directories(dir, ec); ec) throw input_error(dir.string() + ": cannot create the directory (" + ec.message() + ")");
    io::write_fasta(o.out_dir / "reference.fa", g.names, g.sequences);
    write_gff3(o.out_dir / "genes.gff3", g, genes);
    write_cohort_vcf(o.out_dir / "cohort.vcf.gz", g, c, o.phased, o.threads);
    write_frequencies_vcf(o.out_dir / "frequencies.vcf.gz", g, c, o.threads);
    params.insert(params.end(), {{"samples", std::to_string(o.cohort.samples)}, {"variants", std::to_string(o.sites.variants)},
                                 {"haplotypes", o.haplotypes.empty() ? "." : o.haplotypes.string()},
                                 {"phased", o.phased ? "1" : "0"}, {"ancestries", join(c.ancestry_names, ",")},
                                 {"fst", num(o.cohort.fst)}, {"missing_rate", num(o.cohort.missing_rate)},
                                 {"cohort_sites", std::to_string(sum.cohort_sites)}, {"cohort_snv_sites", std::to_string(snv)},
                                 {"cohort_indel_sites", std::to_string(indel)}, {"cohort_multiallelic_sites", std::to_string(multi)}});
    for (std::size_t k = 0; k < c.ancestry_names.size(); ++k)
        params.emplace_back("ancestry_share_" + c.ancestry_names[k], num(c.ancestry_share[k]));

    // 3. Disease (simulated before any output is written: --causal is checked against the cohort's sites).
    sum.realised_heritability = ph.realised_heritability;
    sum.realised_prevalence = ph.realised_prevalence;
    log.info("disease: ", ph.causal.size(), " causal variants, realised liability heritability ", num(ph.realised_heritability),
             ", prevalence ", num(ph.realised_prevalence));
    write_text(o.out_dir / "phenotypes.tsv", [&](std::ostream& f) {
        f << "sample_id\tdisease\n";
        for (int i = 0; i < c.samples; ++i) f << sample_name(i) << '\t' << ph.disease[static_cast<std::size_t>(i)] << '\n';
    });
    write_text(o.out_dir / "covariates.tsv", [&](std::ostream& f) {
        f << "sample_id\tage\tsex\n";
        for (int i = 0; i < c.samples; ++i)
            f << sample_name(i) << '\t' << ph.age[static_cast<std::size_t>(i)] << '\t' << ph.sex[static_cast<std::size_t>(i)] << '\n';
    });
    write_text(o.out_dir / "truth" / "samples.tsv", [&](std::ostream& f) {
        f << "sample_id\tancestry\tgenetic_liability\ttotal_liability\tdisease\n";
        for (int i = 0; i < c.samples; ++i) {
            auto ui = static_cast<std::size_t>(i);
            f << sample_name(i) << '\t' << c.ancestry_names[static_cast<std::size_t>(c.ancestry[ui])] << '\t' << num(ph.genetic[ui])
              << '\t' << num(ph.liability[ui]) << '\t' << ph.disease[ui] << '\n';
        }
    });
    write_text(o.out_dir / "truth" / "causal_variants.tsv", [&](std::ostream& f) {
        f << "chrom\tpos\tid\tref\talt\teffect\tfrequency\n";
        for (const auto& cv : ph.causal) {
            const auto& s = c.sites[cv.site];
            f << g.names[static_cast<std::size_t>(s.contig)] << '\t' << s.pos + 1 << '\t' << site_id(g, s) << '\t' << s.ref << '\t'
              << s.alts[0] << '\t' << num(cv.effect) << '\t' << num(cv.frequency) << '\n';
        }
    });
    params.insert(params.end(), {{"causal", std::to_string(o.phenotype.causal)}, {"heritability", num(o.phenotype.heritability)},
                                 {"prevalence", num(o.phenotype.prevalence)}, {"covariate_share", num(o.phenotype.covariate_share)},
                                 {"liability_threshold", num(ph.threshold)},
                                 {"realised_heritability", num(ph.realised_heritability)},
                                 {"realised_prevalence", num(ph.realised_prevalence)}});

    // 4. Known variants.
    auto known = simulate_clinvar(g, genes, c, o.seed);
    sum.known_variants = static_cast<std::int64_t>(known.size());
    std::int64_t pathogenic = 0;
    for (const auto& k : known) pathogenic += k.pathogenic();
    log.info("clinvar: ", known.size(), " known variants (", pathogenic, " pathogenic or likely pathogenic)");
    write_clinvar_vcf(o.out_dir / "clinvar.vcf.gz", g, known);
    params.insert(params.end(), {{"known_variants", std::to_string(known.size())}, {"known_pathogenic", std::to_string(pathogenic)}});

    // 5. Patients: truth and reads, one task per patient.
    auto patients = make_patients(c, known, o.seed);
    std::vector<std::int64_t> pairs(patients.size(), 0);
    {
        progress bar("patients", patients.size(), "patients", o.show_progress);
        tbb::parallel_for(std::size_t{0}, patients.size(), [&](std::size_t i) {
            write_truth_vcf(o.out_dir / "patients" / (patients[i].id + ".truth.vcf.gz"), g, patients[i]);
            pairs[i] = simulate_reads(g, patients[i], o.reads, o.out_dir / "patients", o.seed);
            bar.add(1);
        });
        bar.finish();
    }
    write_text(o.out_dir / "patients" / "patients.tsv", [&](std::ostream& f) {
        f << "patient_id\tancestry\tage\tsex\tgenetic_liability\tdisease\tread_pairs\tplanted\n";
        for (std::size_t i = 0; i < patients.size(); ++i) {
            const auto& p = patients[i];
            auto ui = static_cast<std::size_t>(p.individual);
            std::vector<std::string> planted;
            for (auto k : p.planted) {
                const auto& kv = known[k];
                planted.push_back(site_id(g, kv.site) + ":" + genes[kv.gene].name + ":" + kv.consequence.substr(kv.consequence.find('|') + 1) +
                                  ":" + kv.clnsig + ":" + std::to_string(kv.variation_id));
            }
            f << p.id << '\t' << c.ancestry_names[static_cast<std::size_t>(c.ancestry[ui])] << '\t' << ph.age[ui] << '\t' << ph.sex[ui]
              << '\t' << num(ph.genetic[ui]) << '\t' << ph.disease[ui] << '\t' << pairs[i] << '\t'
              << (planted.empty() ? "." : join(planted, ";")) << '\n';
            sum.read_pairs += pairs[i];
        }
    });
    log.info("patients: ", patients.size(), " with ", sum.read_pairs, " read pairs of ", o.reads.read_length, " bp at ",
             num(o.reads.coverage), "x");
    params.insert(params.end(), {{"patients", std::to_string(patients.size())}, {"read_length", std::to_string(o.reads.read_length)},
                                 {"coverage", num(o.reads.coverage)}, {"fragment_mean", num(o.reads.fragment_mean)},
                                 {"fragment_sd", num(o.reads.fragment_sd)}, {"read_pairs", std::to_string(sum.read_pairs)}});
    write_text(o.out_dir / "truth" / "parameters.tsv", [&](std::ostream& f) {
        f << "parameter\tvalue\n";
        for (const auto& [k, v] : params) f << k << '\t' << v << '\n';
    });
    return sum;
}

}  // namespace precis::sim
