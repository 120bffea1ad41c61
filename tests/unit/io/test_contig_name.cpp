// Contig names in UCSC ("chr1", "chrM") and Ensembl/ClinVar ("1", "MT") style meet in one form.
#include <gtest/gtest.h>

#include "precis/io/contig_name.hpp"

namespace precis::io {
namespace {

TEST(normalise_contig, drops_a_leading_chr) {
    EXPECT_EQ(normalise_contig("chr1"), "1");
    EXPECT_EQ(normalise_contig("1"), "1");
    EXPECT_EQ(normalise_contig("chrX"), "X");
    EXPECT_EQ(normalise_contig("chr22_KI270731v1_random"), "22_KI270731v1_random");
}

TEST(normalise_contig, the_mitochondrion_is_mt) {
    for (const char* name : {"chrM", "M", "chrMT", "MT"}) EXPECT_EQ(normalise_contig(name), "MT") << name;
}

TEST(normalise_contig, leaves_other_names_unchanged) {
    EXPECT_EQ(normalise_contig("NC_000001.11"), "NC_000001.11");
    EXPECT_EQ(normalise_contig("CHR1"), "CHR1");  // case-sensitive, as VCF contig names are
    EXPECT_EQ(normalise_contig("chr"), "");
    EXPECT_EQ(normalise_contig("Mito"), "Mito");
    EXPECT_NE(normalise_contig("chr1"), normalise_contig("chr10"));
}

}  // namespace
}  // namespace precis::io
