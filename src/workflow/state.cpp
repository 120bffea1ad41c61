#include "precis/workflow/state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "precis/core/digest.hpp"
#include "precis/core/error.hpp"

namespace precis::workflow {

namespace fs = std::filesystem;

namespace {

const std::string zero_hash(64, '0');

std::vector<std::string> split_on(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

std::string encode_hashes(const file_hashes& h) {
    std::string out;
    for (const auto& [p, d] : h) {
        if (!out.empty()) out += ';';
        out += escape(p) + '=' + d;
    }
    return out;
}

std::optional<file_hashes> decode_hashes(const std::string& s) {
    file_hashes h;
    if (s.empty()) return h;
    for (const auto& item : split_on(s, ';')) {
        auto eq = item.find('=');
        if (eq == std::string::npos) return std::nullopt;
        h.emplace_back(unescape(item.substr(0, eq)), item.substr(eq + 1));
    }
    return h;
}

using fields = std::vector<std::pair<std::string, std::string>>;

std::string join_fields(const fields& f) {
    std::string out;
    for (const auto& [k, v] : f) {
        if (!out.empty()) out += '\t';
        out += k + '=' + v;
    }
    return out;
}

std::optional<std::map<std::string, std::string>> split_fields(const std::string& line) {
    std::map<std::string, std::string> out;
    for (const auto& f : split_on(line, '\t')) {
        auto eq = f.find('=');
        if (eq == std::string::npos) return std::nullopt;
        out[f.substr(0, eq)] = f.substr(eq + 1);
    }
    return out;
}

bool parse_long(const std::string& s, long& v) {
    if (s.empty()) return false;
    try {
        size_t used = 0;
        v = std::stol(s, &used);
        return used == s.size();
    } catch (...) {
        return false;
    }
}

void write_atomically(const fs::path& file, const std::string& text) {
    fs::path tmp = file.parent_path() / (".precis-partial." + file.filename().string());
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text;
        out.flush();
        if (!out) throw runtime_failure(tmp.string() + ": cannot write");
    }
    fs::rename(tmp, file);
}

std::vector<std::string> read_lines(const fs::path& file) {
    std::vector<std::string> out;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace

std::string escape(const std::string& s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (c == '%' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '=') {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string unescape(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string ledger_body(const record& r) {
    return join_fields({{"seq", std::to_string(r.seq)},
                        {"time", escape(r.time)},
                        {"step", escape(r.step)},
                        {"key", r.key},
                        {"job", escape(r.job)},
                        {"command", escape(r.command)},
                        {"versions", escape(r.versions)},
                        {"inputs", encode_hashes(r.inputs)},
                        {"outputs", encode_hashes(r.outputs)},
                        {"prev", r.prev}});
}

std::string ledger_line(const record& r) { return ledger_body(r) + "\thash=" + r.hash; }

std::optional<record> parse_ledger_line(const std::string& line) {
    auto f = split_fields(line);
    if (!f) return std::nullopt;
    for (const char* name : {"seq", "time", "step", "key", "job", "command", "versions", "inputs", "outputs", "prev", "hash"})
        if (!f->count(name)) return std::nullopt;
    if (f->size() != 11) return std::nullopt;
    record r;
    if (!parse_long(f->at("seq"), r.seq)) return std::nullopt;
    r.time = unescape(f->at("time"));
    r.step = unescape(f->at("step"));
    r.key = f->at("key");
    r.job = unescape(f->at("job"));
    r.command = unescape(f->at("command"));
    r.versions = unescape(f->at("versions"));
    auto in = decode_hashes(f->at("inputs")), out = decode_hashes(f->at("outputs"));
    if (!in || !out) return std::nullopt;
    r.inputs = *in;
    r.outputs = *out;
    r.prev = f->at("prev");
    r.hash = f->at("hash");
    r.status = "ok";
    return r;
}

std::string manifest_line(const record& r) {
    return join_fields({{"step", escape(r.step)},
                        {"status", r.status},
                        {"exit", std::to_string(r.exit_code)},
                        {"seq", std::to_string(r.seq)},
                        {"time", escape(r.time)},
                        {"key", r.key},
                        {"job", escape(r.job)},
                        {"outputs", encode_hashes(r.outputs)}});
}

std::optional<record> parse_manifest_line(const std::string& line) {
    auto f = split_fields(line);
    if (!f) return std::nullopt;
    record r;
    long exit_code = 0;
    if (!parse_long((*f)["seq"], r.seq) || !parse_long((*f)["exit"], exit_code)) return std::nullopt;
    r.exit_code = static_cast<int>(exit_code);
    r.step = unescape((*f)["step"]);
    r.status = (*f)["status"];
    r.time = unescape((*f)["time"]);
    r.key = (*f)["key"];
    r.job = unescape((*f)["job"]);
    auto out = decode_hashes((*f)["outputs"]);
    if (!out || r.step.empty()) return std::nullopt;
    r.outputs = *out;
    return r;
}

std::vector<fs::path> files_under(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(fs::absolute(e.path()).lexically_normal());
    std::sort(out.begin(), out.end());
    return out;
}

std::string hash_path(const fs::path& p) {
    if (!fs::is_directory(p)) return sha256_file(p);
    std::string listing;
    for (const auto& f : files_under(p)) listing += f.lexically_relative(fs::absolute(p)).string() + " " + sha256_file(f) + "\n";
    return sha256_hex(listing);
}

std::string step_key(const std::string& script_sha256, const std::vector<std::pair<std::string, std::string>>& section,
                     const file_hashes& inputs, const std::string& precis_version) {
    std::string text = "precis " + precis_version + "\nscript " + script_sha256 + "\n";
    for (const auto& [k, v] : section) text += "config " + escape(k) + "=" + escape(v) + "\n";
    for (const auto& [p, h] : inputs) text += "input " + escape(p) + "=" + h + "\n";
    return sha256_hex(text);
}

// ---- run directory ---------------------------------------------------------------------------------

run_dir::run_dir(fs::path dir) : m_dir(fs::absolute(std::move(dir)).lexically_normal()) {}

run_dir::lock::lock(const run_dir& d) {
    fs::create_directories(d.path());
    m_fd = ::open((d.path() / "lock").c_str(), O_RDWR | O_CREAT, 0644);
    if (m_fd < 0 || ::flock(m_fd, LOCK_EX) != 0)
        throw runtime_failure((d.path() / "lock").string() + ": cannot lock the run directory");
}

run_dir::lock::~lock() {
    if (m_fd >= 0) ::close(m_fd);  // closing releases the flock
}

std::map<std::string, record> run_dir::manifest() const {
    std::map<std::string, record> m;
    int n = 0;
    for (const auto& line : read_lines(m_dir / "manifest.tsv")) {
        ++n;
        auto r = parse_manifest_line(line);
        if (!r) throw input_error::at((m_dir / "manifest.tsv").string(), "line " + std::to_string(n), "malformed manifest entry");
        m[r->step] = *r;
    }
    return m;
}

void run_dir::write_manifest(const std::map<std::string, record>& m) const {
    std::string text;
    for (const auto& [id, r] : m) text += manifest_line(r) + "\n";
    write_atomically(m_dir / "manifest.tsv", text);
}

void run_dir::set_state(const record& r) const {
    lock held(*this);
    auto m = manifest();
    m[r.step] = r;
    write_manifest(m);
}

std::vector<std::string> run_dir::ledger_lines() const { return read_lines(m_dir / "ledger.tsv"); }

void run_dir::append(record& r) const {
    lock held(*this);
    auto lines = ledger_lines();
    r.seq = static_cast<long>(lines.size()) + 1;
    r.prev = zero_hash;
    if (!lines.empty()) {
        auto last = parse_ledger_line(lines.back());
        if (!last) throw runtime_failure((m_dir / "ledger.tsv").string() + ": last record is malformed; run 'precis ledger verify'");
        r.prev = last->hash;
    }
    r.hash = sha256_hex(ledger_body(r));
    // The record goes in whole with its head, or not at all: a half-written line (a full disk) would make
    // every later run refuse this directory. Cutting the ledger back to its old length needs no space.
    const fs::path ledger = m_dir / "ledger.tsv";
    std::error_code ec;
    const auto length = fs::exists(ledger, ec) ? fs::file_size(ledger, ec) : 0;
    try {
        {
            std::ofstream out(ledger, std::ios::app);
            out << ledger_line(r) << "\n";
            out.flush();
            if (!out) throw runtime_failure(ledger.string() + ": cannot append (disk full?)");
        }
        write_atomically(m_dir / "ledger.head", std::to_string(r.seq) + " " + r.hash + "\n");
    } catch (...) {
        fs::resize_file(ledger, length, ec);
        throw;
    }
    auto m = manifest();
    record entry = r;
    entry.status = "ok";
    entry.exit_code = 0;
    m[r.step] = entry;
    write_manifest(m);
}

std::vector<std::pair<std::string, std::string>> run_dir::jobs() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& line : read_lines(m_dir / "jobs.tsv")) {
        auto f = split_on(line, '\t');
        if (f.size() >= 2) out.emplace_back(f[0], f[1]);
    }
    return out;
}

void run_dir::add_job(const std::string& stage, const std::string& id, const std::string& tasks) const {
    lock held(*this);
    std::ofstream out(m_dir / "jobs.tsv", std::ios::app);
    out << stage << '\t' << id << '\t' << tasks << '\n';
}

// ---- verification ----------------------------------------------------------------------------------

std::vector<std::string> verify_ledger(const run_dir& dir) {
    std::vector<std::string> problems;
    const fs::path file = dir.path() / "ledger.tsv";
    if (!fs::exists(file)) {
        problems.push_back(file.string() + ": no ledger (nothing completed in this run directory?)");
        return problems;
    }
    auto lines = dir.ledger_lines();
    std::string prev = zero_hash;
    std::map<std::string, std::pair<std::string, std::string>> latest;  // output -> (hash, record name)
    std::string last_hash;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string where = "line " + std::to_string(i + 1);
        auto r = parse_ledger_line(lines[i]);
        if (!r) {
            problems.push_back("record at " + where + ": malformed (edited?)");
            prev = "";
            continue;
        }
        const std::string name = "record " + std::to_string(r->seq) + " (" + r->step + ", " + where + ")";
        if (r->seq != static_cast<long>(i + 1))
            problems.push_back(name + ": sequence number " + std::to_string(r->seq) + " at position " +
                               std::to_string(i + 1) + " (records removed or reordered)");
        if (sha256_hex(ledger_body(*r)) != r->hash) problems.push_back(name + ": content does not match its hash (edited)");
        if (r->prev != prev)
            problems.push_back(name + ": previous-record hash does not match the record before it (a record before it was "
                                      "edited, removed or reordered)");
        prev = r->hash;
        last_hash = r->hash;
        for (const auto& [p, h] : r->outputs) latest[p] = {h, name};
    }
    // The head file names the last record, so removing records from the end is detected too.
    auto head = read_lines(dir.path() / "ledger.head");
    std::string expected = std::to_string(lines.size()) + " " + last_hash;
    if (head.empty() || head[0] != expected)
        problems.push_back("ledger.head: '" + (head.empty() ? std::string("missing") : head[0]) +
                           "' does not name the last record '" + expected + "' (records removed or appended by hand)");
    for (const auto& [p, hn] : latest) {
        if (!fs::exists(p)) {
            problems.push_back(hn.second + ": output " + p + " is missing");
            continue;
        }
        if (hash_path(p) != hn.first) problems.push_back(hn.second + ": output " + p + " has changed since it was recorded");
    }
    return problems;
}

// ---- keys and plans --------------------------------------------------------------------------------

namespace {

// Does step `w` (by its declared outputs or its record) produce path p?
bool produces(const ini_file& config, const step& w, const std::map<std::string, record>& manifest, const std::string& p) {
    for (const auto& out : w.of->outputs) {
        std::string wp = key_path(config, w, out.key);
        if (wp.empty()) continue;
        if (wp == p) return true;
        if (out.dir && p.size() > wp.size() && p.compare(0, wp.size() + 1, wp + "/") == 0) return true;
    }
    auto it = manifest.find(w.id());
    if (it != manifest.end())
        for (const auto& [op, h] : it->second.outputs)
            if (op == p) return true;
    return false;
}

// Can step `w` write p once it runs? What produces() knows, or a file the command writes beside a declared
// output file (OUT.tbi, or PREFIX.* when the value is a prefix), which record_step commits with it.
bool may_write(const ini_file& config, const step& w, const std::map<std::string, record>& manifest, const std::string& p) {
    if (produces(config, w, manifest, p)) return true;
    for (const auto& out : w.of->outputs) {
        std::string wp = key_path(config, w, out.key);
        if (!out.dir && !wp.empty() && p.size() > wp.size() && p.compare(0, wp.size() + 1, wp + ".") == 0) return true;
    }
    return false;
}

}  // namespace

void check_inputs(const graph& g, const ini_file& config, const std::map<std::string, record>& manifest) {
    auto steps = expand(g, config);
    for (const auto& s : steps) {
        auto anc = g.ancestors(s.of->name);
        const auto& written = config.section(s.of->name);  // as in the file, for the message
        auto section = step_section(config, s);            // {NAME} replaced, in the same order
        for (const auto& in : s.of->inputs)
            for (size_t i = 0; i < section.size(); ++i) {
                if (section[i].first != in.key || section[i].second.empty()) continue;
                // Resolved as key_paths resolves it for the step's key, against the directory the run starts in.
                std::string p = fs::absolute(section[i].second).lexically_normal().string();
                std::error_code ec;
                if (fs::exists(p, ec)) continue;
                bool upstream = false;
                const step* unordered = nullptr;
                for (const auto& w : steps) {
                    if (w.of == s.of || !may_write(config, w, manifest, p)) continue;
                    if (std::find(anc.begin(), anc.end(), w.of->name) != anc.end()) upstream = true;
                    else if (!unordered) unordered = &w;
                }
                if (upstream) continue;
                std::string what = ec ? ec.message() : "no such file";
                if (p != written[i].second) what += " " + p;
                std::string of = s.task == 0 ? "stage '" + s.of->name + "'" : "step '" + s.id() + "'";
                if (unordered)
                    what += " (an input of " + of + "; stage '" + unordered->of->name + "' writes it, but '" + s.of->name +
                            "' does not wait for it)";
                else
                    what += " (an input of " + of + " that no earlier stage writes)";
                throw input_error::at(config.path.string(), "[" + s.of->name + "] " + in.key + " = " + written[i].second,
                                      what);
            }
    }
}

std::optional<file_hashes> input_hashes(const graph& g, const ini_file& config, const std::vector<step>& steps,
                                        const std::map<std::string, record>& manifest, const step& s,
                                        std::string* why) {
    auto anc = g.ancestors(s.of->name);
    file_hashes out;
    for (const auto& in : s.of->inputs)
      for (const auto& p : key_paths(config, s, in.key)) {
        // The producer: the last step of an ancestor stage, in graph order, that writes p.
        const step* producer = nullptr;
        for (const auto& w : steps)
            if (std::find(anc.begin(), anc.end(), w.of->name) != anc.end() && produces(config, w, manifest, p)) producer = &w;
        if (producer) {
            auto it = manifest.find(producer->id());
            if (it == manifest.end() || it->second.status != "ok") {
                if (why) *why = "input " + p + " from " + producer->id() + " is not ready";
                return std::nullopt;
            }
            std::string h;
            for (const auto& [op, oh] : it->second.outputs)
                if (op == p) h = oh;
            if (h.empty() && in.dir) {
                // A directory input produced as a whole: hash the producer's recorded files under it.
                std::string listing;
                for (const auto& [op, oh] : it->second.outputs)
                    if (op.compare(0, p.size() + 1, p + "/") == 0) listing += op.substr(p.size() + 1) + " " + oh + "\n";
                if (!listing.empty()) h = sha256_hex(listing);
            }
            if (h.empty()) {
                if (why) *why = "input " + p + " is not among " + producer->id() + "'s recorded outputs";
                return std::nullopt;
            }
            out.emplace_back(p, h);
        } else {
            if (!fs::exists(p)) {
                if (why) *why = "input " + p + " does not exist";
                return std::nullopt;
            }
            out.emplace_back(p, hash_path(p));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<std::string> current_key(const graph& g, const ini_file& config, const std::vector<step>& steps,
                                       const std::map<std::string, record>& manifest, const step& s,
                                       const fs::path& home, const std::string& version, file_hashes* inputs,
                                       std::string* why) {
    auto in = input_hashes(g, config, steps, manifest, s, why);
    if (!in) return std::nullopt;
    if (inputs) *inputs = *in;
    return step_key(sha256_file(home / s.of->script), step_section(config, s), *in, version);
}

std::vector<planned> plan(const graph& g, const ini_file& config, const fs::path& home, const run_dir& dir,
                          const std::string& version) {
    auto steps = expand(g, config);
    auto manifest = dir.manifest();
    std::map<std::string, std::string> dirty;  // step id -> reason

    // Outputs as recorded by the latest completed step that wrote them; a missing or changed one reruns
    // the first step (in graph order) that writes it, and so everything after it.
    std::map<std::string, std::pair<long, std::string>> expected;  // path -> (seq, hash)
    for (const auto& [id, r] : manifest)
        if (r.status == "ok")
            for (const auto& [p, h] : r.outputs)
                if (!expected.count(p) || expected[p].first < r.seq) expected[p] = {r.seq, h};
    for (const auto& [p, sh] : expected) {
        std::string reason;
        if (!fs::exists(p))
            reason = "output " + p + " is missing";
        else if (hash_path(p) != sh.second)
            reason = "output " + p + " has changed";
        if (reason.empty()) continue;
        for (const auto& st : steps) {
            auto it = manifest.find(st.id());
            if (it == manifest.end() || it->second.status != "ok") continue;
            bool writes = false;
            for (const auto& [op, oh] : it->second.outputs) writes = writes || op == p;
            if (writes) {
                dirty.emplace(st.id(), reason);
                break;
            }
        }
    }

    std::vector<planned> out;
    std::set<std::string> rerun_stages;
    for (const auto& st : steps) {
        planned p{st, true, ""};
        auto it = manifest.find(st.id());
        auto anc = g.ancestors(st.of->name);
        std::string upstream;
        for (const auto& a : anc)
            if (rerun_stages.count(a)) upstream = a;
        if (it == manifest.end())
            p.reason = "not run before";
        else if (it->second.status == "failed")
            p.reason = "failed last time (exit " + std::to_string(it->second.exit_code) + ")";
        else if (it->second.status != "ok")
            p.reason = "did not finish last time (killed or still running)";
        else if (!upstream.empty())
            p.reason = "upstream stage " + upstream + " reruns";
        else if (dirty.count(st.id()))
            p.reason = dirty[st.id()];
        else {
            std::string why;
            auto key = current_key(g, config, steps, manifest, st, home, version, nullptr, &why);
            if (!key)
                p.reason = why;
            else if (*key != it->second.key)
                p.reason = "script, config section, inputs or precis version changed";
            else {
                p.run = false;
                p.reason = "up to date";
            }
        }
        if (p.run) rerun_stages.insert(st.of->name);
        out.push_back(p);
    }
    return out;
}

fs::path staging_dir(const run_dir& dir, const step& s) {
    return dir.path() / "stage" / (s.task == 0 ? s.of->name : s.of->name + "." + std::to_string(s.task));
}

fs::path staged_path(const run_dir& dir, const step& s, const io_key& out, const std::string& final_path) {
    return staging_dir(dir, s) / out.key / fs::path(final_path).filename();
}

}  // namespace precis::workflow
