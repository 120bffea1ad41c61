precis_mpi_test(test_mpi_call SOURCES mpi/call_ranks.cpp LIBS precis::call)
