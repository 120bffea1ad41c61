# precis qc: statistics, filters and the /qc group (the group replacement is shared with pca).
list(APPEND PRECIS_MODEL_SOURCES model/qc_stats.cpp model/qc_output.cpp model/qc_group.cpp)
list(APPEND PRECIS_CLI_SOURCES cli/qc.cpp)
