# precis train: elastic-net risk models (issue #6, part 4).
list(APPEND PRECIS_MODEL_SOURCES model/elastic_net.cpp model/metrics.cpp model/risk_model.cpp model/pgs_file.cpp
     model/train_data.cpp model/train.cpp model/mlp.cpp)
list(APPEND PRECIS_CLI_SOURCES cli/train.cpp)
