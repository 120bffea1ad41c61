#pragma once
// Shared plumbing of the subcommands: common options, INI config sections, the run context.
#include <boost/program_options.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "precis/core/log.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::cli {

namespace po = boost::program_options;

/// What every subcommand gets: its communicator, logger, thread count and progress switch.
struct context {
    mpi::communicator comm;
    logger log;
    int threads = 1;
    bool show_progress = true;
    std::string command_line;  ///< the full command line, for provenance
};

/// Parses a subcommand's arguments. Adds the common options (--help, --config, --threads, --log-level,
/// --quiet) to `options`; reads `--config FILE`'s [command] section (and its top-level keys) underneath
/// the command line, which wins. Options listed in `required` must be given on the line or in the file.
/// The files named by the options in `outputs` must not be an existing directory, the file of any other
/// option (an input: overwriting it would lose it) or each other; else input_error naming both options.
/// Returns nothing when --help was printed. Throws input_error naming the file and key on a bad INI.
std::optional<po::variables_map> parse(const std::string& command, const std::string& usage,
                                       const po::options_description& options,
                                       const po::positional_options_description& positional,
                                       const std::vector<std::string>& required, int argc, char** argv,
                                       const std::vector<std::string>& outputs = {});

/// Builds the context after parse(): logger at --log-level (warnings only with --quiet), TBB limited to
/// --threads. The returned object also owns the TBB limit, so keep it alive while working.
struct session {
    context ctx;
    std::shared_ptr<void> thread_limit;
};
session make_session(const std::string& command, const po::variables_map& vm, MPI_Comm comm, int argc,
                     char** argv);

}  // namespace precis::cli
