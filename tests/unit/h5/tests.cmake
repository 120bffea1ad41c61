precis_unit_test(test_h5
  SOURCES unit/h5/test_file.cpp unit/h5/test_genotype.cpp unit/h5/test_sample_table.cpp unit/h5/test_cohort.cpp
  LIBS precis::h5)
