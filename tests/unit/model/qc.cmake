precis_unit_test(test_model_hwe SOURCES unit/model/test_hwe.cpp LIBS precis::model)
precis_mpi_test(test_mpi_qc SOURCES unit/model/test_qc_mpi.cpp LIBS precis::model)
