precis_unit_test(test_mpi_partition SOURCES unit/mpi/test_partition.cpp LIBS precis::mpi)
