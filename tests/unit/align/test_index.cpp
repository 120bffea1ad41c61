// Index: multi-contig FASTA with N runs and IUPAC codes, lookups, stale-index detection.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <unistd.h>

#include "precis/align/index.hpp"
#include "precis/core/error.hpp"

namespace fs = std::filesystem;
using namespace precis::align;

namespace {

std::string random_bases(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, 'A');
    for (auto& c : s) c = "ACGT"[rng() % 4];
    return s;
}

struct temp_dir {
    fs::path path = fs::temp_directory_path() / ("precis_align_test_" + std::to_string(::getpid()));
    temp_dir() { fs::create_directories(path); }
    ~temp_dir() { fs::remove_all(path); }
};

}  // namespace

TEST(align_index, minimizers_are_strand_symmetric) {
    std::string s = random_bases(400, 1);
    std::string rc(s.rbegin(), s.rend());
    for (auto& c : rc) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
    std::vector<minimizer> a, b;
    compute_minimizers(s, 21, 11, a);
    compute_minimizers(rc, 21, 11, b);
    ASSERT_GT(a.size(), 40u);
    std::set<std::uint64_t> ha, hb;
    for (auto& m : a) ha.insert(m.hash);
    for (auto& m : b) hb.insert(m.hash);
    std::size_t common = 0;
    for (auto h : ha) common += hb.count(h);
    EXPECT_GE(common * 10, ha.size() * 9);  // ties may break differently on the two strands
}

TEST(align_index, multi_contig_n_runs_iupac_and_stale_detection) {
    temp_dir dir;
    std::string c1 = random_bases(5000, 2), c2 = random_bases(3000, 3);
    c1.replace(1000, 200, std::string(200, 'N'));
    c1[2500] = 'R';
    c2[10] = 'y';
    fs::path fa = dir.path / "ref.fa";
    {
        std::ofstream os(fa);
        os << ">one desc\n" << c1.substr(0, 2500) << "\n" << c1.substr(2500) << "\n>two\n" << c2 << "\n";
    }
    index_options o;
    o.reference = fa;
    auto st = build_index(o);
    EXPECT_EQ(st.bases, 8000);
    EXPECT_GT(st.minimizers, 800);
    genome_index idx(default_index_path(fa), fa);
    ASSERT_EQ(idx.contigs().size(), 2u);
    EXPECT_EQ(idx.contigs()[0].name, "one");
    EXPECT_EQ(idx.contigs()[1].offset, 5000);
    EXPECT_EQ(idx.contig_of(4999), 0);
    EXPECT_EQ(idx.contig_of(5000), 1);
    EXPECT_EQ(idx.bases()[2500], 'R');
    EXPECT_EQ(idx.bases()[5010], 'Y');  // upper-cased
    EXPECT_EQ(idx.bases()[1100], 'N');
    // Every minimizer of a reference stretch is found at its position; none spans an N.
    std::vector<minimizer> mins;
    compute_minimizers(std::string_view(idx.bases() + 5100, 300), idx.k(), idx.w(), mins);
    ASSERT_FALSE(mins.empty());
    for (const auto& m : mins) {
        bool found = false;
        for (auto e : idx.lookup(m.hash)) found |= entry_position(e) == 5100 + static_cast<ref_pos>(m.position);
        EXPECT_TRUE(found);
    }
    compute_minimizers(std::string_view(idx.bases(), 5000), idx.k(), idx.w(), mins);
    for (const auto& m : mins) {
        std::int64_t p = m.position;
        if (p + 21 > 1000 && p < 1200) ADD_FAILURE() << "minimizer spans the N run at " << p;
    }
    // A changed reference makes the index stale; a missing index is an input error.
    {
        std::ofstream os(fa, std::ios::app);
        os << ">three\nACGT\n";
    }
    EXPECT_THROW(genome_index(default_index_path(fa), fa), precis::input_error);
    EXPECT_THROW(genome_index(dir.path / "none.pidx", fa), precis::input_error);
}

TEST(align_index, entry_packing_at_boundary_values) {
    static_assert(position_bits >= 32, "positions must cover a human genome (3.2 Gb)");
    static_assert(entry_hash_bits + position_bits + 1 == 64);
    const ref_pos positions[] = {0, 1, (ref_pos{1} << 31) - 1, ref_pos{1} << 31, (ref_pos{1} << 32) + 12345,
                                 max_reference_length - 1};
    const std::uint64_t hashes[] = {0, 1, (std::uint64_t{1} << entry_hash_bits) - 1};
    for (ref_pos p : positions)
        for (std::uint64_t h : hashes)
            for (bool rev : {false, true}) {
                std::uint64_t e = pack_entry(h, p, rev);
                EXPECT_EQ(entry_position(e), p);
                EXPECT_EQ(entry_reverse(e), rev);
                EXPECT_EQ(entry_low_hash(e), h);
            }
    // Entries sort by hash first, then position, then strand (lookup relies on it).
    EXPECT_LT(pack_entry(0, max_reference_length - 1, true), pack_entry(1, 0, false));
    EXPECT_LT(pack_entry(5, ref_pos{1} << 31, true), pack_entry(5, (ref_pos{1} << 31) + 1, false));
}
