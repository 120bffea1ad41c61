#pragma once
/// Stage graphs (workflows/*.graph) and the INI configs they run with: parsing, validation and the
/// expansion of stages into steps (one per array task). Format: docs/workflow.md.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace precis::workflow {

/// An INI file as written: sections in order, keys in order, values trimmed. Top-level keys live in
/// section "". '#' starts a comment anywhere in a line (as in Boost.Program_options), ';' at its start.
struct ini_file {
    std::filesystem::path path;
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> sections;

    /// Keys of one section (empty when absent).
    const std::vector<std::pair<std::string, std::string>>& section(const std::string& name) const;
    /// The value of section.key, or "" when absent.
    std::string value(const std::string& section, const std::string& key) const;
    bool has(const std::string& section, const std::string& key) const;
};

/// Reads an INI file; a malformed line is an input_error naming file and line.
ini_file read_ini(const std::filesystem::path& path);
/// Parses INI text (for tests); `name` is used in messages.
ini_file parse_ini(const std::string& text, const std::string& name);

/// One config key a stage reads or writes. dir: the value names a directory (all files under it).
struct io_key {
    std::string key;
    bool dir = false;
};

/// A graph line: `STAGE SCRIPT AFTER [in=k1,k2] [out=k3,dir/] [array=NAME]`.
struct stage {
    std::string name;
    std::string script;               ///< relative to the precis checkout (PRECIS_HOME)
    std::vector<std::string> after;   ///< stages it waits for
    std::vector<io_key> inputs;
    std::vector<io_key> outputs;      ///< a key in both inputs and outputs is updated in place
    std::string array;                ///< array name: one task per item of [workflow] NAME; "" = single
    int line = 0;
};

struct graph {
    std::filesystem::path path;
    std::vector<stage> stages;  ///< in file order, which is a valid run order (checked)

    const stage* find(const std::string& name) const;
    /// Every stage `name` waits for, directly or not.
    std::vector<std::string> ancestors(const std::string& name) const;
};

/// Parses a graph file: syntax, unique names, dependencies declared earlier in the file.
graph read_graph(const std::filesystem::path& path);
graph parse_graph(const std::string& text, const std::string& name);

/// One unit of work: a stage, or one task of an array stage (task 1..N).
struct step {
    const stage* of = nullptr;
    int task = 0;          ///< 0 for a single stage
    std::string item;      ///< the array item (e.g. P0002) for a task
    std::string id() const;  ///< "annotate" or "annotate[2]"
};

/// The items of an array stage: [workflow] NAME, separated by commas or blanks. An input_error when
/// missing or empty.
std::vector<std::string> array_items(const ini_file& config, const stage& s);

/// All steps of the graph in run order.
std::vector<step> expand(const graph& g, const ini_file& config);

/// The stage's config section with array placeholders {NAME} replaced by the task's item.
std::vector<std::pair<std::string, std::string>> step_section(const ini_file& config, const step& s);

/// The absolute path behind a config key for a step ("" when the key is not set in its section).
std::string key_path(const ini_file& config, const step& s, const std::string& key);
/// All values of a repeatable key (e.g. several --bam), as absolute paths.
std::vector<std::string> key_paths(const ini_file& config, const step& s, const std::string& key);

/// The command a job script runs: the word after `precis_mpi`, `precis_serial` or `precis_done` (a script that
/// runs precis itself and records the step with precis_done); "" when none.
std::string script_command(const std::filesystem::path& script);

/// Checks what `workflow run` needs before it starts anything: every script exists under `home`, the
/// command it runs is available (via `available`), array names are listed in [workflow], and two stages
/// writing the same file are ordered. Throws input_error with one clear message.
void validate(const graph& g, const ini_file& config, const std::filesystem::path& home,
              bool (*available)(const std::string& command));

}  // namespace precis::workflow
