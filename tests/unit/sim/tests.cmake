precis_unit_test(test_sim
  SOURCES unit/sim/test_random.cpp unit/sim/test_models.cpp unit/sim/test_simulate.cpp unit/sim/test_quality_profile.cpp
  LIBS precis::sim)
