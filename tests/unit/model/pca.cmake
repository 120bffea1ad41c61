precis_mpi_test(test_mpi_pca SOURCES unit/model/test_pca_mpi.cpp LIBS precis::model)
