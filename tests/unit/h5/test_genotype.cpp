#include <gtest/gtest.h>
#include <htslib/vcf.h>

#include "precis/h5/genotype.hpp"

using namespace precis::h5;

namespace {

encoded_genotype enc(std::int32_t a, std::int32_t b, int alt = 1, int n_allele = 2) {
    std::int32_t gt[2] = {a, b};
    encoded_genotype g;
    EXPECT_EQ(encode_genotype(gt, 2, alt, n_allele, g), genotype_fault::none);
    return g;
}

const std::int32_t end = bcf_int32_vector_end;
std::int32_t u(int a) { return bcf_gt_unphased(a); }
std::int32_t p(int a) { return bcf_gt_phased(a); }

}  // namespace

TEST(Genotype, DiploidDosageAndFlags) {
    EXPECT_EQ(enc(u(0), u(0)), (encoded_genotype{0, 0}));
    EXPECT_EQ(enc(u(0), u(1)), (encoded_genotype{1, 0}));
    EXPECT_EQ(enc(u(1), u(0)), (encoded_genotype{1, gt_alt_first}));  // written order kept
    EXPECT_EQ(enc(u(1), u(1)), (encoded_genotype{2, 0}));
    EXPECT_EQ(enc(u(0), p(1)), (encoded_genotype{1, gt_phased}));
    EXPECT_EQ(enc(u(1), p(0)), (encoded_genotype{1, gt_phased | gt_alt_first}));
    EXPECT_EQ(enc(bcf_gt_missing, bcf_gt_missing), (encoded_genotype{-1, 0}));
    EXPECT_EQ(enc(bcf_gt_missing, u(1)), (encoded_genotype{-1, gt_half_missing | gt_called_alt}));
    EXPECT_EQ(enc(u(0), bcf_gt_missing), (encoded_genotype{-1, gt_half_missing | gt_missing_second}));
    EXPECT_EQ(enc(bcf_gt_missing, p(-1)), (encoded_genotype{-1, gt_phased}));
}

TEST(Genotype, HaploidAndMultiallelicSplit) {
    EXPECT_EQ(enc(u(1), end), (encoded_genotype{1, gt_haploid}));
    EXPECT_EQ(enc(u(0), end), (encoded_genotype{0, gt_haploid}));
    EXPECT_EQ(enc(bcf_gt_missing, end), (encoded_genotype{-1, gt_haploid}));
    // 1/2 is 1/0 in the row of ALT 1 and 0/1 in the row of ALT 2; 2|1 the other way round.
    EXPECT_EQ(enc(u(1), u(2), 1, 3), (encoded_genotype{1, gt_alt_first}));
    EXPECT_EQ(enc(u(1), u(2), 2, 3), (encoded_genotype{1, 0}));
    EXPECT_EQ(enc(u(2), p(1), 1, 3), (encoded_genotype{1, gt_phased}));
    EXPECT_EQ(enc(u(2), p(1), 2, 3), (encoded_genotype{1, gt_phased | gt_alt_first}));
    EXPECT_EQ(enc(u(2), u(1), 2, 3), (encoded_genotype{1, gt_alt_first}));  // bcftools norm -m- writes 1/0
    EXPECT_EQ(enc(u(2), u(2), 1, 3), (encoded_genotype{0, 0}));
}

TEST(Genotype, Faults) {
    std::int32_t triploid[3] = {u(0), u(1), u(1)};
    encoded_genotype g;
    EXPECT_EQ(encode_genotype(triploid, 3, 1, 2, g), genotype_fault::too_many_alleles);
    std::int32_t bad[2] = {u(0), u(3)};
    EXPECT_EQ(encode_genotype(bad, 2, 1, 2, g), genotype_fault::allele_out_of_range);
}

TEST(Genotype, DecodeInvertsEncodeForBiallelicCalls) {
    const std::int32_t m = bcf_gt_missing;
    const std::int32_t calls[][2] = {{u(0), u(0)}, {u(0), u(1)}, {u(1), u(0)}, {u(1), u(1)}, {u(0), p(1)},
                                     {u(1), p(0)}, {u(1), p(1)}, {m, m},       {m, p(-1)},   {m, u(1)},
                                     {m, u(0)},    {u(1), m},    {u(0), m},    {m, p(1)},    {u(1), p(-1)},
                                     {u(0), end},  {u(1), end},  {m, end}};
    for (const auto& call : calls) {
        encoded_genotype g;
        ASSERT_EQ(encode_genotype(call, 2, 1, 2, g), genotype_fault::none);
        std::int32_t back[2];
        decode_genotype(g, back);
        EXPECT_EQ(back[0], call[0]);
        EXPECT_EQ(back[1], call[1]);
    }
}
