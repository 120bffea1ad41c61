#pragma once
/// Outputs that appear under their final name only when complete.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace precis {

/// Owns the temporary path of an output file: `DIR/.precis-partial.NAME`, which keeps NAME's
/// extension so that format detection by name still works. commit() renames the temporary (and any
/// companion files such as an index, added with add_companion) to their final names; the destructor
/// removes whatever was not committed, so an exception never leaves a partial file behind.
/// The temporary name is deterministic so that all MPI ranks agree on it.
class atomic_output {
public:
    explicit atomic_output(std::filesystem::path final_path);
    ~atomic_output();
    atomic_output(const atomic_output&) = delete;
    atomic_output& operator=(const atomic_output&) = delete;

    /// Where to write now.
    const std::filesystem::path& temp_path() const { return m_temp; }
    const std::filesystem::path& final_path() const { return m_final; }
    /// Registers a companion written next to the temporary, e.g. temp_path()+".tbi", to be renamed to
    /// final_path()+suffix on commit.
    void add_companion(const std::string& suffix);
    /// Renames companions first, then the file itself. Throws runtime_failure on error.
    void commit();

private:
    void forget() const;  // no longer removed on a signal

    std::filesystem::path m_final;
    std::filesystem::path m_temp;
    std::vector<std::string> m_companions;
    bool m_committed = false;
};

/// The output a path stands for, for messages: DIR/NAME for an atomic_output temporary
/// DIR/.precis-partial.NAME, else the path itself.
std::filesystem::path output_name(const std::filesystem::path& path);

/// Files to remove if the process is ended by SIGTERM, SIGINT or SIGHUP (Slurm's time limit, scancel,
/// Ctrl-C), which skip destructors. atomic_output registers its temporaries; others (e.g. align's sorted
/// runs) register their own. Up to 1024 paths at a time; beyond that a path is only removed normally.
void remove_on_signal(const std::filesystem::path& path);
void keep_on_signal(const std::filesystem::path& path);
/// Installs the handler that removes them and then ends the process by the same signal (main, once).
void install_signal_cleanup();

/// Removes the files it holds when it goes out of scope or the process is ended by a signal: the parts
/// and runs a command writes on its way to an output, finished or not.
struct temp_files {
    std::vector<std::filesystem::path> paths;
    const std::filesystem::path& add(std::filesystem::path p) {
        remove_on_signal(p);
        return paths.emplace_back(std::move(p));
    }
    temp_files() = default;
    temp_files(const temp_files&) = delete;
    temp_files& operator=(const temp_files&) = delete;
    ~temp_files();
};

/// Throws input_error naming `what` (e.g. "--vcf") when `path` does not exist or is not a readable file.
void require_readable_file(const std::filesystem::path& path, const std::string& what);

/// Bytes free to an unprivileged writer in the file system that holds directory `dir` (statvfs: no
/// quota); the largest value when it cannot be asked.
std::uint64_t free_space(const std::filesystem::path& dir);

/// Throws runtime_failure naming `path` unless `bytes` more can be written beside it. The check allocates
/// them in a temporary file of that directory, removed again, so that a quota counts as much as free
/// space (statvfs sees no quota); where no file can be made there, the free space alone is checked. For
/// files updated in place, which a write that meets a full disk could leave unreadable.
void require_space(const std::filesystem::path& path, std::uint64_t bytes);

/// Throws input_error when the directory that will hold `path` does not exist.
void require_output_dir(const std::filesystem::path& path, const std::string& what);

}  // namespace precis
