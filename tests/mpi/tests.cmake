precis_mpi_test(test_mpi_h5_convert CUSTOM_MAIN SOURCES mpi/test_h5_convert.cpp LIBS precis::h5)
