# precis train: metrics unit tests; the solver under MPI at 1, 2 and 4 ranks (closed forms, glmnet, rank invariance).
precis_unit_test(test_model_train SOURCES unit/model/test_metrics.cpp unit/model/test_mlp.cpp LIBS precis::model)
precis_mpi_test(test_mpi_elastic_net SOURCES mpi/test_elastic_net.cpp LIBS precis::model Eigen3::Eigen)
