// Step keys, manifest and ledger encoding, the ledger hash chain and its verification, and plans.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "precis/core/digest.hpp"
#include "precis/core/error.hpp"
#include "precis/workflow/state.hpp"

using namespace precis::workflow;
namespace fs = std::filesystem;

namespace {

class WorkflowState : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir = fs::temp_directory_path() / ("precis_wf_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    fs::path write(const std::string& name, const std::string& text) const {
        auto p = dir / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    std::string read(const fs::path& p) const {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    record completed(const std::string& step, const std::vector<fs::path>& outputs) const {
        record r;
        r.step = step;
        r.time = "2026-01-01T00:00:00Z";
        r.key = std::string(64, 'a');
        r.job = "local";
        r.command = "precis " + step + " --config x=1;\ty";
        r.versions = "precis 0.1.0";
        for (const auto& o : outputs) r.outputs.emplace_back(o.string(), precis::sha256_file(o));
        return r;
    }
    fs::path dir;
};

}  // namespace

TEST(Encoding, EscapeRoundTrips) {
    std::string nasty = "a=b;c\td\ne%f\r";
    EXPECT_EQ(unescape(escape(nasty)), nasty);
    EXPECT_EQ(escape(nasty).find_first_of("=;\t\n\r"), std::string::npos);
}

TEST(StepKey, ChangesWithEveryIngredient) {
    std::vector<std::pair<std::string, std::string>> section{{"k", "10"}, {"out", "x"}};
    file_hashes inputs{{"/a", std::string(64, '1')}};
    const std::string base = step_key("s1", section, inputs, "0.1.0");
    EXPECT_EQ(base, step_key("s1", section, inputs, "0.1.0"));
    EXPECT_NE(base, step_key("s2", section, inputs, "0.1.0"));
    EXPECT_NE(base, step_key("s1", {{"k", "11"}, {"out", "x"}}, inputs, "0.1.0"));
    EXPECT_NE(base, step_key("s1", section, {{"/a", std::string(64, '2')}}, "0.1.0"));
    EXPECT_NE(base, step_key("s1", section, {{"/b", std::string(64, '1')}}, "0.1.0"));
    EXPECT_NE(base, step_key("s1", section, inputs, "0.2.0"));
    // Field boundaries are unambiguous: moving text between key and value changes the key.
    EXPECT_NE(step_key("s", {{"a", "b=c"}}, {}, "v"), step_key("s", {{"a=b", "c"}}, {}, "v"));
}

TEST_F(WorkflowState, ManifestLineRoundTrips) {
    auto f = write("out/x.tsv", "data\n");
    record r = completed("annotate[2]", {f});
    r.status = "failed";
    r.exit_code = 3;
    r.seq = 7;
    auto back = parse_manifest_line(manifest_line(r));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->step, "annotate[2]");
    EXPECT_EQ(back->status, "failed");
    EXPECT_EQ(back->exit_code, 3);
    EXPECT_EQ(back->seq, 7);
    EXPECT_EQ(back->outputs, r.outputs);
    EXPECT_FALSE(parse_manifest_line("garbage"));
}

TEST_F(WorkflowState, LedgerChainVerifiesAndRecordsHashes) {
    run_dir run(dir / "run");
    auto a = write("a.txt", "alpha\n"), b = write("b.txt", "beta\n");
    record r1 = completed("simulate", {a}), r2 = completed("convert", {b});
    run.append(r1);
    run.append(r2);
    EXPECT_EQ(r1.seq, 1);
    EXPECT_EQ(r1.prev, std::string(64, '0'));
    EXPECT_EQ(r2.prev, r1.hash);
    EXPECT_EQ(r2.hash, precis::sha256_hex(ledger_body(r2)));
    auto parsed = parse_ledger_line(ledger_line(r2));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->command, r2.command);
    EXPECT_TRUE(verify_ledger(run).empty());
    auto m = run.manifest();
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m["convert"].status, "ok");
    EXPECT_EQ(m["convert"].seq, 2);
}

TEST_F(WorkflowState, EverySingleByteEditOfARecordIsDetected) {
    run_dir run(dir / "run");
    auto a = write("a.txt", "alpha\n");
    for (const char* s : {"simulate", "convert", "qc"}) {
        record r = completed(s, {a});
        run.append(r);
    }
    const fs::path ledger = run.path() / "ledger.tsv";
    const std::string original = read(ledger);
    // Flip each byte of the middle record in turn (not just a sample): every edit must be caught.
    size_t start = original.find('\n') + 1, end = original.find('\n', start);
    for (size_t i = start; i < end; ++i) {
        std::string edited = original;
        edited[i] = static_cast<char>(edited[i] ^ 0x01);
        std::ofstream(ledger, std::ios::binary) << edited;
        auto problems = verify_ledger(run);
        ASSERT_FALSE(problems.empty()) << "undetected edit at byte " << i;
    }
    std::ofstream(ledger, std::ios::binary) << original;
    EXPECT_TRUE(verify_ledger(run).empty());
}

TEST_F(WorkflowState, RemovedReorderedRecordsAndChangedOutputsAreDetected) {
    run_dir run(dir / "run");
    auto a = write("a.txt", "alpha\n"), b = write("b.txt", "beta\n");
    record r1 = completed("simulate", {a}), r2 = completed("convert", {b}), r3 = completed("qc", {});
    run.append(r1);
    run.append(r2);
    run.append(r3);
    const fs::path ledger = run.path() / "ledger.tsv";
    const std::string original = read(ledger);
    std::vector<std::string> lines;
    std::istringstream in(original);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    auto with = [&](const std::vector<std::string>& ls) {
        std::ofstream out(ledger, std::ios::binary);
        for (const auto& l : ls) out << l << "\n";
    };
    with({lines[0], lines[2]});  // middle removed
    auto p = verify_ledger(run);
    ASSERT_FALSE(p.empty());
    EXPECT_NE(p[0].find("record 3 (qc"), std::string::npos) << p[0];
    with({lines[0], lines[2], lines[1]});  // reordered
    EXPECT_FALSE(verify_ledger(run).empty());
    with({lines[0], lines[1]});  // last removed: only ledger.head tells
    p = verify_ledger(run);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("ledger.head"), std::string::npos);
    with(lines);
    EXPECT_TRUE(verify_ledger(run).empty());
    write("b.txt", "betA\n");  // a single changed byte in an output
    p = verify_ledger(run);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("record 2 (convert"), std::string::npos) << p[0];
    EXPECT_NE(p[0].find("b.txt has changed"), std::string::npos) << p[0];
}

TEST_F(WorkflowState, PlanSkipsUpToDateStepsAndRerunsDownstreamOfAChange) {
    // A three-stage chain with one array stage, "completed" by hand: the plan must skip what is current,
    // rerun a step whose output went missing and everything downstream of it, and nothing else.
    auto home = dir / "home";
    for (const char* s : {"a", "b", "c"}) write("home/jobs/" + std::string(s) + ".sh", std::string("precis_serial ") + s + "\n");
    auto g = parse_graph("a jobs/a.sh - in=src out=out\n"
                         "b jobs/b.sh a array=p in=in out=out\n"
                         "c jobs/c.sh b in=in out=out\n",
                         (dir / "g.graph").string());
    auto src = write("src.txt", "source\n");
    auto a_out = dir / "a.out", b1 = dir / "b.P1.out", b2 = dir / "b.P2.out", c_out = dir / "c.out";
    auto ini = parse_ini("[workflow]\np = P1 P2\n[a]\nsrc = " + src.string() + "\nout = " + a_out.string() +
                             "\n[b]\nin = " + a_out.string() + "\nout = " + (dir / "b.{p}.out").string() +
                             "\n[c]\nin = " + b1.string() + "\nout = " + c_out.string() + "\n",
                         (dir / "c.ini").string());
    run_dir run(dir / "run");
    auto steps = expand(g, ini);
    ASSERT_EQ(steps.size(), 4u);
    auto complete = [&](const step& s, const fs::path& out) {
        write(out.filename().string(), "made by " + s.id() + "\n");
        record r = completed(s.id(), {out});
        auto key = current_key(g, ini, steps, run.manifest(), s, home, "0.1.0", &r.inputs);
        ASSERT_TRUE(key);
        r.key = *key;
        run.append(r);
    };
    auto first = plan(g, ini, home, run, "0.1.0");
    for (const auto& p : first) EXPECT_TRUE(p.run) << p.s.id();
    EXPECT_EQ(first[0].reason, "not run before");
    complete(steps[0], a_out);
    complete(steps[1], b1);
    complete(steps[2], b2);
    complete(steps[3], c_out);
    for (const auto& p : plan(g, ini, home, run, "0.1.0")) EXPECT_FALSE(p.run) << p.s.id() << ": " << p.reason;
    EXPECT_TRUE(verify_ledger(run).empty());

    fs::remove(b2);  // one task's output: that task and c rerun; a and b[1] do not
    auto again = plan(g, ini, home, run, "0.1.0");
    EXPECT_FALSE(again[0].run);
    EXPECT_FALSE(again[1].run);
    EXPECT_TRUE(again[2].run);
    EXPECT_NE(again[2].reason.find("is missing"), std::string::npos) << again[2].reason;
    EXPECT_TRUE(again[3].run);
    EXPECT_EQ(again[3].reason, "upstream stage b reruns");
    complete(steps[2], b2);
    complete(steps[3], c_out);

    write("src.txt", "source, edited\n");  // an external input changed: everything reruns
    for (const auto& p : plan(g, ini, home, run, "0.1.0")) EXPECT_TRUE(p.run) << p.s.id();
    write("src.txt", "source\n");
    for (const auto& p : plan(g, ini, home, run, "0.1.0")) EXPECT_FALSE(p.run) << p.s.id();
    EXPECT_TRUE(plan(g, ini, home, run, "0.2.0")[0].run);  // a new precis version reruns

    write("home/jobs/c.sh", "precis_serial c\n# edited\n");  // only c's script changed
    auto edited = plan(g, ini, home, run, "0.1.0");
    EXPECT_FALSE(edited[2].run);
    EXPECT_TRUE(edited[3].run);
    write("home/jobs/c.sh", "precis_serial c\n");

    record failed;
    failed.step = "b[1]";
    failed.status = "failed";
    failed.exit_code = 2;
    run.set_state(failed);
    auto after_failure = plan(g, ini, home, run, "0.1.0");
    EXPECT_FALSE(after_failure[0].run);
    EXPECT_TRUE(after_failure[1].run);
    EXPECT_EQ(after_failure[1].reason, "failed last time (exit 2)");
    EXPECT_TRUE(after_failure[3].run);
}

TEST_F(WorkflowState, CheckInputsAcceptsWhatUpstreamWritesAndRefusesTheRest) {
    // Only src exists: a writes the directory world/; each task of b reads its file under it and writes
    // {p}.out and the prefix {p}.pca; c reads a task's output and a file beside b's prefix output.
    auto g = parse_graph("a jobs/a.sh - in=src out=dir/\n"
                         "b jobs/b.sh a array=p in=in out=out,tsv\n"
                         "c jobs/c.sh b in=in,eigen,self out=self\n",
                         (dir / "g.graph").string());
    auto src = write("src.txt", "source\n");
    auto text = [&](const std::string& c_in, const std::string& p_list) {
        return "[workflow]\np = " + p_list + "\n[a]\nsrc = " + src.string() + "\ndir = " + (dir / "world").string() +
               "\n[b]\nin = " + (dir / "world/{p}.txt").string() + "\nout = " + (dir / "{p}.out").string() +
               "\ntsv = " + (dir / "{p}.pca").string() + "\n[c]\nin = " + c_in + "\neigen = " +
               (dir / "P1.pca.eigenvec").string() + "\n";
    };
    auto ok = parse_ini(text((dir / "P2.out").string(), "P1 P2"), "c.ini");
    EXPECT_NO_THROW(check_inputs(g, ok, {}));

    auto message = [&](const ini_file& ini, const graph& gr, const std::map<std::string, record>& m) {
        try {
            check_inputs(gr, ini, m);
        } catch (const precis::input_error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    // An outside input that does not exist, with the path as written.
    auto gone = parse_ini(text((dir / "P2.out").string(), "P1 P2"), "c.ini");
    fs::remove(src);
    EXPECT_EQ(message(gone, g, {}), "c.ini: [a] src = " + src.string() +
                                        ": no such file (an input of stage 'a' that no earlier stage writes)");
    write("src.txt", "source\n");
    // c reads a file no task of b writes (P3 is not an item).
    auto p3 = parse_ini(text((dir / "P3.out").string(), "P1 P2"), "c.ini");
    EXPECT_NE(message(p3, g, {}).find("c.ini: [c] in = " + (dir / "P3.out").string() + ": no such file"), std::string::npos);
    // A stage that writes the file but that c does not wait for.
    auto unordered = parse_graph("a jobs/a.sh - in=src out=dir/\n"
                                 "b jobs/b.sh a array=p in=in out=out,tsv\n"
                                 "c jobs/c.sh a in=in out=self\n",
                                 (dir / "g.graph").string());
    EXPECT_NE(message(ok, unordered, {}).find("stage 'b' writes it, but 'c' does not wait for it"), std::string::npos)
        << message(ok, unordered, {});
    // An array task's own path, {p} replaced, named with its task.
    auto lonely = parse_graph("b jobs/b.sh - array=p in=in out=out\n", (dir / "g.graph").string());
    EXPECT_EQ(message(ok, lonely, {}), "c.ini: [b] in = " + (dir / "world/{p}.txt").string() + ": no such file " +
                                           (dir / "world/P1.txt").string() +
                                           " (an input of step 'b[1]' that no earlier stage writes)");
    // Updated in place: the stage's own output does not count, unless the file exists.
    auto alone = parse_graph("c jobs/c.sh - in=self out=self\n", (dir / "g.graph").string());
    auto in_place = parse_ini("[c]\nself = " + (dir / "self.h5").string() + "\n", "c.ini");
    EXPECT_NE(message(in_place, alone, {}).find("c.ini: [c] self = "), std::string::npos);
    write("self.h5", "h5\n");
    EXPECT_EQ(message(in_place, alone, {}), "");
    // An output recorded in the manifest by a stage c waits for counts too (what record_step committed).
    auto extra = parse_ini(text((dir / "P1.extra").string(), "P1 P2"), "c.ini");
    EXPECT_NE(message(extra, g, {}), "");
    std::map<std::string, record> m;
    m["b[1]"].outputs.emplace_back((dir / "P1.extra").string(), std::string(64, 'a'));
    EXPECT_EQ(message(extra, g, m), "");
}

TEST_F(WorkflowState, LockSerialisesAppendsFromManyProcesses) {
    run_dir run(dir / "run");
    auto a = write("a.txt", "alpha\n");
    std::vector<pid_t> kids;
    for (int k = 0; k < 4; ++k) {
        pid_t pid = ::fork();
        if (pid == 0) {
            for (int i = 0; i < 10; ++i) {
                record r = completed("task" + std::to_string(k) + "." + std::to_string(i), {a});
                run.append(r);
            }
            ::_exit(0);
        }
        kids.push_back(pid);
    }
    for (pid_t p : kids) ::waitpid(p, nullptr, 0);
    EXPECT_EQ(run.ledger_lines().size(), 40u);
    EXPECT_TRUE(verify_ledger(run).empty());
    EXPECT_EQ(run.manifest().size(), 40u);
}
