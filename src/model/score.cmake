# precis score: model.h5 or PGS Catalog weights over a cohort or a patient VCF (issue #6, part 5).
list(APPEND PRECIS_MODEL_SOURCES model/score.cpp model/score_vcf.cpp)
list(APPEND PRECIS_CLI_SOURCES cli/score.cpp)
