// Mapper: placement, CIGAR, NM/MD with a SNP and an indel, pairing, insert model.
#include <gtest/gtest.h>
#include <htslib/sam.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "precis/align/detail/sequence.hpp"
#include "precis/align/mapper.hpp"

namespace fs = std::filesystem;
using namespace precis::align;

namespace {

std::string cigar_string(const alignment& a) {
    std::string s;
    for (auto c : a.cigar) s += std::to_string(bam_cigar_oplen(c)) + bam_cigar_opchr(c);
    return s;
}

class mapper_test : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir = fs::temp_directory_path() / ("precis_mapper_test_" + std::to_string(::getpid()));
        fs::create_directories(dir);
        std::mt19937 rng(5);
        genome.resize(200000);
        for (auto& c : genome) c = "ACGT"[rng() % 4];
        genome.replace(120000, 1000, genome.substr(50000, 1000));  // an exact 1 kb segmental duplication
        std::ofstream(dir / "g.fa") << ">g\n" << genome << "\n";
        index_options o;
        o.reference = dir / "g.fa";
        build_index(o);
        index = std::make_unique<genome_index>(default_index_path(o.reference), o.reference);
    }
    static void TearDownTestSuite() {
        index.reset();
        fs::remove_all(dir);
    }
    static inline fs::path dir;
    static inline std::string genome;
    static inline std::unique_ptr<genome_index> index;
};

}  // namespace

TEST_F(mapper_test, exact_snp_and_deletion) {
    mapper m(*index);
    std::string read = genome.substr(1000, 150);
    auto r = m.map_single(read, 1);
    EXPECT_EQ(r.primary.pos, 1000);
    EXPECT_EQ(cigar_string(r.primary), "150M");
    EXPECT_EQ(r.primary.nm, 0);
    EXPECT_EQ(r.primary.mapq, 60);

    read[70] = read[70] == 'A' ? 'C' : 'A';
    r = m.map_single(detail::reverse_complement(read), 2);
    EXPECT_TRUE(r.primary.reverse);
    EXPECT_EQ(r.primary.pos, 1000);
    EXPECT_EQ(r.primary.nm, 1);
    EXPECT_EQ(r.primary.md, "70" + std::string(1, genome[1070]) + "79");
    EXPECT_EQ(r.primary.score, 149 - 4);

    std::string del = genome.substr(5000, 80) + genome.substr(5083, 70);  // 3 bp deletion
    r = m.map_single(del, 3);
    EXPECT_EQ(r.primary.pos, 5000);
    EXPECT_EQ(r.primary.nm, 3);
    EXPECT_EQ(r.primary.score, 150 - 6 - 3);
    // The deletion may sit anywhere in its repeat context; the alignment must spell the read.
    ASSERT_EQ(r.primary.cigar.size(), 3u);
    int x = static_cast<int>(bam_cigar_oplen(r.primary.cigar[0]));
    EXPECT_EQ(cigar_string(r.primary), std::to_string(x) + "M3D" + std::to_string(150 - x) + "M");
    EXPECT_EQ(genome.substr(5000, x) + genome.substr(5000 + x + 3, 150 - x), del);
}

namespace {

// The insert-size model of the simulated pairs: N(350, 50), proper within [150, 550].
insert_model fragments_of_350() {
    insert_model model;
    model.valid = true;
    model.mean = 350;
    model.sd = 50;
    model.low = 150;
    model.high = 550;
    return model;
}

}  // namespace

TEST_F(mapper_test, pairs_and_rescue) {
    mapper m(*index);
    const insert_model model = fragments_of_350();
    std::string r1 = genome.substr(20000, 150);
    std::string r2 = detail::reverse_complement(genome.substr(20200, 150));
    auto p = m.map_pair(r1, r2, model, 9);
    EXPECT_TRUE(p.proper);
    EXPECT_EQ(p.read[0].primary.pos, 20000);
    EXPECT_EQ(p.read[1].primary.pos, 20200);
    EXPECT_EQ(fr_template_length(p.read[0].primary, p.read[1].primary), 350);
    // A mate too divergent to seed (a mismatch every 12 bases) is found by rescue near its partner.
    std::string hard = genome.substr(20200, 150);
    for (std::size_t i = 5; i < hard.size(); i += 12) hard[i] = hard[i] == 'A' ? 'G' : 'A';
    p = m.map_pair(r1, detail::reverse_complement(hard), model, 10);
    EXPECT_EQ(p.read[1].primary.pos, 20200);
    EXPECT_TRUE(p.proper);
}

TEST(insert_model, robust_to_outliers) {
    std::vector<std::int64_t> v;
    std::mt19937 rng(1);
    std::normal_distribution<double> d(400, 40);
    for (int i = 0; i < 2000; ++i) v.push_back(static_cast<std::int64_t>(d(rng)));
    for (int i = 0; i < 20; ++i) v.push_back(50000);
    auto m = estimate_insert_model(v);
    ASSERT_TRUE(m.valid);
    EXPECT_NEAR(m.mean, 400, 5);
    EXPECT_NEAR(m.sd, 40, 5);
    EXPECT_LT(m.high, 1000);
    EXPECT_FALSE(estimate_insert_model({100, 200}).valid);
}

TEST_F(mapper_test, secondary_alignments_of_a_duplicated_segment) {
    mapper m(*index);
    std::string read = genome.substr(50300, 150);
    auto r = m.map_single(read, 11);
    ASSERT_GE(r.primary.contig, 0);
    EXPECT_TRUE(r.primary.pos == 50300 || r.primary.pos == 120300);
    EXPECT_EQ(r.primary.mapq, 0);
    EXPECT_EQ(r.primary.sub_score, r.primary.score);
    ASSERT_EQ(r.secondary.size(), 1u);
    EXPECT_EQ(r.secondary[0].pos, r.primary.pos == 50300 ? 120300 : 50300);
    EXPECT_EQ(r.secondary[0].mapq, 0);
    EXPECT_EQ(r.secondary[0].score, r.primary.score);
    EXPECT_TRUE(r.supplementary.empty());
    // A unique read has none; --max-secondary 0 turns them off.
    EXPECT_TRUE(m.map_single(genome.substr(1000, 150), 12).secondary.empty());
    mapper_options o;
    o.max_secondary = 0;
    mapper none(*index, o);
    EXPECT_TRUE(none.map_single(read, 11).secondary.empty());
}

TEST_F(mapper_test, tied_read_mapq_comes_from_a_mate_that_disambiguates) {
    mapper m(*index);
    const insert_model model = fragments_of_350();
    // Read 1 lies in the duplicated segment, read 2 just past it (unique): only one copy pairs.
    auto p = m.map_pair(genome.substr(50800, 150), detail::reverse_complement(genome.substr(51000, 150)), model, 13);
    EXPECT_TRUE(p.proper);
    EXPECT_EQ(p.read[0].primary.pos, 50800);
    EXPECT_EQ(p.read[0].primary.sub_score, p.read[0].primary.score);
    EXPECT_GE(p.read[0].primary.mapq, 20);
    EXPECT_EQ(p.read[1].primary.pos, 51000);
    ASSERT_EQ(p.read[0].secondary.size(), 1u);
    EXPECT_EQ(p.read[0].secondary[0].pos, 120800);
    // Both reads inside the duplicated segment: both copies pair equally well, so neither is placed.
    p = m.map_pair(genome.substr(50100, 150), detail::reverse_complement(genome.substr(50300, 150)), model, 14);
    EXPECT_TRUE(p.proper);
    EXPECT_EQ(p.read[0].primary.mapq, 0);
    EXPECT_EQ(p.read[1].primary.mapq, 0);
    EXPECT_EQ(p.read[0].secondary.size(), 1u);
    EXPECT_EQ(p.read[1].secondary.size(), 1u);
}
