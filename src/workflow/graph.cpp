#include "precis/workflow/graph.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "precis/core/error.hpp"

namespace precis::workflow {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, const std::string& separators) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (separators.find(c) != std::string::npos) {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

bool valid_name(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
    return true;
}

std::string read_text(const fs::path& path, const std::string& what) {
    std::ifstream in(path);
    if (!in) throw input_error(path.string() + ": cannot read " + what);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& ini_file::section(const std::string& name) const {
    static const std::vector<std::pair<std::string, std::string>> empty;
    for (const auto& [n, keys] : sections)
        if (n == name) return keys;
    return empty;
}

std::string ini_file::value(const std::string& sec, const std::string& key) const {
    for (const auto& [k, v] : section(sec))
        if (k == key) return v;
    return "";
}

bool ini_file::has(const std::string& sec, const std::string& key) const {
    for (const auto& [k, v] : section(sec))
        if (k == key) return true;
    return false;
}

ini_file parse_ini(const std::string& text, const std::string& name) {
    ini_file ini;
    ini.path = name;
    ini.sections.emplace_back("", std::vector<std::pair<std::string, std::string>>{});
    std::istringstream in(text);
    std::string raw;
    int line = 0;
    while (std::getline(in, raw)) {
        ++line;
        std::string s = trim(raw.substr(0, raw.find('#')));  // as Boost.Program_options: '#' starts a comment anywhere
        if (s.empty() || s[0] == ';') continue;
        if (s[0] == '[') {
            if (s.back() != ']' || s.size() < 3)
                throw input_error::at(name, "line " + std::to_string(line), "malformed section header '" + s + "'");
            ini.sections.emplace_back(trim(s.substr(1, s.size() - 2)), std::vector<std::pair<std::string, std::string>>{});
            continue;
        }
        auto eq = s.find('=');
        if (eq == std::string::npos || trim(s.substr(0, eq)).empty())
            throw input_error::at(name, "line " + std::to_string(line), "expected 'key = value', got '" + s + "'");
        ini.sections.back().second.emplace_back(trim(s.substr(0, eq)), trim(s.substr(eq + 1)));
    }
    return ini;
}

ini_file read_ini(const fs::path& path) { return parse_ini(read_text(path, "config"), path.string()); }

const stage* graph::find(const std::string& name) const {
    for (const auto& s : stages)
        if (s.name == name) return &s;
    return nullptr;
}

std::vector<std::string> graph::ancestors(const std::string& name) const {
    std::vector<std::string> out;
    std::vector<std::string> pending{name};
    while (!pending.empty()) {
        const stage* s = find(pending.back());
        pending.pop_back();
        if (!s) continue;
        for (const auto& a : s->after)
            if (std::find(out.begin(), out.end(), a) == out.end()) {
                out.push_back(a);
                pending.push_back(a);
            }
    }
    return out;
}

graph parse_graph(const std::string& text, const std::string& name) {
    graph g;
    g.path = name;
    std::istringstream in(text);
    std::string raw;
    int line = 0;
    while (std::getline(in, raw)) {
        ++line;
        std::string s = trim(raw.substr(0, raw.find('#')));
        if (s.empty()) continue;
        auto where = "line " + std::to_string(line);
        auto words = split(s, " \t");
        if (words.size() < 3)
            throw input_error::at(name, where, "expected 'STAGE SCRIPT AFTER [in=...] [out=...] [array=...]'");
        stage st;
        st.name = words[0];
        st.script = words[1];
        st.line = line;
        if (!valid_name(st.name)) throw input_error::at(name, where, "bad stage name '" + st.name + "'");
        if (g.find(st.name)) throw input_error::at(name, where, "stage '" + st.name + "' is defined twice");
        if (words[2] != "-") {
            for (const auto& a : split(words[2], ",")) {
                if (!g.find(a))
                    throw input_error::at(name, where, "stage '" + st.name + "' waits for '" + a +
                                                           "', which is not defined on an earlier line");
                st.after.push_back(a);
            }
        }
        for (size_t i = 3; i < words.size(); ++i) {
            auto eq = words[i].find('=');
            if (eq == std::string::npos)
                throw input_error::at(name, where, "expected in=, out= or array=, got '" + words[i] + "'");
            std::string attr = words[i].substr(0, eq), value = words[i].substr(eq + 1);
            if (attr == "in" || attr == "out") {
                auto& list = attr == "in" ? st.inputs : st.outputs;
                for (auto k : split(value, ",")) {
                    io_key key;
                    if (k.back() == '/') {
                        key.dir = true;
                        k.pop_back();
                    }
                    if (!valid_name(k)) throw input_error::at(name, where, "bad config key '" + k + "' in " + attr + "=");
                    key.key = k;
                    list.push_back(key);
                }
            } else if (attr == "array") {
                if (!valid_name(value)) throw input_error::at(name, where, "bad array name '" + value + "'");
                st.array = value;
            } else {
                throw input_error::at(name, where, "unknown attribute '" + attr + "' (in=, out= or array=)");
            }
        }
        g.stages.push_back(std::move(st));
    }
    if (g.stages.empty()) throw input_error::at(name, "", "no stages");
    return g;
}

graph read_graph(const fs::path& path) { return parse_graph(read_text(path, "workflow graph"), path.string()); }

std::string step::id() const { return task == 0 ? of->name : of->name + "[" + std::to_string(task) + "]"; }

std::vector<std::string> array_items(const ini_file& config, const stage& s) {
    if (s.array.empty()) return {};
    auto items = split(config.value("workflow", s.array), ", \t");
    if (items.empty())
        throw input_error::at(config.path.string(), "[workflow]",
                              "stage '" + s.name + "' is an array over '" + s.array + "', so [workflow] needs '" +
                                  s.array + " = ITEM1, ITEM2, ...'");
    return items;
}

std::vector<step> expand(const graph& g, const ini_file& config) {
    std::vector<step> out;
    for (const auto& s : g.stages) {
        if (s.array.empty()) {
            out.push_back(step{&s, 0, ""});
            continue;
        }
        auto items = array_items(config, s);
        for (size_t i = 0; i < items.size(); ++i) out.push_back(step{&s, static_cast<int>(i + 1), items[i]});
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> step_section(const ini_file& config, const step& s) {
    auto keys = config.section(s.of->name);
    if (s.of->array.empty()) return keys;
    const std::string placeholder = "{" + s.of->array + "}";
    for (auto& [k, v] : keys)
        for (size_t p; (p = v.find(placeholder)) != std::string::npos;) v.replace(p, placeholder.size(), s.item);
    return keys;
}

std::string key_path(const ini_file& config, const step& s, const std::string& key) {
    for (const auto& [k, v] : step_section(config, s))
        if (k == key) return v.empty() ? "" : fs::absolute(v).lexically_normal().string();
    return "";
}

std::vector<std::string> key_paths(const ini_file& config, const step& s, const std::string& key) {
    std::vector<std::string> out;
    for (const auto& [k, v] : step_section(config, s))
        if (k == key && !v.empty()) out.push_back(fs::absolute(v).lexically_normal().string());
    return out;
}

std::string script_command(const fs::path& script) {
    std::ifstream in(script);
    std::string line;
    while (std::getline(in, line)) {
        auto words = split(line, " \t");
        for (size_t i = 0; i + 1 < words.size(); ++i)
            if (words[i] == "precis_mpi" || words[i] == "precis_serial" || words[i] == "precis_done") return words[i + 1];
    }
    return "";
}

void validate(const graph& g, const ini_file& config, const fs::path& home, bool (*available)(const std::string&)) {
    const std::string file = g.path.string();
    for (const auto& s : g.stages) {
        auto where = "line " + std::to_string(s.line);
        fs::path script = home / s.script;
        if (!fs::is_regular_file(script))
            throw input_error::at(file, where, "stage '" + s.name + "': job script " + script.string() +
                                                   " does not exist");
        std::string cmd = script_command(script);
        if (cmd.empty())
            throw input_error::at(file, where, "stage '" + s.name + "': job script " + s.script +
                                                   " runs no 'precis_mpi COMMAND', 'precis_serial COMMAND' or 'precis_done COMMAND'");
        if (!available(cmd))
            throw input_error::at(file, where, "stage '" + s.name + "': command 'precis " + cmd +
                                                   "' is not in this version of precis");
        if (!s.array.empty()) array_items(config, s);
        for (const auto& out : s.outputs)
            if (!config.has(s.name, out.key) && out.dir)
                throw input_error::at(config.path.string(), "[" + s.name + "]",
                                      "stage '" + s.name + "' writes the directory named by '" + out.key +
                                          "', which is not set");
    }
    // Two stages writing the same path must be ordered, or they would race.
    auto steps = expand(g, config);
    std::map<std::string, const step*> writer;
    for (const auto& st : steps)
        for (const auto& out : st.of->outputs) {
            std::string p = key_path(config, st, out.key);
            if (p.empty()) continue;
            auto [it, fresh] = writer.emplace(p, &st);
            if (fresh || it->second->of == st.of) {
                if (!fresh && it->second->task != st.task)
                    throw input_error::at(file, "line " + std::to_string(st.of->line),
                                          "tasks " + it->second->id() + " and " + st.id() + " both write " + p +
                                              " (use {" + st.of->array + "} in the path)");
                continue;
            }
            auto anc = g.ancestors(st.of->name);
            if (std::find(anc.begin(), anc.end(), it->second->of->name) == anc.end())
                throw input_error::at(file, "line " + std::to_string(st.of->line),
                                      "stages '" + it->second->of->name + "' and '" + st.of->name + "' both write " +
                                          p + " but '" + st.of->name + "' does not wait for '" +
                                          it->second->of->name + "'");
            it->second = &st;
        }
}

}  // namespace precis::workflow
