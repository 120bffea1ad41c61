# precis gwas: association tests (regression kernels, driver, outputs, plots) and its command.
list(APPEND PRECIS_MODEL_SOURCES model/regression.cpp model/gwas.cpp model/gwas_output.cpp model/plot.cpp)
list(APPEND PRECIS_CLI_SOURCES cli/gwas.cpp)
