# precis score: PGS Catalog file parsing and model.h5 round trip.
precis_unit_test(test_model_score SOURCES unit/model/test_pgs_file.cpp LIBS precis::model)
