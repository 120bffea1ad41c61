precis_mpi_test(test_mpi_h5_convert SOURCES mpi/test_h5_convert.cpp LIBS precis::h5)
