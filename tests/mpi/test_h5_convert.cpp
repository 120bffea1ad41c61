// convert at any rank count equals the serial conversion; collective sample-shard reads equal serial reads;
// VCF -> convert -> export keeps every GT (as bcftools norm -m- splits them). Run at 1, 2 and 4 ranks.
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "precis/core/error.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/h5/convert.hpp"
#include "precis/h5/export.hpp"
#include "precis/h5/genotype.hpp"
#include "precis/io/vcf.hpp"
#include "precis/mpi/communicator.hpp"
#include "precis/mpi/partition.hpp"

namespace fs = std::filesystem;
using namespace precis;

namespace {

const mpi::communicator& world() {
    static mpi::communicator c(MPI_COMM_WORLD);
    return c;
}

fs::path g_dir;  // shared scratch directory, made by rank 0
const int n_samples = 23;

// A multi-contig VCF with multi-allelic records, phased, unphased, haploid and missing calls.
std::string make_vcf_text(bool bad_gt) {
    std::mt19937 rng(11);
    std::ostringstream out;
    out << "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=200000>\n##contig=<ID=chr2,length=90000>\n"
           "##contig=<ID=chrX>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";
    for (int s = 0; s < n_samples; ++s) out << "\tS" << s;
    out << "\n";
    const char* calls[] = {"0/0", "0/0", "0/0", "0/1", "1/1", "0|1", "1|0", "./.", ".|.", "1|1", "0|0", "./1", "1/0", "0|."};
    const char* multi[] = {"1/2", "2|1", "1|2", "2/2", "0/2", "0|2", "2|0", "0/0", "./."};
    const char* contigs[] = {"chr1", "chr2", "chrX"};
    const int records[] = {1300, 700, 300};
    int n = 0;
    for (int c = 0; c < 3; ++c) {
        int pos = 0;
        for (int r = 0; r < records[c]; ++r, ++n) {
            pos += 1 + static_cast<int>(rng() % 100);
            if (r % 97 == 5) pos -= 1;  // equal positions now and then
            if (pos < 1) pos = 1;
            bool is_multi = r % 13 == 0;
            bool no_alt = r % 211 == 7;
            out << contigs[c] << "\t" << pos << "\t" << (r % 3 ? std::string(".") : std::string("rs").append(std::to_string(n))) << "\tA\t"
                << (no_alt ? "." : is_multi ? "C,GT" : (r % 5 ? "G" : "<DEL>")) << "\t.\tPASS\t.\tGT";
            for (int s = 0; s < n_samples; ++s) {
                std::string gt = no_alt ? "0/0" : is_multi ? multi[rng() % 9] : calls[rng() % 14];
                if (c == 2 && s % 4 == 0) gt = gt[0] == '.' ? "." : gt.substr(0, 1) == "2" ? "1" : gt.substr(0, 1);
                if (bad_gt && c == 1 && r == 350 && s == 3) gt = "0/1/1";
                out << "\t" << gt;
            }
            out << "\n";
        }
    }
    return out.str();
}

// Writes text VCF `text` as an indexed .vcf.gz through HTSlib (rank 0 only).
void write_indexed(const std::string& text, const fs::path& gz) {
    fs::path plain = gz.string() + ".txt.vcf";
    std::ofstream(plain) << text;
    io::vcf_reader in(plain);
    io::vcf_writer out(gz, in.header());
    auto rec = io::make_bcf_record();
    while (in.next(rec.get(), BCF_UN_ALL)) out.write(rec.get());
    out.close(true);
}

h5::convert_options options_for(const fs::path& vcf, const fs::path& out) {
    h5::convert_options o;
    o.vcf = vcf;
    o.out = out;
    o.threads = 2;
    o.command_line = "test";
    return o;
}

const logger& quiet_log() {
    static logger log("test", log_level::error, world().rank());
    return log;
}

// Reads every dataset of a cohort file serially, as text, for comparison.
std::string contents(const fs::path& path) {
    h5::cohort_reader r = h5::cohort_reader::open(path);
    std::ostringstream out;
    for (const auto& s : r.samples()) out << s << ",";
    for (const auto& c : r.contigs()) out << c.name << ":" << c.length << ",";
    auto v = r.read_variants({0, r.n_variants()});
    for (std::size_t i = 0; i < v.size(); ++i)
        out << v.chrom[i] << " " << v.pos[i] << " " << v.id[i] << " " << v.ref[i] << " " << v.alt[i] << "\n";
    std::vector<std::int8_t> d(r.n_variants() * r.n_samples()), f(d.size());
    r.read_dosage({0, r.n_variants()}, {0, r.n_samples()}, d.data());
    r.read_gt_flags({0, r.n_variants()}, {0, r.n_samples()}, f.data());
    for (std::size_t i = 0; i < d.size(); ++i) out << int(d[i]) << int(f[i]);
    return out.str();
}

// Biallelic rows of a VCF, counted independently of convert.
std::int64_t count_rows(const fs::path& vcf) {
    io::vcf_reader in(vcf);
    auto rec = io::make_bcf_record();
    std::int64_t rows = 0;
    while (in.next(rec.get())) rows += std::max(1, static_cast<int>(rec->n_allele) - 1);
    return rows;
}

std::string h5dump_data(const fs::path& path) {
    fs::path txt = path.string() + ".dump";
    std::string cmd = "h5dump -g /samples -g /contigs -g /variants -g /calldata -g /phenotypes -g /covariates " +
                      path.string() + " 2>/dev/null | tail -n +2 > " + txt.string();
    if (std::system(cmd.c_str()) != 0) return "";
    std::ifstream in(txt);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(H5ConvertMpi, SameContentsAtEveryRankCount) {
    fs::path vcf = g_dir / "cohort.vcf.gz";
    fs::path out = g_dir / ("world.np" + std::to_string(world().size()) + ".h5");
    auto summary = h5::convert(options_for(vcf, out), MPI_COMM_WORLD, quiet_log());
    EXPECT_EQ(summary.records, 2300);
    EXPECT_EQ(summary.rows, count_rows(vcf));
    EXPECT_EQ(summary.samples, n_samples);
    int failures = 0;
    if (world().is_root()) {
        fs::path serial = g_dir / "serial.h5";
        h5::convert(options_for(vcf, serial), MPI_COMM_SELF, quiet_log());
        EXPECT_EQ(contents(out), contents(serial));
        EXPECT_FALSE(fs::exists(g_dir / ".precis-partial.serial.h5"));
        std::string a = h5dump_data(out), b = h5dump_data(serial);
        EXPECT_FALSE(a.empty()) << "h5dump failed";
        EXPECT_TRUE(a == b) << "h5dump differs between " << world().size() << " ranks and 1";
        failures = ::testing::Test::HasFailure();
    }
    EXPECT_FALSE(world().any(failures));
}

TEST(H5ConvertMpi, CollectiveSampleShardReadsEqualSerialReads) {
    fs::path path = g_dir / ("world.np" + std::to_string(world().size()) + ".h5");
    ASSERT_TRUE(fs::exists(path));
    std::vector<std::int8_t> serial;
    std::int64_t nv = 0, ns = 0;
    {
        h5::cohort_reader r = h5::cohort_reader::open(path);
        nv = r.n_variants();
        ns = r.n_samples();
        serial.resize(nv * ns);
        r.read_dosage({0, nv}, {0, ns}, serial.data());
    }
    world().barrier();
    h5::cohort_reader r = h5::cohort_reader::open(path, MPI_COMM_WORLD);
    EXPECT_EQ(r.n_variants(), nv);
    auto shard = mpi::block_range(ns, world().size(), world().rank());
    const std::int64_t block = 500;
    for (std::int64_t first = 0; first < nv; first += block) {
        mpi::index_range rows{first, std::min(first + block, nv)};
        std::vector<std::int8_t> got(rows.size() * shard.size());
        r.read_dosage(rows, shard, got.data(), h5::transfer::collective);
        for (std::int64_t i = 0; i < rows.size(); ++i)
            for (std::int64_t s = 0; s < shard.size(); ++s)
                ASSERT_EQ(got[i * shard.size() + s], serial[(first + i) * ns + shard.begin + s]);
    }
    auto v = r.read_variants({0, nv}, h5::transfer::collective);
    EXPECT_EQ(static_cast<std::int64_t>(v.size()), nv);
}

// Export equals bcftools norm -m- on the GTs: allele order, phase and half-missing calls are kept.
TEST(H5ConvertMpi, ExportRoundTripKeepsGenotypes) {
    fs::path cohort = g_dir / ("world.np" + std::to_string(world().size()) + ".h5");
    fs::path out = g_dir / ("export.np" + std::to_string(world().size()) + ".vcf.gz");
    h5::export_options o;
    o.cohort = cohort;
    o.out = out;
    o.threads = 2;
    o.command_line = "test";
    EXPECT_EQ(h5::export_vcf(o, MPI_COMM_WORLD, quiet_log()), count_rows(g_dir / "cohort.vcf.gz"));
    if (!world().is_root()) return;
    EXPECT_TRUE(fs::exists(out.string() + ".tbi"));
    io::vcf_reader in(g_dir / "cohort.vcf.gz");
    io::vcf_reader back(out);
    ASSERT_EQ(in.samples(), back.samples());
    auto a = io::make_bcf_record(), b = io::make_bcf_record();
    std::int32_t *ga = nullptr, *gb = nullptr;
    int na = 0, nb = 0;
    std::int64_t rows = 0;
    while (in.next(a.get(), BCF_UN_ALL)) {
        int n = bcf_get_genotypes(in.header(), a.get(), &ga, &na) / n_samples;
        for (int alt = 1; alt < std::max(2, static_cast<int>(a->n_allele)); ++alt, ++rows) {
            ASSERT_TRUE(back.next(b.get(), BCF_UN_ALL)) << "export has fewer rows";
            ASSERT_EQ(bcf_seqname(in.header(), a.get()), std::string(bcf_seqname(back.header(), b.get())));
            ASSERT_EQ(a->pos, b->pos);
            ASSERT_STREQ(a->d.id, b->d.id);
            ASSERT_STREQ(a->d.allele[0], b->d.allele[0]);
            ASSERT_STREQ(a->n_allele > 1 ? a->d.allele[alt] : ".", b->n_allele > 1 ? b->d.allele[1] : ".");
            int m = bcf_get_genotypes(back.header(), b.get(), &gb, &nb) / n_samples;
            for (int s = 0; s < n_samples; ++s) {
                // bcftools norm -m-: allele `alt` -> 1, every other allele -> 0; missing stays missing.
                std::string want, got;
                for (int k = 0; k < n && ga[s * n + k] != bcf_int32_vector_end; ++k) {
                    if (k) want += bcf_gt_is_phased(ga[s * n + k]) ? "|" : "/";
                    want += bcf_gt_is_missing(ga[s * n + k]) ? "." : (bcf_gt_allele(ga[s * n + k]) == alt ? "1" : "0");
                }
                for (int k = 0; k < m && gb[s * m + k] != bcf_int32_vector_end; ++k) {
                    if (k) got += bcf_gt_is_phased(gb[s * m + k]) ? "|" : "/";
                    got += bcf_gt_is_missing(gb[s * m + k]) ? "." : std::to_string(bcf_gt_allele(gb[s * m + k]));
                }
                ASSERT_EQ(want, got) << "row " << rows << " sample " << s;
            }
        }
    }
    EXPECT_FALSE(back.next(b.get(), BCF_UN_STR)) << "export has more rows";
    std::free(ga);
    std::free(gb);
}

TEST(H5ConvertMpi, BadRecordFailsOnEveryRankAndLeavesNoFile) {
    fs::path out = g_dir / ("bad.np" + std::to_string(world().size()) + ".h5");
    std::string message;
    try {
        h5::convert(options_for(g_dir / "bad.vcf.gz", out), MPI_COMM_WORLD, quiet_log());
    } catch (const input_error& e) {
        message = e.what();
    }
    // One rank reads the file from its start and counts records; ranks reading regions name CHROM:POS.
    EXPECT_NE(message.find(world().size() == 1 ? "bad.vcf.gz: record" : "bad.vcf.gz: chr"), std::string::npos) << message;
    EXPECT_NE(message.find("more than two alleles"), std::string::npos) << message;
    world().barrier();
    EXPECT_FALSE(fs::exists(out));
    EXPECT_FALSE(fs::exists(g_dir / (".precis-partial." + out.filename().string())));
}

TEST(H5ConvertMpi, UnindexedInputNeedsOneRank) {
    fs::path plain = g_dir / "cohort.vcf.gz.txt.vcf";
    fs::path out = g_dir / ("plain.np" + std::to_string(world().size()) + ".h5");
    if (world().size() == 1) {
        auto s = h5::convert(options_for(plain, out), MPI_COMM_WORLD, quiet_log());
        EXPECT_EQ(s.records, 2300);
        EXPECT_EQ(contents(out), contents(g_dir / "world.np1.h5"));
        return;
    }
    std::string message;
    try {
        h5::convert(options_for(plain, out), MPI_COMM_WORLD, quiet_log());
    } catch (const input_error& e) {
        message = e.what();
    }
    EXPECT_NE(message.find("bcftools index"), std::string::npos) << message;
}

int main(int argc, char** argv) {
    mpi::environment env(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    if (!world().is_root()) delete listeners.Release(listeners.default_result_printer());
    std::string dir;
    if (world().is_root()) {
        fs::path d = fs::temp_directory_path() / ("precis_mpi_h5_" + std::to_string(::getpid()));
        fs::create_directories(d);
        write_indexed(make_vcf_text(false), d / "cohort.vcf.gz");
        write_indexed(make_vcf_text(true), d / "bad.vcf.gz");
        dir = d.string();
    }
    g_dir = world().broadcast(dir);
    int rc = RUN_ALL_TESTS();
    world().barrier();
    if (world().is_root() && rc == 0) fs::remove_all(g_dir);
    return world().sum(static_cast<std::int64_t>(rc)) == 0 ? 0 : 1;
}
