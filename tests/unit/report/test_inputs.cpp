// Readers: scores, findings, PCs; bad records name the file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <cmath>
#include <fstream>
#include <functional>
#include <unistd.h>

#include "precis/core/error.hpp"
#include "precis/report/inputs.hpp"

using namespace precis::report;
namespace fs = std::filesystem;

namespace {
fs::path write(const std::string& name, const std::string& text) {
    auto d = fs::temp_directory_path() / ("precis_report_inputs_" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::ofstream(d / name) << text;
    return d / name;
}
const std::string header = "sample_id\traw_score\tpercentile\tz\tancestry_z\tabsolute_risk\tmatched_variants\ttotal_variants\n";
std::string message(const std::function<void()>& f) {
    try {
        f();
    } catch (const precis::input_error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(read_scores, reads_rows_and_na) {
    auto f = write("s.tsv", header + "A\t0.5\t40\t-0.2\tNA\t0.1\t9\t10\n");
    auto rows = read_scores({f});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].sample, "A");
    EXPECT_DOUBLE_EQ(rows[0].percentile, 40);
    EXPECT_TRUE(std::isnan(rows[0].ancestry_z));
    EXPECT_EQ(rows[0].matched, 9);
}

TEST(read_scores, names_file_and_line_of_bad_records) {
    auto bad = write("bad.tsv", header + "A\t0.5\t40\t-0.2\tNA\t0.1\t9\t10\nB\tx\t40\t0\t0\t0.1\t9\t10\n");
    auto m = message([&] { read_scores({bad}); });
    EXPECT_NE(m.find("bad.tsv"), std::string::npos) << m;
    EXPECT_NE(m.find("line 3"), std::string::npos) << m;
    auto dup = write("dup.tsv", header + "A\t0.5\t40\t-0.2\tNA\t0.1\t9\t10\n");
    m = message([&] { read_scores({dup, dup}); });
    EXPECT_NE(m.find("already scored"), std::string::npos) << m;
    auto wrong = write("wrong.tsv", "id\tscore\n");
    EXPECT_NE(message([&] { read_scores({wrong}); }).find("header"), std::string::npos);
}

TEST(read_scores, refuses_non_finite_numbers_and_more_matched_than_total) {
    // NA is how precis score writes "no value" (a patient without a polygenic score gets no page); nan, inf
    // and numbers past the double range are refused instead of passing for NA or for a score.
    auto na = write("na.tsv", header + "A\tNA\tNA\tNA\tNA\tNA\t0\t10\n");
    EXPECT_TRUE(std::isnan(read_scores({na})[0].raw));
    for (const std::string raw : {"nan", "inf", "-inf", "1e999", ""}) {
        auto f = write("raw.tsv", header + "A\t0.5\t40\t-0.2\tNA\t0.1\t9\t10\nB\t" + raw + "\t40\t0\t0\t0.1\t9\t10\n");
        auto m = message([&] { read_scores({f}); });
        EXPECT_NE(m.find("raw.tsv: line 3: raw_score '" + raw + "' is not a"), std::string::npos) << m;
    }
    auto z = write("z.tsv", header + "A\t0.5\t40\tinf\tNA\t0.1\t9\t10\n");
    EXPECT_NE(message([&] { read_scores({z}); }).find("z 'inf' is not a finite number or NA"), std::string::npos);
    auto more = write("more.tsv", header + "A\t0.5\t40\t-0.2\tNA\t0.1\t11\t10\n");
    auto m = message([&] { read_scores({more}); });
    EXPECT_NE(m.find("more.tsv: line 2: matched_variants 11 exceeds total_variants 10"), std::string::npos) << m;
    auto negative = write("negative.tsv", header + "A\t0.5\t40\t-0.2\tNA\t0.1\t-1\t10\n");
    m = message([&] { read_scores({negative}); });
    EXPECT_NE(m.find("matched_variants -1 is negative"), std::string::npos) << m;
    auto equal = write("equal.tsv", header + "A\t0.5\t40\t-0.2\tNA\t0.1\t10\t10\n");
    EXPECT_EQ(read_scores({equal})[0].total, 10);
}

TEST(read_findings, groups_by_sample) {
    std::string h = "sample_id\tchrom\tpos\tref\talt\tgene\ttranscript\tconsequence\timpact\thgvs_c\thgvs_p\tzygosity\t"
                    "clnsig\treview_stars\tcondition\treason\n";
    auto f = write("f.tsv", h + "A\t1\t100\tC\tT\tG1\tT1\tstop_gained\tHIGH\tT1:c.1C>T\tP1:p.Gln1Ter\thet\tPathogenic\t2\tX\tclinvar\n" +
                                "A\t1\t200\tG\tA\tG2\tT2\tmissense_variant\tMODERATE\t.\t.\thom\t.\t.\t.\thigh_impact_panel\n");
    auto m = read_findings({f});
    ASSERT_EQ(m["A"].size(), 2u);
    EXPECT_EQ(m["A"][0].review_stars, 2);
    EXPECT_EQ(m["A"][1].review_stars, -1);
    auto bad = write("fbad.tsv", h + "A\t1\t100\tC\tT\tG1\n");
    EXPECT_NE(message([&] { read_findings({bad}); }).find("line 2"), std::string::npos);
}

TEST(read_findings, refuses_bad_positions_and_repeated_findings) {
    std::string h = "sample_id\tchrom\tpos\tref\talt\tgene\ttranscript\tconsequence\timpact\thgvs_c\thgvs_p\tzygosity\t"
                    "clnsig\treview_stars\tcondition\treason\n";
    auto row = [](const std::string& sample, const std::string& pos, const std::string& alt, const std::string& tx) {
        return sample + "\t1\t" + pos + "\tC\t" + alt + "\tG1\t" + tx + "\tstop_gained\tHIGH\t.\t.\thet\tPathogenic\t2\tX\tclinvar\n";
    };
    for (const std::string pos : {"abc", "0", "-5", "+5", "1.5", "", "99999999999999999999"}) {
        auto f = write("fpos.tsv", h + row("A", "100", "T", "T1") + row("A", pos, "T", "T1"));
        auto m = message([&] { read_findings({f}); });
        EXPECT_NE(m.find("fpos.tsv: line 3: pos '" + pos + "' is not a positive integer"), std::string::npos) << m;
    }
    // Another sample, allele or transcript at the same position is another finding.
    auto ok = write("fok.tsv", h + row("A", "100", "T", "T1") + row("B", "100", "T", "T1") + row("A", "100", "G", "T1") +
                                   row("A", "100", "T", "T2"));
    auto m = read_findings({ok});
    EXPECT_EQ(m["A"].size(), 3u);
    EXPECT_EQ(m["B"].size(), 1u);
    auto dup = write("fdup.tsv", h + row("A", "100", "T", "T1") + row("B", "100", "T", "T1") + row("A", "0100", "T", "T1"));
    auto e = message([&] { read_findings({dup}); });
    EXPECT_NE(e.find("fdup.tsv: line 4: sample 'A': finding 1:100 C>T (G1, T1) already listed at "), std::string::npos) << e;
    EXPECT_NE(e.find("fdup.tsv line 2"), std::string::npos) << e;
    // The same finding from two files (or one file given twice) names both.
    auto other = write("fother.tsv", h + row("A", "100", "T", "T1"));
    e = message([&] { read_findings({ok, other}); });
    EXPECT_NE(e.find("fother.tsv: line 2: sample 'A'"), std::string::npos) << e;
    EXPECT_NE(e.find("fok.tsv line 2"), std::string::npos) << e;
    e = message([&] { read_findings({other, other}); });
    EXPECT_NE(e.find("fother.tsv: line 2: sample 'A'"), std::string::npos) << e;
    EXPECT_NE(e.find("already listed at " + other.string() + " line 2 (the file is given twice)"), std::string::npos) << e;
    EXPECT_EQ(message([&] { read_findings({ok, other}); }).find("given twice"), std::string::npos);
    auto empty = write("fempty.tsv", h + row("", "100", "T", "T1"));
    EXPECT_NE(message([&] { read_findings({empty}); }).find("fempty.tsv: line 2: empty sample_id"), std::string::npos);
}

TEST(read_contributions, refuses_bad_values_and_repeated_variants) {
    const std::string h = "sample_id\tchrom\tpos\teffect_allele\tweight\tdosage\tcontribution\n";
    const std::string first = "A\t1\t100\tC\t0.5\t1\t0.3\n";
    auto ok = write("c.tsv", h + first + "A\t1\t100\tG\t0.2\t2\t0.1\nB\t1\t100\tC\t0.5\t0.4\t-0.1\n");
    auto c = read_contributions(ok);
    ASSERT_EQ(c["A"].size(), 2u);
    EXPECT_EQ(c["A"][1].effect_allele, "G");
    EXPECT_DOUBLE_EQ(c["B"][0].dosage, 0.4);
    // The top variants are the largest |contribution| whatever the file's order (ties keep it).
    auto unsorted = write("cunsorted.tsv", h + "A\t1\t100\tC\t0.5\t1\t0.1\nA\t1\t200\tC\t0.5\t1\t-0.4\n" +
                                               "A\t1\t300\tC\t0.5\t1\t0.4\nA\t1\t400\tC\t0.5\t1\t0.2\n");
    std::vector<std::int64_t> order;
    for (const auto& v : read_contributions(unsorted)["A"]) order.push_back(v.pos);
    EXPECT_EQ(order, (std::vector<std::int64_t>{200, 300, 400, 100}));
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"A\t1\t200\tC\t0.5\t7\t0.3\n", "dosage 7 outside [0, 2]"},
        {"A\t1\t200\tC\t0.5\t-0.5\t0.3\n", "dosage -0.5 outside [0, 2]"},
        {"A\t1\t200\tC\t0.5\t1\tnan\n", "contribution 'nan' is not a finite number"},
        {"A\t1\t200\tC\t0.5\t1\tNA\n", "contribution 'NA' is not a number"},
        {"A\t1\t200\tC\tinf\t1\t0.3\n", "weight 'inf' is not a finite number"},
        {"A\t1\t200\tC\t1e999\t1\t0.3\n", "weight '1e999' is not a finite number"},
        {"A\t1\t0\tC\t0.5\t1\t0.3\n", "pos '0' is not a positive integer"},
        {"A\t1\t100\tC\t0.5\t1\t0.3\n", "sample 'A': variant 1:100 C already listed at line 2"},
        {"\t1\t200\tC\t0.5\t1\t0.3\n", "empty sample_id"},
    };
    for (const auto& [row, want] : bad) {
        auto f = write("cbad.tsv", h + first + row);
        auto m = message([&] { read_contributions(f); });
        EXPECT_NE(m.find("cbad.tsv: line 3: " + want), std::string::npos) << m;
    }
}

TEST(read_pcs, finds_id_and_pc_columns) {
    auto f = write("p.tsv", "#FID\tIID\tPC1\tPC2\tPC3\nF\tS1\t0.1\t-0.2\t0\n");
    auto p = read_pcs(f);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].first, "S1");
    EXPECT_DOUBLE_EQ(p[0].second.pc2, -0.2);
    auto bad = write("pbad.tsv", "a\tb\n");
    EXPECT_NE(message([&] { read_pcs(bad); }).find("PC1"), std::string::npos);
}

TEST(read_pcs, refuses_a_sample_in_two_rows) {
    auto dup = write("pdup.tsv", "sample_id\tPC1\tPC2\nP1\t0.1\t0.2\nP2\t0\t0\nP1\t0.3\t0.3\n");
    auto m = message([&] { read_pcs(dup); });
    EXPECT_NE(m.find("pdup.tsv: line 4: sample 'P1' already listed at line 2"), std::string::npos) << m;
    auto inf = write("pinf.tsv", "sample_id\tPC1\tPC2\nP1\tinf\t0.2\n");
    EXPECT_NE(message([&] { read_pcs(inf); }).find("PC1 'inf' is not a finite number"), std::string::npos);
    auto empty = write("pempty.tsv", "sample_id\tPC1\tPC2\n\t0.1\t0.2\n");
    EXPECT_NE(message([&] { read_pcs(empty); }).find("pempty.tsv: line 2: empty sample id"), std::string::npos);
}

TEST(read_sample_list, skips_comments_and_refuses_a_repeat) {
    auto ok = write("s.txt", "# patients\nP1\n\nP2\r\n");
    EXPECT_EQ(read_sample_list(ok), (std::vector<std::string>{"P1", "P2"}));
    auto dup = write("sdup.txt", "P1\nP2\nP1\n");
    auto m = message([&] { read_sample_list(dup); });
    EXPECT_NE(m.find("sdup.txt: line 3: sample 'P1' already listed at line 1"), std::string::npos) << m;
}
