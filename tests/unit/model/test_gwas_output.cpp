// gwas outputs: plink2 table layout and formatting, output names, lambda_GC, SVG plots.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "precis/model/gwas_output.hpp"
#include "precis/model/plot.hpp"

namespace fs = std::filesystem;

namespace precis::model {

namespace {

gwas_result two_variants(bool logistic) {
    gwas_result r;
    r.logistic = logistic;
    r.phenotype = "bmi";
    r.contigs = {{"chr1", 1000}, {"chr2", 2000}};
    r.rows = {0, 3};
    r.variants.push_back("chr1", "rs1", "A", "G", 100);
    r.variants.push_back("chr2", ".", "C", "T", 50);
    variant_test a;
    a.beta = std::log(1.5), a.se = 0.123456789, a.stat = 3.2845, a.p = 1.23456789e-12, a.obs_ct = 990, a.firth = true;
    variant_test b;
    b.error = gwas_error::const_omitted_allele, b.obs_ct = 1000;
    r.tests = {a, b};
    return r;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST(gwas_output, names_follow_plink2) {
    auto r = two_variants(true);
    EXPECT_EQ(output_paths("out/x", r).table, "out/x.bmi.glm.logistic.hybrid");
    r.firth = firth_mode::always;
    EXPECT_EQ(output_paths("out/x", r).table, "out/x.bmi.glm.firth");
    r.firth = firth_mode::never;
    EXPECT_EQ(output_paths("out/x", r).table, "out/x.bmi.glm.logistic");
    r.logistic = false;
    EXPECT_EQ(output_paths("out/x", r).table, "out/x.bmi.glm.linear");
    EXPECT_EQ(output_paths("out/x", r).qq, "out/x.bmi.qq.svg");
}

TEST(gwas_output, logistic_table_has_plink2_layout_and_formatting) {
    const fs::path path = fs::temp_directory_path() / ("precis_glm_" + std::to_string(::getpid()) + ".tsv");
    write_glm_table(two_variants(true), path);
    EXPECT_EQ(slurp(path),
              "#CHROM\tPOS\tID\tREF\tALT\tA1\tFIRTH?\tTEST\tOBS_CT\tOR\tLOG(OR)_SE\tZ_STAT\tP\tERRCODE\n"
              "chr1\t100\trs1\tA\tG\tG\tY\tADD\t990\t1.5\t0.123457\t3.2845\t1.23457e-12\t.\n"
              "chr2\t50\t.\tC\tT\tT\tN\tADD\t1000\tNA\tNA\tNA\tNA\tCONST_OMITTED_ALLELE\n");
    auto linear = two_variants(false);
    write_glm_table(linear, path);
    EXPECT_EQ(slurp(path).substr(0, slurp(path).find('\n')),
              "#CHROM\tPOS\tID\tREF\tALT\tA1\tTEST\tOBS_CT\tBETA\tSE\tT_STAT\tP\tERRCODE");
    fs::remove(path);
}

TEST(gwas_output, lambda_gc) {
    EXPECT_NEAR(lambda_gc({0.5, 0.5, 0.5}), 1.0, 1e-6);
    // Uniform p quantiles give lambda close to 1; p = 0.05 for all gives 3.841459 / 0.4549364.
    std::vector<double> p;
    for (int i = 0; i < 1000; ++i) p.push_back((i + 0.5) / 1000);
    EXPECT_NEAR(lambda_gc(p), 1.0, 0.01);
    EXPECT_NEAR(lambda_gc({0.05, 0.05}), 3.841458820694 / 0.4549364231195724, 1e-6);
    EXPECT_EQ(lambda_gc({}), 0.0);
}

TEST(gwas_output, plots_are_svg_documents) {
    std::vector<manhattan_point> points{{0, 10, 0.5}, {1, 20, 1e-9}, {1, 30, 0.0}};
    const auto m = manhattan_svg(points, {"chr1", "chr<2>"}, {100, 100}, "title & more");
    EXPECT_EQ(m.rfind("<?xml", 0), 0u);
    EXPECT_NE(m.find("<svg"), std::string::npos);
    EXPECT_NE(m.find("</svg>\n"), std::string::npos);
    EXPECT_NE(m.find("chr&lt;2&gt;"), std::string::npos);
    EXPECT_NE(m.find("title &amp; more"), std::string::npos);
    EXPECT_NE(m.find("p = 5e-8"), std::string::npos);
    std::size_t circles = 0;
    for (auto at = m.find("<circle"); at != std::string::npos; at = m.find("<circle", at + 1)) ++circles;
    EXPECT_EQ(circles, 3u);
    const auto q = qq_svg({0.5, 0.01, 1e-10}, 1.234, "qq");
    EXPECT_NE(q.find("lambda_GC = 1.234"), std::string::npos);
    EXPECT_NE(q.find("</svg>"), std::string::npos);
}

}  // namespace precis::model
