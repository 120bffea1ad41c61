#include "commands.hpp"
#include "precis/core/error.hpp"
namespace precis::cli {
int run_export(int, char**, MPI_Comm) { throw runtime_failure("export: under construction"); }
}  // namespace precis::cli
