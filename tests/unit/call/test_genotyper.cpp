// Genotype likelihoods, EM joint genotyping, the read-haplotype aligner and --regions parsing.
#include <gtest/gtest.h>

#include <cmath>

#include "precis/call/detail/realign.hpp"
#include "precis/call/detail/regions.hpp"
#include "precis/call/genotyper.hpp"
#include "precis/core/error.hpp"

using namespace precis::call;

namespace {

// n reads for allele `a` of 2 alleles, each with error e.
void add_reads(sample_evidence& ev, int n, int a, double e) {
    for (int i = 0; i < n; ++i) {
        ev.read_lk.push_back(static_cast<float>(a == 0 ? std::log10(1 - e) : std::log10(e / 3)));
        ev.read_lk.push_back(static_cast<float>(a == 1 ? std::log10(1 - e) : std::log10(e / 3)));
        ++ev.dp;
    }
}

}  // namespace

TEST(call_genotyper, vcf_genotype_order) {
    EXPECT_EQ(genotype_count(2), 3);
    EXPECT_EQ(genotype_count(3), 6);
    EXPECT_EQ(genotype_index(0, 0), 0);
    EXPECT_EQ(genotype_index(0, 1), 1);
    EXPECT_EQ(genotype_index(1, 1), 2);
    EXPECT_EQ(genotype_index(0, 2), 3);
    EXPECT_EQ(genotype_index(2, 2), 5);
}

TEST(call_genotyper, het_hom_and_ref) {
    sample_evidence het, hom, ref;
    add_reads(het, 10, 0, 0.01);
    add_reads(het, 10, 1, 0.01);
    add_reads(hom, 15, 1, 0.01);
    add_reads(ref, 15, 0, 0.01);
    auto c = genotype_site({het, hom, ref}, 2, 1e-3);
    ASSERT_EQ(c.samples.size(), 3u);
    EXPECT_EQ(c.samples[0].a1, 0);
    EXPECT_EQ(c.samples[0].a2, 1);
    EXPECT_EQ(c.samples[1].a1, 1);
    EXPECT_EQ(c.samples[1].a2, 1);
    EXPECT_EQ(c.samples[2].a1, 0);
    EXPECT_EQ(c.samples[2].a2, 0);
    EXPECT_GT(c.qual, 100);
    EXPECT_TRUE(c.variant());
    EXPECT_EQ(c.samples[0].pl[1], 0);  // the called genotype has PL 0
    EXPECT_GT(c.samples[0].pl[0], 50);
    EXPECT_EQ(c.samples[0].gq, 99);
    EXPECT_NEAR(c.freq[1], 3.0 / 6.0, 0.1);
}

TEST(call_genotyper, one_alt_read_is_not_a_variant) {
    sample_evidence s;
    add_reads(s, 20, 0, 0.01);
    add_reads(s, 1, 1, 0.01);
    auto c = genotype_site({s}, 2, 1e-3);
    EXPECT_FALSE(c.variant());
    EXPECT_LT(c.qual, 20);
}

TEST(call_genotyper, sample_without_reads_is_missing) {
    sample_evidence s, empty;
    add_reads(s, 10, 1, 0.01);
    auto c = genotype_site({s, empty}, 2, 1e-3);
    EXPECT_EQ(c.samples[1].a1, -1);
    EXPECT_EQ(c.samples[0].a1, 1);
}

TEST(call_realign, deletion_haplotype_fits_reads_with_the_deletion) {
    // ref: 20 bases + "GATTACA" + 20 bases; alt deletes "TTA".
    std::vector<std::uint8_t> ref, alt, read, qual;
    const char* left = "ACGTTGCAACGTAGCTAGCA";
    const char* right = "CCGTAGGATCGATCGGATAC";
    auto push = [](std::vector<std::uint8_t>& v, const char* s) {
        for (; *s; ++s) v.push_back(*s == 'A' ? 0 : *s == 'C' ? 1 : *s == 'G' ? 2 : 3);
    };
    push(ref, left); push(ref, "GATTACA"); push(ref, right);
    push(alt, left); push(alt, "GACA"); push(alt, right);
    read = alt;
    qual.assign(read.size(), 30);
    precis::call::detail::realign_scratch scratch;
    double on_alt = precis::call::detail::read_hap_log10(read.data(), qual.data(), static_cast<int>(read.size()), alt.data(),
                                                         static_cast<int>(alt.size()), 0, 8, scratch);
    double on_ref = precis::call::detail::read_hap_log10(read.data(), qual.data(), static_cast<int>(read.size()), ref.data(),
                                                         static_cast<int>(ref.size()), 0, 8, scratch);
    EXPECT_GT(on_alt, -0.1);
    EXPECT_NEAR(on_ref - on_alt, -4.0 - 2.0, 0.2);  // one gap of 3: open + 2 extensions
}

TEST(call_regions, parse_merge_and_errors) {
    using precis::call::detail::parse_regions;
    std::vector<std::string> names{"chr1", "chr2"};
    std::vector<std::int64_t> lengths{1000, 500};
    auto all = parse_regions("", names, lengths);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[1].end, 500);
    auto r = parse_regions("chr2:10-20,chr1:100-200,chr1:150-300", names, lengths);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].contig, 0);
    EXPECT_EQ(r[0].begin, 99);
    EXPECT_EQ(r[0].end, 300);
    EXPECT_EQ(r[1].begin, 9);
    EXPECT_THROW(parse_regions("chr3:1-10", names, lengths), precis::input_error);
    EXPECT_THROW(parse_regions("chr1:20-10", names, lengths), precis::input_error);
    EXPECT_THROW(parse_regions("chr2:501-600", names, lengths), precis::input_error);  // past the end: no calls
    EXPECT_EQ(parse_regions("chr2:400-600", names, lengths).at(0).end, 500);         // clipped to the end
}
