#pragma once
/// A run directory's state: the manifest (latest state of every step), the provenance ledger (a hash
/// chain of completed steps), step keys, and the plan of what a (re)run must do. Format: docs/workflow.md.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "precis/workflow/graph.hpp"

namespace precis::workflow {

using file_hashes = std::vector<std::pair<std::string, std::string>>;  ///< (absolute path, sha256) sorted by path

/// One completed (or failed) step. In the ledger only completed steps appear, chained by prev/hash.
struct record {
    long seq = 0;            ///< ledger position (1-based); 0 for a failure, which is not in the ledger
    std::string time;        ///< UTC, ISO 8601
    std::string step;        ///< e.g. "annotate[2]"
    std::string status;      ///< manifest only: ok, failed, running
    int exit_code = 0;       ///< manifest only
    std::string key;         ///< step key (step_key)
    std::string job;         ///< Slurm job (ID or ID_TASK) or "local"
    std::string command;     ///< the command line the job ran
    std::string versions;    ///< precis and library versions
    file_hashes inputs;
    file_hashes outputs;
    std::string prev;        ///< ledger: hash of the previous record (64 zeros for the first)
    std::string hash;        ///< ledger: sha256 of this record's line before "\thash="
};

/// Percent-encodes %, tab, CR, LF, ';' and '=' so that a value fits one ledger field.
std::string escape(const std::string& s);
std::string unescape(const std::string& s);

/// The ledger line of a record without its hash field, and with it.
std::string ledger_body(const record& r);
std::string ledger_line(const record& r);
/// Parses a ledger line; nullopt when malformed.
std::optional<record> parse_ledger_line(const std::string& line);

/// Manifest lines (one per step, latest state).
std::string manifest_line(const record& r);
std::optional<record> parse_manifest_line(const std::string& line);

/// SHA-256 of a file, or of a directory as the hash of its sorted "relative-path hash" lines.
std::string hash_path(const std::filesystem::path& p);
/// All regular files under a directory (absolute, sorted).
std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir);

/// The step key: what determines a step's outputs. Changes when the job script, the step's config
/// section, any input's content or the precis version changes.
std::string step_key(const std::string& script_sha256, const std::vector<std::pair<std::string, std::string>>& section,
                     const file_hashes& inputs, const std::string& precis_version);

/// A run directory: manifest.tsv, ledger.tsv, ledger.head, jobs.tsv, logs/, stage/ (staged outputs), lock.
class run_dir {
public:
    explicit run_dir(std::filesystem::path dir);
    const std::filesystem::path& path() const { return m_dir; }

    /// Holds an exclusive flock on DIR/lock while alive (array tasks finish at once under Slurm).
    class lock {
    public:
        explicit lock(const run_dir& d);
        ~lock();
        lock(const lock&) = delete;
        lock& operator=(const lock&) = delete;

    private:
        int m_fd = -1;
    };

    /// Latest state per step id (call under lock when writing).
    std::map<std::string, record> manifest() const;
    void write_manifest(const std::map<std::string, record>& m) const;
    /// Sets one step's state in the manifest (takes the lock).
    void set_state(const record& r) const;
    /// Appends a completed step to the ledger and the manifest (takes the lock); fills seq, prev, hash.
    void append(record& r) const;

    std::vector<std::string> ledger_lines() const;
    /// Slurm submissions: (stage, job id) in submission order.
    std::vector<std::pair<std::string, std::string>> jobs() const;
    void add_job(const std::string& stage, const std::string& id, const std::string& tasks) const;

private:
    std::filesystem::path m_dir;
};

/// Checks the ledger of a run directory: every line parses, seq counts 1..n, each prev is the hash of
/// the record before, each hash matches its record, ledger.head names the last record, and every output
/// still has the hash of the latest record that wrote it. Returns the problems (empty: verified),
/// each naming the record.
std::vector<std::string> verify_ledger(const run_dir& dir);

/// Where a step's inputs come from: a producer step's recorded output hash, or the file as it is now.
/// Returns nullopt (with *why) when a produced input has no record yet.
std::optional<file_hashes> input_hashes(const graph& g, const ini_file& config, const std::vector<step>& steps,
                                        const std::map<std::string, record>& manifest, const step& s,
                                        std::string* why);

/// Checks, before anything runs, every input a step reads (each value of its in= keys, {NAME} replaced,
/// relative to the current directory as the jobs resolve it): it exists, or a stage the step waits for,
/// directly or not, writes it (a declared output file, a file beside it named OUT.*, anything under an
/// output directory, or an output recorded in `manifest`). Keys not set are left to the step. Throws
/// input_error naming the config, section, key, value and path of the first input that is neither.
void check_inputs(const graph& g, const ini_file& config, const std::map<std::string, record>& manifest);

/// The key of a step as it stands now (nullopt when an input is not known yet).
std::optional<std::string> current_key(const graph& g, const ini_file& config, const std::vector<step>& steps,
                                       const std::map<std::string, record>& manifest, const step& s,
                                       const std::filesystem::path& home, const std::string& version,
                                       file_hashes* inputs = nullptr, std::string* why = nullptr);

struct planned {
    step s;
    bool run = false;
    std::string reason;  ///< why it runs, or "up to date"
};

/// What a run must do: in graph order, each step either skipped (its record's key equals its current
/// key and its outputs are unchanged) or run, with the reason.
std::vector<planned> plan(const graph& g, const ini_file& config, const std::filesystem::path& home,
                          const run_dir& dir, const std::string& version);

/// Staging of a step's outputs under DIR/stage/STEP/KEY/: paths for the job and the commit after it.
std::filesystem::path staging_dir(const run_dir& dir, const step& s);
std::filesystem::path staged_path(const run_dir& dir, const step& s, const io_key& out, const std::string& final_path);

}  // namespace precis::workflow
