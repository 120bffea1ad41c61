// Known variants: ClinVar and frequency files whose contigs are spelled otherwise than the input's ("1" vs
// "chr1", "MT" vs "chrM") match, read whole or by region through the index.
#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <htslib/tbx.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/annotate/known_variants.hpp"

namespace precis::annotate {
namespace {

// A bgzipped VCF and, when `index`, its .tbi.
std::filesystem::path write_vcf(const std::string& name, const std::string& text, bool index) {
    auto path = std::filesystem::temp_directory_path() / ("precis_test_known_" + name + ".vcf.gz");
    std::filesystem::remove(path.string() + ".tbi");
    BGZF* out = bgzf_open(path.c_str(), "w");
    EXPECT_NE(out, nullptr);
    EXPECT_EQ(bgzf_write(out, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    EXPECT_EQ(bgzf_close(out), 0);
    if (index) {
        EXPECT_EQ(tbx_index_build(path.c_str(), 0, &tbx_conf_vcf), 0);
    }
    return path;
}

// chr1 and chrM as the input names them; the known files say 1 and MT.
genome_map genome() {
    std::string chr1(200, 'A'), chrm(50, 'C');
    chr1[10] = 'G';
    chrm[5] = 'T';
    return {{"chr1", chr1}, {"chrM", chrm}};
}

std::string clinvar_text(bool contig_lines) {
    std::string text = "##fileformat=VCFv4.2\n";
    if (contig_lines) text += "##contig=<ID=1,length=200>\n##contig=<ID=MT,length=50>\n##contig=<ID=7,length=100>\n";
    text += "##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"x\">\n"
            "##INFO=<ID=AF,Number=A,Type=Float,Description=\"x\">\n"
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
            "1\t11\t.\tG\tT\t.\t.\tCLNSIG=Pathogenic;AF=0.25\n"
            "7\t5\t.\tA\tC\t.\t.\tCLNSIG=Benign;AF=0.5\n"
            "MT\t6\t.\tT\tA\t.\t.\tCLNSIG=Likely_pathogenic;AF=0.125\n";
    return text;
}

void expect_matches(const known_variants& known, bool frequencies) {
    const clinvar_entry* c1 = known.clinvar("chr1", 10, "G", "T");
    ASSERT_NE(c1, nullptr);
    EXPECT_EQ(c1->clnsig, "Pathogenic");
    const clinvar_entry* cm = known.clinvar("chrM", 5, "T", "A");
    ASSERT_NE(cm, nullptr);
    EXPECT_EQ(cm->clnsig, "Likely_pathogenic");
    EXPECT_EQ(known.clinvar("1", 10, "G", "T"), nullptr);  // stored under the input's name
    EXPECT_EQ(known.skipped(), frequencies ? 0 : 1);       // contig 7 is not in the genome (whole-file reads)
    if (!frequencies) return;
    const float* f = known.frequencies("chr1", 10, "G", "T");
    ASSERT_NE(f, nullptr);
    EXPECT_FLOAT_EQ(f[0], 0.25f);
    ASSERT_NE(known.frequencies("chrM", 5, "T", "A"), nullptr);
}

TEST(known_variants, contigs_without_chr_match_the_input_read_whole) {
    for (bool contig_lines : {true, false}) {  // without ##contig lines HTSlib names them from the index
        const auto path = write_vcf(contig_lines ? "whole" : "whole_nocontig", clinvar_text(contig_lines), !contig_lines);
        known_variants known;
        known.load_clinvar(path, genome());
        expect_matches(known, false);
    }
}

TEST(known_variants, contigs_without_chr_match_the_input_by_region) {
    for (bool contig_lines : {true, false}) {  // without ##contig lines HTSlib names them from the index
        const auto path = write_vcf(contig_lines ? "region" : "region_nocontig", clinvar_text(contig_lines), true);
        const std::vector<named_region> regions = {{"chr1", 0, 100}, {"chrM", 0, 50}};
        known_variants known;
        known.load_clinvar(path, genome(), &regions);
        known.load_frequencies(path, genome(), &regions);
        expect_matches(known, true);
    }
}

}  // namespace
}  // namespace precis::annotate
