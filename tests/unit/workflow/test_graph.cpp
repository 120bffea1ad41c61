// Stage graph and INI parsing, array expansion, validation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "precis/core/error.hpp"
#include "precis/workflow/graph.hpp"

using namespace precis::workflow;
namespace fs = std::filesystem;

namespace {

const char* demo_graph =
    "# comment\n"
    "simulate jobs/simulate.sh - out=out-dir/\n"
    "\n"
    "convert  jobs/convert.sh  simulate  in=vcf,phenotypes out=out\n"
    "annotate jobs/annotate.sh simulate array=patient in=vcf out=out,findings\n"
    "qc       jobs/qc.sh       convert   in=cohort out=cohort,tsv\n"
    "score    jobs/score.sh    qc,annotate in=cohort\n";

const char* demo_ini =
    "[workflow]\n"
    "patient = P0001, P0002 P0003\n"
    "[simulate]\n"
    "out-dir = w\n"
    "[convert]\n"
    "vcf = w/cohort.vcf.gz\n"
    "out = c.h5\n"
    "[annotate]\n"
    "vcf = w/patients/{patient}.vcf.gz\n"
    "out = {patient}.ann.vcf.gz\n"
    "findings = {patient}.findings.tsv\n"
    "[qc]\n"
    "cohort = c.h5\n";

bool all_available(const std::string&) { return true; }
bool none_available(const std::string& c) { return c == "simulate"; }

}  // namespace

TEST(Graph, ParsesStagesDepsInputsOutputsArrays) {
    auto g = parse_graph(demo_graph, "demo.graph");
    ASSERT_EQ(g.stages.size(), 5u);
    EXPECT_EQ(g.stages[0].name, "simulate");
    EXPECT_TRUE(g.stages[0].after.empty());
    ASSERT_EQ(g.stages[0].outputs.size(), 1u);
    EXPECT_TRUE(g.stages[0].outputs[0].dir);
    EXPECT_EQ(g.stages[0].outputs[0].key, "out-dir");
    EXPECT_EQ(g.stages[1].inputs.size(), 2u);
    EXPECT_EQ(g.stages[2].array, "patient");
    EXPECT_EQ(g.stages[4].after, (std::vector<std::string>{"qc", "annotate"}));
    auto anc = g.ancestors("score");
    std::sort(anc.begin(), anc.end());
    EXPECT_EQ(anc, (std::vector<std::string>{"annotate", "convert", "qc", "simulate"}));
}

TEST(Graph, RejectsBadLinesWithFileAndLine) {
    auto msg = [](const std::string& text) {
        try {
            parse_graph(text, "g.graph");
        } catch (const precis::input_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(msg("a jobs/a.sh b\n").find("g.graph: line 1: stage 'a' waits for 'b'"), std::string::npos);
    EXPECT_NE(msg("a jobs/a.sh -\na jobs/a.sh -\n").find("line 2: stage 'a' is defined twice"), std::string::npos);
    EXPECT_NE(msg("a jobs/a.sh\n").find("line 1: expected"), std::string::npos);
    EXPECT_NE(msg("a jobs/a.sh - foo=bar\n").find("unknown attribute 'foo'"), std::string::npos);
    EXPECT_NE(msg("a jobs/a.sh - in=x,,y!\n").find("bad config key"), std::string::npos);
    EXPECT_NE(msg("# only a comment\n").find("no stages"), std::string::npos);
}

TEST(Ini, SectionsKeysAndErrors) {
    auto ini = parse_ini("top = 1\n; c\n[a]\nx = 1 \n y=two words # comment\n[b]\nx=3\n", "c.ini");
    EXPECT_EQ(ini.value("", "top"), "1");
    EXPECT_EQ(ini.value("a", "y"), "two words");
    EXPECT_EQ(ini.value("b", "x"), "3");
    EXPECT_FALSE(ini.has("b", "y"));
    EXPECT_THROW(parse_ini("[a\n", "c.ini"), precis::input_error);
    EXPECT_THROW(parse_ini("[a]\nnovalue\n", "c.ini"), precis::input_error);
}

TEST(Graph, ExpandsArraysAndSubstitutesItems) {
    auto g = parse_graph(demo_graph, "demo.graph");
    auto ini = parse_ini(demo_ini, "demo.ini");
    auto steps = expand(g, ini);
    ASSERT_EQ(steps.size(), 7u);  // simulate, convert, annotate x3, qc, score
    EXPECT_EQ(steps[2].id(), "annotate[1]");
    EXPECT_EQ(steps[4].id(), "annotate[3]");
    EXPECT_EQ(steps[4].item, "P0003");
    auto section = step_section(ini, steps[3]);
    EXPECT_EQ(section[0].second, "w/patients/P0002.vcf.gz");
    EXPECT_EQ(key_path(ini, steps[3], "out"), (fs::current_path() / "P0002.ann.vcf.gz").string());
    EXPECT_EQ(key_path(ini, steps[3], "absent"), "");
    auto no_items = parse_ini("[annotate]\nvcf=x\n", "x.ini");
    EXPECT_THROW(expand(g, no_items), precis::input_error);
}

TEST(Graph, ValidateRefusesMissingScriptsAndCommandsNotInThisVersion) {
    auto home = fs::temp_directory_path() / ("precis_wf_validate_" + std::to_string(::getpid()));
    fs::create_directories(home / "jobs");
    auto g = parse_graph("simulate jobs/simulate.sh - out=out-dir/\nindex jobs/index.sh simulate\n", "full.graph");
    auto ini = parse_ini("[simulate]\nout-dir = w\n", "c.ini");
    std::ofstream(home / "jobs/simulate.sh") << "source common.sh\nprecis_serial simulate\n";
    try {
        validate(g, ini, home, all_available);
        FAIL() << "no error";
    } catch (const precis::input_error& e) {
        EXPECT_NE(std::string(e.what()).find("full.graph: line 2: stage 'index': job script"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos);
    }
    std::ofstream(home / "jobs/index.sh") << "precis_mpi index\n";
    try {
        validate(g, ini, home, none_available);
        FAIL() << "no error";
    } catch (const precis::input_error& e) {
        EXPECT_NE(std::string(e.what()).find("command 'precis index' is not in this version"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(validate(g, ini, home, all_available));
    EXPECT_EQ(script_command(home / "jobs/index.sh"), "index");
    fs::remove_all(home);
}

TEST(Graph, ValidateRefusesUnorderedWritersOfOneFile) {
    auto home = fs::temp_directory_path() / ("precis_wf_writers_" + std::to_string(::getpid()));
    fs::create_directories(home / "jobs");
    std::ofstream(home / "jobs/a.sh") << "precis_serial qc\n";
    auto ini = parse_ini("[workflow]\np = A B\n[a]\nout = x.tsv\n[b]\nout = x.tsv\n[c]\nout = {p}.tsv\n[d]\nout = same.tsv\n", "c.ini");
    auto racing = parse_graph("a jobs/a.sh - out=out\nb jobs/a.sh - out=out\n", "g");
    EXPECT_THROW(validate(racing, ini, home, all_available), precis::input_error);
    auto ordered = parse_graph("a jobs/a.sh - out=out\nb jobs/a.sh a out=out\n", "g");
    EXPECT_NO_THROW(validate(ordered, ini, home, all_available));
    auto per_item = parse_graph("c jobs/a.sh - array=p out=out\n", "g");
    EXPECT_NO_THROW(validate(per_item, ini, home, all_available));
    auto clash = parse_graph("d jobs/a.sh - array=p out=out\n", "g");
    EXPECT_THROW(validate(clash, ini, home, all_available), precis::input_error);
    fs::remove_all(home);
}
