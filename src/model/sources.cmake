# The model module: cohort analyses (qc, pca, gwas, train, score). Each feature's fragment appends its
# sources to PRECIS_MODEL_SOURCES and its command file to PRECIS_CLI_SOURCES.
set(PRECIS_MODEL_SOURCES model/genotype_source.cpp)
include(model/qc.cmake OPTIONAL)
include(model/pca.cmake OPTIONAL)
include(model/gwas.cmake OPTIONAL)
include(model/train.cmake OPTIONAL)
include(model/score.cmake OPTIONAL)
precis_module(model
  SOURCES ${PRECIS_MODEL_SOURCES}
  DEPS precis::core precis::mpi precis::io precis::h5 Eigen3::Eigen TBB::tbb)
