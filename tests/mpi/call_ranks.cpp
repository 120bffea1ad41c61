// precis call under MPI: a joint call over a small deterministic genome gives the byte-identical file at
// 1, 2 and 4 ranks as a single process (MPI_COMM_SELF on rank 0), and finds the planted variants.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "precis/call/call.hpp"
#include "precis/io/fasta.hpp"
#include "precis/io/sam.hpp"
#include "precis/io/vcf.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int genome_length = 60000;
constexpr int read_length = 100;
constexpr int snv_spacing = 1500;   // sample s: SNVs at k * snv_spacing + 700 + 40 s on haplotype 1
constexpr int del_spacing = 4000;   // 3-base deletions after k * del_spacing + 2000 (0-based anchor) on haplotype 2
constexpr int del_length = 3;

struct read_def {
    std::int64_t pos;
    std::string cigar;
    std::string seq;
};

// One sample's reads: single-end, every 4 bases from each haplotype, 1 % substitution errors.
std::vector<read_def> sample_reads(const std::string& ref, int sample, std::mt19937_64& rng) {
    const char bases[] = "ACGT";
    std::string hap1 = ref;
    for (int p = 700 + 40 * sample; p < genome_length; p += snv_spacing)
        hap1[static_cast<std::size_t>(p)] = bases[(std::string("ACGT").find(ref[static_cast<std::size_t>(p)]) + 1) % 4];
    std::string hap2;
    std::vector<int> hap2_ref;  // ref position of each hap2 base
    for (int p = 0; p < genome_length; ++p) {
        const bool deleted = p > 2000 && (p - 2000) % del_spacing >= 1 && (p - 2000) % del_spacing <= del_length;
        if (deleted) continue;
        hap2 += ref[static_cast<std::size_t>(p)];
        hap2_ref.push_back(p);
    }
    std::vector<read_def> reads;
    std::uniform_real_distribution<double> u(0, 1);
    auto noisy = [&](std::string s) {
        for (auto& c : s)
            if (u(rng) < 0.01) c = bases[(std::string("ACGT").find(c) + 1 + static_cast<std::size_t>(u(rng) * 3)) % 4];
        return s;
    };
    for (int h = 0; h + read_length <= genome_length; h += 4)
        reads.push_back({h, std::to_string(read_length) + "M", noisy(hap1.substr(static_cast<std::size_t>(h), read_length))});
    for (int h = 2; h + read_length <= static_cast<int>(hap2.size()); h += 4) {
        std::string cigar;
        int run = 1;
        for (int i = 1; i < read_length; ++i) {
            int gap = hap2_ref[static_cast<std::size_t>(h + i)] - hap2_ref[static_cast<std::size_t>(h + i - 1)] - 1;
            if (gap > 0) {
                cigar += std::to_string(run) + "M" + std::to_string(gap) + "D";
                run = 0;
            }
            ++run;
        }
        cigar += std::to_string(run) + "M";
        reads.push_back({hap2_ref[static_cast<std::size_t>(h)], cigar, noisy(hap2.substr(static_cast<std::size_t>(h), read_length))});
    }
    std::stable_sort(reads.begin(), reads.end(), [](const read_def& a, const read_def& b) { return a.pos < b.pos; });
    return reads;
}

void write_bam(const fs::path& path, const std::string& sample, const std::vector<read_def>& reads) {
    std::string text = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chrT\tLN:" + std::to_string(genome_length) + "\n@RG\tID:" + sample +
                       "\tSM:" + sample + "\n";
    precis::io::sam_hdr_ptr header(sam_hdr_parse(text.size(), text.c_str()));
    ASSERT_TRUE(header);
    precis::io::sam_writer writer(path, header.get());
    auto rec = precis::io::make_bam_record();
    kstring_t line{0, 0, nullptr};
    int n = 0;
    for (const auto& r : reads) {
        std::string sam = "r" + std::to_string(n++) + "\t0\tchrT\t" + std::to_string(r.pos + 1) + "\t60\t" + r.cigar + "\t*\t0\t0\t" +
                          r.seq + "\t" + std::string(r.seq.size(), '?') + "\tRG:Z:" + sample;
        line.l = 0;
        kputsn(sam.data(), sam.size(), &line);
        ASSERT_EQ(sam_parse1(&line, header.get(), rec.get()), 0) << sam;
        writer.write(rec.get());
    }
    free(line.s);
    writer.close(true);
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST(call_mpi, identical_at_any_rank_count_and_finds_planted_variants) {
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    // One directory per rank count: ctest may run the 1-, 2- and 4-rank programs at the same time.
    const fs::path dir = fs::temp_directory_path() / ("precis_test_call_mpi_np" + std::to_string(size));
    if (rank == 0) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        std::mt19937_64 rng(11);
        std::string genome;
        for (int i = 0; i < genome_length; ++i) genome += "ACGT"[rng() % 4];
        precis::io::write_fasta(dir / "ref.fa", {"chrT"}, {genome});
        for (int s = 0; s < 2; ++s)
            write_bam(dir / ("S" + std::to_string(s) + ".bam"), "S" + std::to_string(s), sample_reads(genome, s, rng));
    }
    MPI_Barrier(MPI_COMM_WORLD);
    precis::call::call_options o;
    o.ref = dir / "ref.fa";
    o.bams = {dir / "S0.bam", dir / "S1.bam"};
    o.chunk_size = 5000;
    o.threads = 2;
    o.command_line = "precis call (test)";
    precis::logger log("call", precis::log_level::warn, rank);
    o.out = dir / "world.vcf.gz";
    auto summary = precis::call::run(o, MPI_COMM_WORLD, log);
    if (rank == 0) {
        o.out = dir / "self.vcf.gz";
        auto single = precis::call::run(o, MPI_COMM_SELF, log);
        EXPECT_EQ(single.records, summary.records);
        EXPECT_EQ(slurp(dir / "world.vcf.gz"), slurp(dir / "self.vcf.gz"));
        // Planted: the SNVs of both samples exactly; the shared 3-base deletions at their anchor or up to 10
        // bases left of it (left-alignment in a repeat).
        std::set<std::int64_t> want_snv, got_snv;
        for (int s = 0; s < 2; ++s)
            for (int p = 700 + 40 * s; p < genome_length; p += snv_spacing) want_snv.insert(p + 1);
        std::vector<std::int64_t> deletions;
        precis::io::vcf_reader reader(dir / "world.vcf.gz");
        auto rec = precis::io::make_bcf_record();
        while (reader.next(rec.get(), BCF_UN_ALL)) {
            if (bcf_has_filter(reader.header(), rec.get(), const_cast<char*>("PASS")) != 1) continue;
            if (rec->rlen == 1 && std::string(rec->d.allele[1]).size() == 1) got_snv.insert(rec->pos + 1);
            else deletions.push_back(rec->pos);
        }
        EXPECT_EQ(got_snv, want_snv);
        ASSERT_EQ(deletions.size(), static_cast<std::size_t>((genome_length - 2000 - 1) / del_spacing + 1));
        for (std::size_t k = 0; k < deletions.size(); ++k) {
            const std::int64_t anchor = 2000 + static_cast<std::int64_t>(k) * del_spacing;
            EXPECT_LE(deletions[k], anchor);
            EXPECT_GE(deletions[k], anchor - 10);
        }
    }
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) fs::remove_all(dir);
}
