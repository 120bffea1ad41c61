# precis pca: randomized SVD, the /pca group, projection of new samples.
list(APPEND PRECIS_MODEL_SOURCES model/pca_svd.cpp model/pca.cpp model/pca_io.cpp model/pca_project.cpp)
list(APPEND PRECIS_CLI_SOURCES cli/pca.cpp)
