// precis: one executable, samtools-style subcommands. This file dispatches and owns the one error handler.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "commands.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/core/log.hpp"
#include "precis/mpi/communicator.hpp"
#include "version.hpp"

namespace {

using precis::cli::command;

// The whole suite in data-flow order; run == nullptr marks a stage this version does not have yet.
const command commands[] = {
    {"simulate", "Data", "simulate a reference, genes, known variants, a cohort and patient reads", precis::cli::run_simulate},
    {"index", "Read path", "build the aligner index of a reference FASTA", precis::cli::run_index},
    {"align", "Read path", "align FASTQ reads to a sorted, indexed BAM", precis::cli::run_align},
    {"call", "Read path", "call germline SNVs and indels from BAMs to VCF", precis::cli::run_call},
    {"annotate", "Variants", "consequences, HGVS, ClinVar and frequencies for a VCF", precis::cli::run_annotate},
    {"convert", "Cohort", "convert a VCF/BCF (+ phenotypes, covariates) to cohort HDF5", precis::cli::run_convert},
    {"export", "Cohort", "write a cohort HDF5 file back as VCF/BCF", precis::cli::run_export},
    {"qc", "Cohort", "variant and sample quality control masks", precis::cli::run_qc},
    {"pca", "Cohort", "principal components of the cohort", precis::cli::run_pca},
    {"gwas", "Cohort", "per-variant association tests", precis::cli::run_gwas},
    {"train", "Risk", "train a risk model over the cohort", precis::cli::run_train},
    {"score", "Risk", "score samples with a model or PGS Catalog file", precis::cli::run_score},
    {"report", "Risk", "per-patient risk reports and a cohort summary", precis::cli::run_report},
    {"workflow", "Workflows", "run a stage graph locally or on Slurm", precis::cli::run_workflow},
    {"ledger", "Workflows", "verify a workflow run's provenance ledger", precis::cli::run_ledger},
};

void print_usage(std::FILE* out) {
    std::fprintf(out,
                 "precis %s: MPI-parallel genomics from FASTQ to personal risk reports\n\n"
                 "Usage: precis <command> [options]      (under MPI: mpiexec -n N precis <command> ...)\n"
                 "       precis <command> --help         options of one command\n"
                 "       precis --version                versions of precis and its libraries\n",
                 precis::version().c_str());
    const char* group = "";
    for (const auto& c : commands) {
        if (std::strcmp(group, c.group) != 0) std::fprintf(out, "\n%s:\n", group = c.group);
        std::fprintf(out, "  %-10s %s%s\n", c.name, c.summary, c.run ? "" : "  [not in this version yet]");
    }
    std::fprintf(out, "\nExit codes: 0 success, 1 runtime failure, 2 usage or input error.\n");
}

const command* find(const char* name) {
    for (const auto& c : commands)
        if (std::strcmp(c.name, name) == 0) return &c;
    return nullptr;
}

// An error message as the terminal should show it: precis::printable, one line of at most 2000 bytes.
std::string error_text(const char* what) {
    std::string message = precis::printable(what);
    if (message.size() > 2000) message = message.substr(0, 2000) + "...";
    return message;
}

}  // namespace

bool precis::cli::command_available(const char* name) {
    const command* c = find(name);
    return c && c->run;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    std::string first = argv[1];
    if (first == "-h" || first == "--help" || first == "help") {
        print_usage(stdout);
        return 0;
    }
    if (first == "--version" || first == "version") {
        std::fputs(precis::version_report().c_str(), stdout);
        return 0;
    }
    const command* cmd = find(argv[1]);
    if (!cmd) {
        std::fprintf(stderr, "precis: unknown command '%s' (precis --help lists them)\n", argv[1]);
        return 2;
    }
    if (!cmd->run) {
        std::fprintf(stderr,
                     "precis %s: this stage is not part of precis %s yet; nothing was run and no output was "
                     "written (README.md, 'Status', lists the stages that exist)\n",
                     cmd->name, precis::version().c_str());
        return 1;
    }

    if (std::strcmp(cmd->group, "Workflows") == 0) {  // serial drivers: they launch MPI jobs, no MPI of their own
        precis::install_signal_cleanup();  // a killed run leaves no temporaries (Slurm's time limit, scancel)
        try {
            return cmd->run(argc - 1, argv + 1, MPI_COMM_NULL);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "precis %s: error: %s\n", cmd->name, error_text(e.what()).c_str());
            return precis::exit_code_for(e);
        }
    }
    precis::mpi::environment mpi_env(argc, argv);
    precis::install_signal_cleanup();  // after MPI_Init, which may install handlers of its own
    precis::mpi::communicator world(MPI_COMM_WORLD);
    int code = 0;
    std::string message;
    try {
        code = cmd->run(argc - 1, argv + 1, MPI_COMM_WORLD);
    } catch (const std::exception& e) {
        code = precis::exit_code_for(e);
        message = error_text(e.what());
    }
    if (message.empty()) return code;
    if (world.size() == 1) {
        std::fprintf(stderr, "precis %s: error: %s\n", cmd->name, message.c_str());
        if (precis::library_shutdown_skipped()) std::fflush(stderr), std::_Exit(code);
        return code;
    }
    // When every rank meets the same fault, let rank 0 speak first: its abort ends the others.
    if (!world.is_root()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::fprintf(stderr, "precis %s: rank %d: error: %s\n", cmd->name, world.rank(), message.c_str());
    std::fflush(stderr);
    world.abort(code);
}
