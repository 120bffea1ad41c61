precis_module(call
  SOURCES call/genotyper.cpp call/realign.cpp call/regions.cpp call/chunk_caller.cpp call/call.cpp
  DEPS precis::core precis::mpi precis::io TBB::tbb)
list(APPEND PRECIS_CLI_SOURCES cli/call.cpp)
