#include "commands.hpp"
#include "precis/core/error.hpp"
namespace precis::cli {
int run_convert(int, char**, MPI_Comm) { throw runtime_failure("convert: under construction"); }
}  // namespace precis::cli
