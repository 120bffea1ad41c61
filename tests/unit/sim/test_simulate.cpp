// The whole `precis simulate` run at a small size: determinism, file contents, reads and truth.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "precis/core/error.hpp"
#include "precis/io/fasta.hpp"
#include "precis/io/fastq.hpp"
#include "precis/io/vcf.hpp"
#include "precis/sim/simulate.hpp"

using namespace precis::sim;
namespace fs = std::filesystem;

namespace {

simulate_options small_options(const fs::path& dir) {
    simulate_options o;
    o.out_dir = dir;
    o.seed = 11;
    o.genome = {2, 300'000};
    o.genes.genes = 8;
    o.cohort.samples = 200;
    o.sites.variants = 2000;
    o.phenotype.causal = 20;
    o.cohort.extra = 2;
    o.reads.coverage = 1.0;
    return o;
}

const fs::path& run_dir() {
    static fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("precis_test_sim_" + std::to_string(::getpid()));
        fs::remove_all(d);
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        run_simulation(small_options(d / "a"), precis::logger("test", precis::log_level::warn));
        return d;
    }();
    return dir;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<patient_variant> read_truth(const fs::path& path, const genome& g, int* planted) {
    precis::io::vcf_reader reader(path);
    auto rec = precis::io::make_bcf_record();
    std::vector<patient_variant> out;
    int32_t* gt = nullptr;
    int n = 0;
    while (reader.next(rec.get(), BCF_UN_ALL)) {
        patient_variant v;
        v.site.contig = g.index_of(bcf_seqname(reader.header(), rec.get()));
        v.site.pos = rec->pos;
        v.site.ref = rec->d.allele[0];
        for (int a = 1; a < rec->n_allele; ++a) v.site.alts.push_back(rec->d.allele[a]);
        EXPECT_EQ(bcf_get_genotypes(reader.header(), rec.get(), &gt, &n), 2);
        EXPECT_TRUE(bcf_gt_is_phased(gt[1]));
        v.allele[0] = bcf_gt_allele(gt[0]);
        v.allele[1] = bcf_gt_allele(gt[1]);
        *planted += bcf_get_info_flag(reader.header(), rec.get(), "PLANTED", nullptr, nullptr) == 1;
        out.push_back(v);
    }
    std::free(gt);
    return out;
}

genome load(const fs::path& fa) { return load_reference({fa, {}, ""}); }

}  // namespace

TEST(SimSimulate, SameSeedSameBytesAtAnyThreadCount) {
    fs::path b = run_dir() / "b";
    {
        tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
        auto o = small_options(b);
        o.threads = 2;
        run_simulation(o, precis::logger("test", precis::log_level::warn));
    }
    int files = 0;
    for (const auto& e : fs::recursive_directory_iterator(run_dir() / "a")) {
        if (!e.is_regular_file()) continue;
        fs::path other = b / fs::relative(e.path(), run_dir() / "a");
        ASSERT_TRUE(fs::exists(other)) << other;
        EXPECT_TRUE(slurp(e.path()) == slurp(other)) << e.path();
        ++files;
    }
    EXPECT_EQ(files, 23);
    auto o = small_options(run_dir() / "c");
    o.seed = 12;
    run_simulation(o, precis::logger("test", precis::log_level::warn));
    EXPECT_NE(slurp(run_dir() / "a" / "cohort.vcf.gz"), slurp(run_dir() / "c" / "cohort.vcf.gz"));
}

TEST(SimSimulate, VcfRefAllelesMatchTheWrittenReference) {
    fs::path a = run_dir() / "a";
    genome g = load(a / "reference.fa");
    for (const char* name : {"cohort.vcf.gz", "frequencies.vcf.gz", "clinvar.vcf.gz", "patients/P0001.truth.vcf.gz"}) {
        precis::io::vcf_reader reader(a / name);
        auto rec = precis::io::make_bcf_record();
        int n = 0;
        while (reader.next(rec.get())) {
            int c = g.index_of(bcf_seqname(reader.header(), rec.get()));
            ASSERT_GE(c, 0);
            std::string ref = rec->d.allele[0];
            ASSERT_EQ(g.sequences[static_cast<std::size_t>(c)].substr(static_cast<std::size_t>(rec->pos), ref.size()), ref)
                << reader.where(rec.get());
            ++n;
        }
        EXPECT_GT(n, 0) << name;
    }
}

TEST(SimSimulate, Gff3CdsTranslateFromTheWrittenReference) {
    fs::path a = run_dir() / "a";
    genome g = load(a / "reference.fa");
    std::ifstream in(a / "genes.gff3");
    std::string line;
    struct cds_parts { int contig; char strand; std::vector<std::pair<std::int64_t, std::int64_t>> parts; };
    std::map<std::string, cds_parts> cds;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
        ASSERT_EQ(f.size(), 9u) << line;
        if (f[2] != "CDS") continue;
        auto p = f[8].find("Parent=");
        std::string parent = f[8].substr(p + 7, f[8].find(';', p) - p - 7);
        auto& c = cds[parent];
        c.contig = g.index_of(f[0]);
        c.strand = f[6][0];
        c.parts.emplace_back(std::stoll(f[3]) - 1, std::stoll(f[4]));
    }
    ASSERT_GE(cds.size(), 8u);
    std::set<char> strands;
    for (auto& [id, c] : cds) {
        std::sort(c.parts.begin(), c.parts.end());
        std::string s;
        for (auto [b, e] : c.parts) s += g.sequences[static_cast<std::size_t>(c.contig)].substr(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b));
        if (c.strand == '-') s = reverse_complement(s);
        EXPECT_EQ(s.size() % 3, 0u) << id;
        EXPECT_TRUE(is_valid_orf(s)) << id << " " << translate(s);
        strands.insert(c.strand);
    }
    EXPECT_EQ(strands.size(), 2u);
}

TEST(SimSimulate, ReadsComeFromTheirRecordedHaplotypeOrigin) {
    fs::path a = run_dir() / "a";
    genome g = load(a / "reference.fa");
    int planted = 0;
    auto variants = read_truth(a / "patients" / "P0001.truth.vcf.gz", g, &planted);
    EXPECT_EQ(planted, 1);
    std::vector<haplotype_sequence> haps;
    for (int c = 0; c < g.size(); ++c)
        for (int h = 0; h < 2; ++h) haps.push_back(build_haplotype(g, variants, c, h));
    precis::io::fastq_reader r1(a / "patients" / "P0001_R1.fq.gz"), r2(a / "patients" / "P0001_R2.fq.gz");
    precis::io::fastq_record x, y;
    int reads = 0, close = 0;
    while (r1.next(x)) {
        ASSERT_TRUE(r2.next(y));
        ASSERT_EQ(x.name, y.name);
        std::vector<std::string> f;
        std::stringstream ss(x.name);
        for (std::string t; std::getline(ss, t, ':');) f.push_back(t);
        ASSERT_EQ(f.size(), 6u) << x.name;
        int c = g.index_of(f[1]);
        int hap = f[4][0] - '1';
        bool forward = f[4][1] == '+';
        const auto& h = haps[static_cast<std::size_t>(c * 2 + hap)];
        for (int mate = 0; mate < 2; ++mate) {
            const auto& rec = mate == 0 ? x : y;
            auto ref_pos = static_cast<std::uint32_t>(std::stoll(f[2 + mate]) - 1);
            auto at = static_cast<std::size_t>(std::lower_bound(h.ref_pos.begin(), h.ref_pos.end(), ref_pos) - h.ref_pos.begin());
            std::string truth = h.sequence.substr(at, rec.sequence.size());
            bool read_forward = (mate == 0) == forward;
            std::string seq = read_forward ? rec.sequence : reverse_complement(rec.sequence);
            int mismatches = 0;
            for (std::size_t i = 0; i < seq.size() && i < truth.size(); ++i) mismatches += seq[i] != truth[i];
            close += mismatches <= 8;
            ++reads;
        }
    }
    ASSERT_GT(reads, 1000);
    EXPECT_GT(close, reads * 95 / 100);
}

TEST(SimSimulate, PlantedVariantIsPathogenicInClinvar) {
    fs::path a = run_dir() / "a";
    std::ifstream in(a / "patients" / "patients.tsv");
    std::string header, line;
    std::getline(in, header);
    std::getline(in, line);
    ASSERT_EQ(line.rfind("P0001\t", 0), 0u);
    std::string planted = line.substr(line.rfind('\t') + 1);
    ASSERT_NE(planted, ".");
    std::string id = planted.substr(planted.rfind(':') + 1);
    precis::io::vcf_reader reader(a / "clinvar.vcf.gz");
    auto rec = precis::io::make_bcf_record();
    bool found = false;
    char* sig = nullptr;
    int n = 0;
    while (reader.next(rec.get(), BCF_UN_ALL))
        if (std::string(rec->d.id) == id) {
            found = true;
            ASSERT_GT(bcf_get_info_string(reader.header(), rec.get(), "CLNSIG", &sig, &n), 0);
            EXPECT_NE(std::string(sig).find("athogenic"), std::string::npos);
        }
    std::free(sig);
    EXPECT_TRUE(found) << id;
}

TEST(SimSimulate, TablesHaveOneRowPerSample) {
    fs::path a = run_dir() / "a";
    for (const char* name : {"phenotypes.tsv", "covariates.tsv", "truth/samples.tsv"}) {
        std::ifstream in(a / name);
        int lines = 0;
        for (std::string l; std::getline(in, l);) ++lines;
        EXPECT_EQ(lines, 201) << name;
    }
    EXPECT_NE(slurp(a / "truth" / "parameters.tsv").find("realised_heritability\t"), std::string::npos);
}

TEST(SimSimulate, BcftoolsAcceptsEveryVcf) {
    if (std::system("bcftools --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "bcftools not installed";
    fs::path a = run_dir() / "a";
    for (const char* name : {"cohort.vcf.gz", "frequencies.vcf.gz", "clinvar.vcf.gz", "patients/P0001.truth.vcf.gz",
                             "patients/P0002.truth.vcf.gz"}) {
        std::string cmd = "bcftools view -Ou '" + (a / name).string() + "' > /dev/null 2>&1";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << name;
    }
}

TEST(SimSimulate, BadInputsAreInputErrors) {
    precis::logger log("test", precis::log_level::error);
    auto o = small_options(run_dir() / "bad");
    o.phenotype.heritability = 1.5;
    EXPECT_THROW(run_simulation(o, log), precis::input_error);
    o = small_options(run_dir() / "bad");
    o.reference.fasta = run_dir() / "missing.fa";
    EXPECT_THROW(run_simulation(o, log), precis::input_error);
    // A phased panel whose REF disagrees with the reference: the message names the record.
    fs::path a = run_dir() / "a";
    genome g = load(a / "reference.fa");
    char wrong = g.sequences[0][1000] == 'A' ? 'C' : 'A';
    fs::path vcf = run_dir() / "panel.vcf";
    {
        std::ofstream out(vcf);
        out << "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"GT\">\n"
            << "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\n"
            << "chr1\t1001\t.\t" << wrong << "\tG\t.\t.\t.\tGT\t0|1\t1|0\n";
    }
    o = small_options(run_dir() / "bad");
    o.reference.fasta = a / "reference.fa";
    o.haplotypes = vcf;
    try {
        run_simulation(o, log);
        ADD_FAILURE() << "no error";
    } catch (const precis::input_error& e) {
        EXPECT_NE(std::string(e.what()).find("chr1:1001"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("REF"), std::string::npos) << e.what();
    }
}

TEST(SimSimulate, RealHaplotypesOnChr20) {
    fs::path fa = "/usr/share/doc/vt/examples/ref/20.fa.gz";
    fs::path panel = "/usr/share/doc/shapeit4/examples/test/reference.vcf.gz";
    if (!fs::exists(fa) || !fs::exists(panel)) GTEST_SKIP() << "vt-examples or shapeit4-example not installed";
    auto o = small_options(run_dir() / "real");
    o.reference = {fa, {}, "20:1000000-1600000"};
    o.haplotypes = panel;
    o.genes.genes = 3;
    auto s = run_simulation(o, precis::logger("test", precis::log_level::warn));
    EXPECT_GT(s.cohort_sites, 500);
    EXPECT_EQ(s.genes, 4);
    genome g = load(run_dir() / "real" / "reference.fa");
    EXPECT_EQ(g.sequences[0].size(), 1'600'000u);
    std::string params = slurp(run_dir() / "real" / "truth" / "parameters.tsv");
    EXPECT_NE(params.find("ancestry_share_pop2\t"), std::string::npos);
}
