precis_unit_test(test_call SOURCES unit/call/test_genotyper.cpp LIBS precis::call)
