# precis gwas: regression kernels and outputs (unit), the driver at 1, 2 and 4 ranks (mpi).
precis_unit_test(test_gwas
  SOURCES unit/model/test_regression.cpp unit/model/test_gwas_output.cpp
  LIBS precis::model)
precis_mpi_test(test_mpi_gwas SOURCES unit/model/test_mpi_gwas.cpp LIBS precis::model)
