// precis workflow run|status|cancel|begin|record and precis ledger verify: the stage-graph driver.
// These are serial programs (no MPI of their own): they launch the job scripts, which launch MPI.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "commands.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/digest.hpp"
#include "precis/core/error.hpp"
#include "precis/core/timestamp.hpp"
#include "precis/workflow/graph.hpp"
#include "precis/workflow/state.hpp"
#include "version.hpp"

namespace precis::cli {

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace precis::workflow;

const char* workflow_usage =
    "precis workflow run    GRAPH --config CFG [--executor local|slurm] [--run-dir DIR] [--ranks N] [--sbatch ARGS] [--dry-run]\n"
    "       precis workflow status GRAPH --config CFG [--run-dir DIR]\n"
    "       precis workflow cancel GRAPH --config CFG [--run-dir DIR]\n"
    "       precis workflow begin|record|task-config ...   (called by jobs/common.sh inside a job)\n\n"
    "Runs a stage graph (workflows/*.graph; format in docs/workflow.md): each stage's job script from jobs/\n"
    "with CFG. 'run' skips steps whose script, config section, inputs and precis version are unchanged and\n"
    "whose recorded outputs are intact, and reruns everything downstream of a step that reruns. The local\n"
    "executor runs the steps here in graph order (array tasks one by one); the slurm executor submits them\n"
    "with sbatch --dependency=afterok and --kill-on-invalid-dep=yes, records the job IDs in the run\n"
    "directory and prints them. Each completed step is recorded with SHA-256 of its inputs and outputs in\n"
    "DIR/manifest.tsv and appended to the provenance ledger DIR/ledger.tsv (see 'precis ledger verify').";

std::string self_exe() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("precis") : p.string();
}

fs::path default_run_dir(const fs::path& graph) { return fs::path("runs") / (graph.stem().string() + ".run"); }

fs::path checkout_home(const fs::path& graph) {
    if (const char* h = std::getenv("PRECIS_HOME"); h && *h) return fs::absolute(h);
    return fs::absolute(graph).parent_path().parent_path();  // workflows/NAME.graph -> checkout
}

bool available(const std::string& name) { return command_available(name.c_str()); }

// Runs argv; stdout captured into *out (when given), stderr passed through or to `log`.
int spawn(const std::vector<std::string>& argv, std::string* out, const fs::path& log = {}) {
    int pipefd[2] = {-1, -1};
    if (out && ::pipe(pipefd) != 0) throw runtime_failure("pipe failed");
    pid_t pid = ::fork();
    if (pid < 0) throw runtime_failure("fork failed");
    if (pid == 0) {
        int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);  // mpiexec would otherwise read our stdin
        if (!log.empty()) {
            int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
            }
        }
        if (out) {
            ::dup2(pipefd[1], 1);
            ::close(pipefd[0]);
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        std::fprintf(stderr, "precis workflow: cannot run %s\n", argv[0].c_str());
        ::_exit(127);
    }
    if (out) {
        ::close(pipefd[1]);
        char buf[4096];
        ssize_t n;
        while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) out->append(buf, static_cast<size_t>(n));
        ::close(pipefd[0]);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string tail_of(const fs::path& file, int lines) {
    std::ifstream in(file);
    std::vector<std::string> all;
    std::string l;
    while (std::getline(in, l)) all.push_back(l);
    std::string out;
    for (size_t i = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0; i < all.size(); ++i)
        out += "  | " + all[i] + "\n";
    return out;
}

std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

struct loaded {
    fs::path graph_path, config_path, home;
    graph g;
    ini_file config;
    run_dir dir{"."};
};

loaded load(const po::variables_map& vm, bool check) {
    loaded l;
    l.graph_path = fs::absolute(vm["graph"].as<std::string>());
    l.config_path = vm["config"].as<std::string>();
    if (!fs::is_regular_file(l.graph_path)) throw input_error(l.graph_path.string() + ": no such workflow graph");
    if (!fs::is_regular_file(l.config_path)) throw input_error(l.config_path.string() + ": no such config file");
    l.g = read_graph(l.graph_path);
    l.config = read_ini(l.config_path);
    l.home = vm.count("home") ? fs::absolute(vm["home"].as<std::string>()) : checkout_home(l.graph_path);
    if (check) validate(l.g, l.config, l.home, available);
    l.dir = run_dir(vm.count("run-dir") ? fs::path(vm["run-dir"].as<std::string>()) : default_run_dir(l.graph_path));
    if (check) check_inputs(l.g, l.config, l.dir.manifest());  // before any step runs or is submitted, and in --dry-run
    return l;
}

void set_job_env(const loaded& l, const std::string& stage) {
    ::setenv("PRECIS_HOME", l.home.c_str(), 1);
    ::setenv("PRECIS", self_exe().c_str(), 0);  // an explicit PRECIS wins (e.g. a wrapper)
    ::setenv("PRECIS_RUN_DIR", l.dir.path().c_str(), 1);
    ::setenv("PRECIS_GRAPH", l.graph_path.c_str(), 1);
    ::setenv("PRECIS_STAGE", stage.c_str(), 1);
}

// ---- run -------------------------------------------------------------------------------------------

int run_local(const loaded& l, const std::vector<planned>& pending, int ranks) {
    std::set<std::string> failed_stages;
    int failures = 0;
    ::setenv("PRECIS_RANKS", std::to_string(ranks).c_str(), 1);
    for (const auto& p : pending) {
        if (!p.run) continue;
        std::string blocked;
        for (const auto& a : l.g.ancestors(p.s.of->name))
            if (failed_stages.count(a)) blocked = a;
        if (!blocked.empty()) {
            std::printf("== %s not run: upstream stage %s failed\n", p.s.id().c_str(), blocked.c_str());
            failed_stages.insert(p.s.of->name);
            continue;
        }
        std::printf("== %s (%s)\n", p.s.id().c_str(), p.reason.c_str());
        std::fflush(stdout);
        set_job_env(l, p.s.of->name);
        ::setenv("PRECIS_TASK", std::to_string(p.s.task).c_str(), 1);
        fs::create_directories(l.dir.path() / "logs");
        fs::path log = l.dir.path() / "logs" / (p.s.id() + ".log");
        auto start = std::chrono::steady_clock::now();
        int rc = spawn({"bash", (l.home / p.s.of->script).string(), l.config_path.string()}, nullptr, log);
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        auto m = l.dir.manifest();
        auto it = m.find(p.s.id());
        bool recorded = it != m.end() && it->second.status == "ok";
        if (rc == 0 && recorded) {
            std::printf("== %s done in %.1fs\n", p.s.id().c_str(), secs);
            continue;
        }
        ++failures;
        failed_stages.insert(p.s.of->name);
        std::string tail = tail_of(log, 15);
        if (tail.empty()) {  // nothing to show: most likely the run directory's disk is full
            const bool full = free_space(l.dir.path()) < (1u << 20);
            tail = std::string("  | (the log is empty") +
                   (full ? ": the disk of the run directory " + l.dir.path().string() + " is full)\n" : ")\n");
        }
        std::fprintf(stderr, "== %s FAILED (exit %d%s) after %.1fs; log %s:\n%s", p.s.id().c_str(), rc,
                     rc == 0 ? ", but no completion record" : "", secs, log.c_str(), tail.c_str());
    }
    std::fflush(stdout);
    if (failures) {
        std::fprintf(stderr, "precis workflow: %d step(s) failed; 'precis workflow status' shows the rest\n", failures);
        return 1;
    }
    return 0;
}

// squeue state per job id ("123" or "123_2"): (state, reason). Jobs the controller has forgotten are absent.
std::map<std::string, std::pair<std::string, std::string>> squeue_states(const std::vector<std::string>& ids) {
    std::map<std::string, std::pair<std::string, std::string>> out;
    if (ids.empty()) return out;
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ",") + id;
    std::string text;
    if (spawn({"squeue", "-h", "-t", "all", "-j", list, "-o", "%i|%T|%r"}, &text) != 0) return out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto a = line.find('|'), b = line.rfind('|');
        if (a == std::string::npos || a == b) continue;
        out[line.substr(0, a)] = {line.substr(a + 1, b - a - 1), line.substr(b + 1)};
    }
    return out;
}

// The squeue state of one step, given its stage's job id.
std::optional<std::pair<std::string, std::string>> step_job_state(
    const std::map<std::string, std::pair<std::string, std::string>>& states, const std::string& job, const step& s,
    std::string* job_name) {
    *job_name = s.task ? job + "_" + std::to_string(s.task) : job;
    if (auto it = states.find(*job_name); it != states.end()) return it->second;
    if (s.task)
        for (const auto& [id, st] : states)  // pending array tasks appear together as 123_[1-4]
            if (id.compare(0, job.size() + 2, job + "_[") == 0) return st;
    return std::nullopt;
}

bool alive(const std::string& state) {
    return state == "PENDING" || state == "RUNNING" || state == "CONFIGURING" || state == "COMPLETING" ||
           state == "SUSPENDED" || state == "REQUEUED";
}

int run_slurm(const loaded& l, const std::vector<planned>& pending, const std::vector<std::string>& extra) {
    // Steps still queued or running from an earlier submission are not submitted again.
    std::map<std::string, std::string> last_job;
    for (const auto& [stage, id] : l.dir.jobs()) last_job[stage] = id;
    std::vector<std::string> ids;
    for (const auto& [s, id] : last_job) ids.push_back(id);
    auto states = squeue_states(ids);

    std::map<std::string, std::string> job_of;  // stage -> job id waited on in this submission
    std::map<std::string, std::vector<int>> tasks;
    std::vector<std::string> order;
    for (const auto& p : pending) {
        if (!p.run) continue;
        if (!tasks.count(p.s.of->name)) order.push_back(p.s.of->name);
        tasks[p.s.of->name].push_back(p.s.task);
    }
    fs::create_directories(l.dir.path() / "logs");
    int submitted = 0;
    for (const auto& name : order) {
        const stage* st = l.g.find(name);
        if (auto it = last_job.find(name); it != last_job.end()) {
            bool busy = false;
            for (int t : tasks[name]) {
                std::string jn;
                auto s = step_job_state(states, it->second, step{st, t, ""}, &jn);
                busy = busy || (s && alive(s->first));
            }
            if (busy) {
                std::printf("%s %s (already queued or running)\n", name.c_str(), it->second.c_str());
                job_of[name] = it->second;
                continue;
            }
        }
        std::vector<std::string> argv{"sbatch", "--parsable", "--job-name=precis-" + name};
        std::string deps;
        for (const auto& a : st->after)
            if (job_of.count(a)) deps += ":" + job_of[a];
        // An ancestor reached through a skipped direct dependency still has to finish first.
        for (const auto& a : l.g.ancestors(name))
            if (job_of.count(a) && deps.find(":" + job_of[a]) == std::string::npos) deps += ":" + job_of[a];
        if (!deps.empty()) {
            argv.push_back("--dependency=afterok" + deps);
            argv.push_back("--kill-on-invalid-dep=yes");
        }
        std::string task_list;
        if (!st->array.empty()) {
            for (int t : tasks[name]) task_list += (task_list.empty() ? "" : ",") + std::to_string(t);
            argv.push_back("--array=" + task_list);
            argv.push_back("--output=" + (l.dir.path() / "logs" / (name + "-%A_%a.out")).string());
        } else {
            argv.push_back("--output=" + (l.dir.path() / "logs" / (name + "-%j.out")).string());
        }
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back((l.home / st->script).string());
        argv.push_back(l.config_path.string());
        set_job_env(l, name);
        ::unsetenv("PRECIS_TASK");
        std::string out;
        int rc = spawn(argv, &out);
        std::string id = out.substr(0, out.find_first_of(";\n"));
        if (rc != 0 || id.empty())
            throw runtime_failure("sbatch failed for stage " + name + " (exit " + std::to_string(rc) + "); jobs submitted so far are in " +
                                  (l.dir.path() / "jobs.tsv").string() + " ('precis workflow cancel' removes them)");
        l.dir.add_job(name, id, task_list.empty() ? "-" : task_list);
        job_of[name] = id;
        ++submitted;
        std::printf("%s %s\n", name.c_str(), id.c_str());
        std::fflush(stdout);
    }
    std::fprintf(stderr, "precis workflow: %d job(s) submitted; run directory %s\n", submitted, l.dir.path().c_str());
    return 0;
}

// ---- status ----------------------------------------------------------------------------------------

int status(const loaded& l) {
    auto steps = expand(l.g, l.config);
    auto manifest = l.dir.manifest();
    auto pending = plan(l.g, l.config, l.home, l.dir, version());
    std::map<std::string, std::string> last_job;
    for (const auto& [stage, id] : l.dir.jobs()) last_job[stage] = id;
    std::vector<std::string> ids;
    for (const auto& [s, id] : last_job) ids.push_back(id);
    auto states = squeue_states(ids);

    std::map<std::string, std::string> bad;  // stage -> "annotate[2] failed (exit 1)"
    std::printf("%-14s %-10s %-12s %s\n", "STEP", "STATE", "JOB", "DETAIL");
    for (size_t i = 0; i < steps.size(); ++i) {
        const step& s = steps[i];
        const planned& p = pending[i];
        auto it = manifest.find(s.id());
        std::string state, detail, job_name = "-";
        std::optional<std::pair<std::string, std::string>> q;
        if (auto j = last_job.find(s.of->name); j != last_job.end()) q = step_job_state(states, j->second, s, &job_name);
        if (it != manifest.end() && it->second.job != "" && it->second.job != "local" && job_name == "-") job_name = it->second.job;
        std::string upstream;
        for (const auto& a : l.g.ancestors(s.of->name))
            if (bad.count(a)) upstream = bad[a];
        if (q && alive(q->first) && !(it != manifest.end() && it->second.status == "ok" && !p.run)) {
            state = q->first == "PENDING" ? "pending" : "running";
            detail = q->first == "PENDING" ? "waiting (" + q->second + ")" : "running";
            if (q->first == "PENDING" && !upstream.empty()) detail += "; " + upstream;
        } else if (it != manifest.end() && it->second.status == "ok") {
            state = p.run ? "stale" : "done";
            detail = p.run ? "will rerun: " + p.reason : "completed " + it->second.time;
        } else if (it != manifest.end() && it->second.status == "failed") {
            state = "failed";
            detail = "exit " + std::to_string(it->second.exit_code) + " at " + it->second.time + "; log in " +
                     (l.dir.path() / "logs").string();
            bad[s.of->name] = s.id() + " failed (exit " + std::to_string(it->second.exit_code) + ")";
        } else if (it != manifest.end() && it->second.status == "running") {
            state = "killed";
            detail = "started " + it->second.time + " but never finished (killed, timed out or node lost)";
            if (q) detail += "; Slurm: " + q->first + " " + q->second;
            bad[s.of->name] = s.id() + " was killed";
        } else if (q && q->first == "CANCELLED") {
            state = "cancelled";
            detail = upstream.empty() ? "cancelled (" + q->second + ")" : "cancelled because " + upstream + " (" + q->second + ")";
            bad[s.of->name] = s.id() + " was cancelled";
        } else if (!upstream.empty() && job_name != "-") {
            state = "cancelled";
            detail = "never ran because " + upstream;
            bad[s.of->name] = upstream;
        } else if (!upstream.empty()) {
            state = "blocked";
            detail = "not run: " + upstream;
            bad[s.of->name] = upstream;
        } else {
            state = "not-run";
            detail = q ? "Slurm: " + q->first + " " + q->second : "not run yet";
        }
        if (q && (q->first == "FAILED" || q->first == "TIMEOUT" || q->first == "OUT_OF_MEMORY" || q->first == "NODE_FAIL") &&
            state != "failed") {
            state = "failed";
            detail = "Slurm: " + q->first + " " + q->second;
            bad[s.of->name] = s.id() + " " + q->first;
        }
        std::printf("%-14s %-10s %-12s %s\n", s.id().c_str(), state.c_str(), job_name.c_str(), detail.c_str());
    }
    return 0;
}

int cancel(const loaded& l) {
    std::vector<std::string> ids;
    for (const auto& [stage, id] : l.dir.jobs()) ids.push_back(id);
    auto states = squeue_states(ids);
    std::vector<std::string> live;
    for (const auto& id : ids) {
        bool any = false;
        for (const auto& [jid, st] : states)
            if ((jid == id || jid.compare(0, id.size() + 1, id + "_") == 0) && alive(st.first)) any = true;
        if (any) live.push_back(id);
    }
    if (live.empty()) {
        std::printf("nothing to cancel: no recorded job of %s is queued or running\n", l.dir.path().c_str());
        return 0;
    }
    std::vector<std::string> argv{"scancel"};
    argv.insert(argv.end(), live.begin(), live.end());
    int rc = spawn(argv, nullptr);
    for (const auto& id : live) std::printf("cancelled %s\n", id.c_str());
    return rc == 0 ? 0 : 1;
}

// ---- begin / record (inside a job) -----------------------------------------------------------------

step find_step(const loaded& l, const std::string& stage_name, int task) {
    const stage* st = l.g.find(stage_name);
    if (!st) throw input_error(l.graph_path.string() + ": no stage '" + stage_name + "'");
    for (const auto& s : expand(l.g, l.config))
        if (s.of == st && (st->array.empty() || s.task == task)) return s;
    throw input_error("stage " + stage_name + " has no task " + std::to_string(task) + " (its array '" + st->array +
                      "' in [workflow] of " + l.config_path.string() + " is shorter)");
}

bool is_input(const stage& st, const std::string& key) {
    for (const auto& in : st.inputs)
        if (in.key == key) return true;
    return false;
}

int begin(const loaded& l, const step& s) {
    fs::path stage = staging_dir(l.dir, s);
    fs::remove_all(stage);
    fs::create_directories(stage);
    auto section = step_section(l.config, s);
    for (const auto& out : s.of->outputs) {
        std::string final_path = key_path(l.config, s, out.key);
        if (final_path.empty()) continue;
        fs::path sp = staged_path(l.dir, s, out, final_path);
        fs::create_directories(sp.parent_path());
        if (is_input(*s.of, out.key) && fs::exists(final_path)) {
            // Updated in place: the command works on a copy, which replaces the original on completion.
            if (out.dir) fs::copy(final_path, sp, fs::copy_options::recursive);
            else fs::copy_file(final_path, sp);
        }
        for (auto& [k, v] : section)
            if (k == out.key) v = sp.string();
    }
    std::string text = "# written by precis workflow begin for step " + s.id() + " (outputs staged in " + stage.string() + ")\n";
    for (const auto& [k, v] : l.config.section("")) text += k + " = " + v + "\n";
    text += "[" + s.of->name + "]\n";
    for (const auto& [k, v] : section) text += k + " = " + v + "\n";
    fs::path cfg = stage / "config.ini";
    std::ofstream(cfg) << text;
    record r;
    r.step = s.id();
    r.status = "running";
    r.time = utc_timestamp();
    r.job = std::getenv("SLURM_JOB_ID") ? std::getenv("SLURM_JOB_ID") : "local";
    l.dir.set_state(r);
    std::printf("%s\n", cfg.c_str());
    return 0;
}

// Moves a staged file or directory to its final name (rename; a copy then rename across filesystems).
void move_into_place(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::path old = to.parent_path() / (".precis-old." + to.filename().string());
    bool had = fs::exists(to);
    if (fs::is_directory(from) && had) {
        fs::remove_all(old);
        fs::rename(to, old);
    }
    fs::rename(from, to, ec);
    if (ec) {  // another filesystem: copy next to the target, then rename
        fs::path tmp = to.parent_path() / (".precis-partial." + to.filename().string());
        fs::remove_all(tmp);
        remove_on_signal(tmp);
        try {
            fs::copy(from, tmp, fs::copy_options::recursive);
            fs::rename(tmp, to);
        } catch (const fs::filesystem_error& e) {
            // Nothing half-copied stays, and the previous output goes back under its name.
            fs::remove_all(tmp, ec);
            if (had && fs::is_directory(old, ec)) fs::rename(old, to, ec);
            keep_on_signal(tmp);
            throw runtime_failure("cannot copy " + from.string() + " to " + to.string() + ": " +
                                  e.code().message() + " (disk full?); the previous output is unchanged");
        }
        keep_on_signal(tmp);
        fs::remove_all(from);
    }
    if (fs::is_directory(to) && had) fs::remove_all(old);
}

std::string tool_versions() {
    std::string v = version_report();
    for (auto& c : v)
        if (c == '\n') c = ';';
    if (const char* slurm = std::getenv("SLURM_JOB_ID")) v += " Slurm job " + std::string(slurm);
    return v;
}

int record_step(const loaded& l, const step& s, int exit_code, const std::string& command) {
    fs::path stage = staging_dir(l.dir, s);
    record r;
    r.step = s.id();
    r.time = utc_timestamp();
    r.job = std::getenv("SLURM_JOB_ID") ? std::getenv("SLURM_JOB_ID") : "local";
    if (const char* t = std::getenv("SLURM_ARRAY_TASK_ID"); t && std::getenv("SLURM_ARRAY_JOB_ID"))
        r.job = std::string(std::getenv("SLURM_ARRAY_JOB_ID")) + "_" + t;
    if (exit_code != 0) {
        fs::remove_all(stage);
        r.status = "failed";
        r.exit_code = exit_code;
        l.dir.set_state(r);
        return 0;
    }
    // Commit the staged outputs to their final names, then hash them there.
    std::vector<std::string> finals;
    for (const auto& out : s.of->outputs) {
        std::string final_path = key_path(l.config, s, out.key);
        if (final_path.empty()) continue;
        fs::path sp = staged_path(l.dir, s, out, final_path);
        if (out.dir) {
            if (!fs::is_directory(sp)) throw runtime_failure("step " + s.id() + " wrote no directory " + sp.string());
            fs::create_directories(fs::path(final_path).parent_path());
            move_into_place(sp, final_path);
            for (const auto& f : files_under(final_path)) finals.push_back(f.string());
            continue;
        }
        // The named file and whatever the command wrote beside it: companions (.tbi) or, when the key is a
        // prefix (qc --tsv PREFIX), PREFIX.* files.
        std::vector<fs::path> staged;
        for (const auto& e : fs::directory_iterator(sp.parent_path()))
            if (e.is_regular_file() && e.path().filename().string().rfind(".precis-partial.", 0) != 0) staged.push_back(e.path());
        std::sort(staged.begin(), staged.end());
        if (staged.empty()) throw runtime_failure("step " + s.id() + " wrote nothing for " + out.key + " (" + final_path + ")");
        fs::path final_dir = fs::path(final_path).parent_path();
        fs::create_directories(final_dir);
        // Companions (e.g. .tbi) first, the named file last, as atomic_output does.
        for (const auto& f : staged)
            if (f != sp) move_into_place(f, final_dir / f.filename());
        if (fs::exists(sp)) move_into_place(sp, final_path);
        for (const auto& f : staged) finals.push_back((final_dir / f.filename()).string());
    }
    fs::remove_all(stage);
    std::sort(finals.begin(), finals.end());
    for (const auto& f : finals) r.outputs.emplace_back(f, sha256_file(f));
    auto steps = expand(l.g, l.config);
    std::string why;
    auto key = current_key(l.g, l.config, steps, l.dir.manifest(), s, l.home, version(), &r.inputs, &why);
    if (!key) throw runtime_failure("step " + s.id() + ": cannot compute its key: " + why);
    r.key = *key;
    r.command = command;
    r.versions = tool_versions();
    l.dir.append(r);
    return 0;
}

// By hand (sbatch --array=1-2 jobs/annotate.sh CFG, no workflow): the stage's section with every {NAME}
// of a [workflow] list replaced by the task's item, written to a temporary config whose path is printed.
int task_config(const std::string& config_path, const std::string& stage_name, int task) {
    ini_file ini = read_ini(config_path);
    auto section = ini.section(stage_name);
    for (const auto& [name, list] : ini.section("workflow")) {
        std::istringstream in(list);
        std::vector<std::string> items;
        for (std::string w; std::getline(in, w, ',');) {
            std::istringstream ws(w);
            for (std::string x; ws >> x;) items.push_back(x);
        }
        const std::string placeholder = "{" + name + "}";
        for (auto& [k, v] : section) {
            if (v.find(placeholder) == std::string::npos) continue;
            if (task < 1 || task > static_cast<int>(items.size()))
                throw input_error::at(config_path, "[workflow]", "array task " + std::to_string(task) + " of stage " + stage_name +
                                                                     ": '" + name + "' lists " + std::to_string(items.size()) + " items");
            for (size_t p; (p = v.find(placeholder)) != std::string::npos;) v.replace(p, placeholder.size(), items[task - 1]);
        }
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/precis-task.XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw runtime_failure(pattern + ": cannot create a temporary config");
    std::string text;
    for (const auto& [k, v] : ini.section("")) text += k + " = " + v + "\n";
    text += "[" + stage_name + "]\n";
    for (const auto& [k, v] : section) text += k + " = " + v + "\n";
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) throw runtime_failure(pattern + ": cannot write");
    std::printf("%s\n", pattern.c_str());
    return 0;
}

}  // namespace

int run_workflow(int argc, char** argv, MPI_Comm) {
    po::options_description opts("Options");
    opts.add_options()
        ("help,h", "show this help and exit")
        ("config", po::value<std::string>(), "INI file with one section per stage (and [workflow] for array items)")
        ("executor", po::value<std::string>()->default_value("local"), "local or slurm")
        ("run-dir", po::value<std::string>(), "run directory: manifest, ledger, job IDs, logs (default runs/GRAPHNAME.run)")
        ("ranks", po::value<int>()->default_value(2), "local executor: MPI ranks per MPI stage (PRECIS_RANKS)")
        ("sbatch", po::value<std::string>()->default_value(""), "slurm executor: extra sbatch options, e.g. \"--nodes=1 -p short\"")
        ("dry-run", po::bool_switch(), "print what would run and why, run nothing")
        ("home", po::value<std::string>(), "precis checkout holding jobs/ (default PRECIS_HOME, else GRAPH/../..)")
        ("stage", po::value<std::string>(), "begin/record: the stage")
        ("task", po::value<int>()->default_value(0), "begin/record: the array task (1-based)")
        ("exit-code", po::value<int>()->default_value(0), "record: the job's exit code (non-zero records a failure)")
        ("command", po::value<std::string>()->default_value(""), "record: the command line the job ran");
    po::options_description hidden;
    hidden.add_options()("action", po::value<std::string>())("graph", po::value<std::string>());
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description pos;
    pos.add("action", 1).add("graph", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw input_error(std::string("precis workflow: ") + e.what());
    }
    if (vm.count("help") || !vm.count("action")) {
        std::cout << "Usage: " << workflow_usage << "\n\n" << opts << "\n";
        return vm.count("help") ? 0 : 2;
    }
    const std::string action = vm["action"].as<std::string>();
    if (action == "task-config") {
        if (!vm.count("config") || !vm.count("stage")) throw input_error("precis workflow task-config: --config and --stage are required");
        return task_config(vm["config"].as<std::string>(), vm["stage"].as<std::string>(), vm["task"].as<int>());
    }
    if (!vm.count("graph")) throw input_error("precis workflow " + action + ": GRAPH is required (e.g. workflows/demo.graph)");
    if (!vm.count("config")) throw input_error("precis workflow " + action + ": --config is required");
    if (action == "run") {
        std::string executor = vm["executor"].as<std::string>();
        if (executor != "local" && executor != "slurm")
            throw input_error("precis workflow run: --executor " + executor + ": must be local or slurm");
        int ranks = vm["ranks"].as<int>();
        if (ranks < 1) throw input_error("precis workflow run: --ranks must be at least 1");
        loaded l = load(vm, true);
        auto pending = plan(l.g, l.config, l.home, l.dir, version());
        int n = 0;
        for (const auto& p : pending) {
            n += p.run;
            if (!p.run || vm["dry-run"].as<bool>())  // stderr: stdout carries the "stage job_id" lines
                std::fprintf(stderr, "%s %s: %s\n", p.run ? "run " : "skip", p.s.id().c_str(), p.reason.c_str());
        }
        if (vm["dry-run"].as<bool>()) return 0;
        fs::create_directories(l.dir.path());
        if (n == 0) {
            std::printf("precis workflow: all %zu steps are up to date; nothing to run\n", pending.size());
            return 0;
        }
        return executor == "local" ? run_local(l, pending, ranks) : run_slurm(l, pending, words(vm["sbatch"].as<std::string>()));
    }
    if (action == "status") return status(load(vm, false));
    if (action == "cancel") return cancel(load(vm, false));
    if (action == "begin" || action == "record") {
        if (!vm.count("stage") || !vm.count("run-dir")) throw input_error("precis workflow " + action + ": --stage and --run-dir are required");
        loaded l = load(vm, false);
        step s = find_step(l, vm["stage"].as<std::string>(), vm["task"].as<int>());
        return action == "begin" ? begin(l, s) : record_step(l, s, vm["exit-code"].as<int>(), vm["command"].as<std::string>());
    }
    throw input_error("precis workflow: unknown action '" + action + "' (run, status or cancel)");
}

int run_ledger(int argc, char** argv, MPI_Comm) {
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        std::cout << "Usage: precis ledger verify RUN_DIR\n\n"
                     "Checks the provenance ledger of a workflow run directory (RUN_DIR/ledger.tsv): every record's\n"
                     "hash, the chain of previous-record hashes, the sequence numbers, RUN_DIR/ledger.head, and that\n"
                     "every recorded output still has its recorded SHA-256. Exit 0 when all hold; 1 and one line per\n"
                     "problem, naming the record, when not; 2 when RUN_DIR has no ledger.\n";
        return argc < 2 ? 2 : 0;
    }
    if (std::string(argv[1]) != "verify" || argc != 3)
        throw input_error("precis ledger: usage: precis ledger verify RUN_DIR");
    run_dir dir(argv[2]);
    if (!fs::exists(dir.path() / "ledger.tsv")) throw input_error(dir.path().string() + ": no ledger.tsv (not a workflow run directory?)");
    auto problems = verify_ledger(dir);
    size_t n = dir.ledger_lines().size();
    if (problems.empty()) {
        std::printf("ledger verified: %zu records, chain intact, all recorded outputs unchanged\n", n);
        return 0;
    }
    for (const auto& p : problems) std::fprintf(stderr, "precis ledger: %s\n", p.c_str());
    std::fprintf(stderr, "precis ledger: verification FAILED (%zu problem(s) in %zu records)\n", problems.size(), n);
    return 1;
}

}  // namespace precis::cli
