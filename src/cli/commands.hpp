#pragma once
// Entry points of the subcommands, one file each in src/cli/.
#include <mpi.h>

namespace precis::cli {

/// A subcommand: its name, its group in `precis --help`, a one-line summary and its entry point
/// (nullptr while the stage does not exist in this version).
struct command {
    const char* name;
    const char* group;
    const char* summary;
    int (*run)(int argc, char** argv, MPI_Comm comm);
};

int run_simulate(int argc, char** argv, MPI_Comm comm);
int run_convert(int argc, char** argv, MPI_Comm comm);
int run_export(int argc, char** argv, MPI_Comm comm);
int run_qc(int argc, char** argv, MPI_Comm comm);
int run_pca(int argc, char** argv, MPI_Comm comm);
int run_annotate(int argc, char** argv, MPI_Comm comm);
int run_gwas(int argc, char** argv, MPI_Comm comm);
int run_train(int argc, char** argv, MPI_Comm comm);
int run_score(int argc, char** argv, MPI_Comm comm);
int run_report(int argc, char** argv, MPI_Comm comm);
int run_workflow(int argc, char** argv, MPI_Comm comm);
int run_ledger(int argc, char** argv, MPI_Comm comm);
/// Whether `precis NAME` exists and is in this version (for workflow graph checks).
bool command_available(const char* name);
int run_index(int argc, char** argv, MPI_Comm comm);
int run_align(int argc, char** argv, MPI_Comm comm);
int run_call(int argc, char** argv, MPI_Comm comm);

}  // namespace precis::cli
