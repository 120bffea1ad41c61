#pragma once
/// Error hierarchy shared by every module. Messages name the file, the line or record, and the fault.
#include <stdexcept>
#include <string>

namespace precis {

/// Base of every precis error.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad user input: a missing or malformed file, an invalid option or value. Maps to exit code 2.
class input_error : public error {
public:
    using error::error;
    /// "FILE: WHERE: WHAT", e.g. input_error::at("a.vcf", "line 12", "GT has 3 alleles").
    static input_error at(const std::string& file, const std::string& where, const std::string& what);
};

/// A failure of the environment or a library while working: write errors, MPI or HDF5 failures.
/// Maps to exit code 1.
class runtime_failure : public error {
public:
    using error::error;
};

/// Exit code for an exception caught in main: 2 for input errors, 1 for everything else.
int exit_code_for(const std::exception& e) noexcept;

/// Marks the process as unable to shut its libraries down: HDF5 1.10 crashes in its own clean-up (run
/// by MPI_Finalize) on a file whose H5Fclose failed, e.g. on a full disk. main then ends with _Exit.
void skip_library_shutdown() noexcept;
bool library_shutdown_skipped() noexcept;

}  // namespace precis
