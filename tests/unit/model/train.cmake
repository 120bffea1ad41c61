# precis train: metrics, MLP and per-fold standardisation unit tests; the solver under MPI at 1, 2 and 4 ranks (closed forms, glmnet, rank invariance).
precis_unit_test(test_model_train SOURCES unit/model/test_metrics.cpp unit/model/test_mlp.cpp unit/model/test_fold_lut.cpp
                 LIBS precis::model)
precis_mpi_test(test_mpi_elastic_net SOURCES mpi/test_elastic_net.cpp LIBS precis::model Eigen3::Eigen)
