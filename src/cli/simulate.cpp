#include "commands.hpp"
#include "precis/core/error.hpp"
namespace precis::cli {
int run_simulate(int, char**, MPI_Comm) { throw runtime_failure("simulate: under construction"); }
}  // namespace precis::cli
