precis_unit_test(test_core SOURCES unit/core/test_error.cpp unit/core/test_atomic_output.cpp unit/core/test_log.cpp unit/core/test_digest.cpp LIBS precis::core)
