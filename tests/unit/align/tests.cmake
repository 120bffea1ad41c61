precis_unit_test(test_align SOURCES unit/align/test_index.cpp unit/align/test_mapper.cpp LIBS precis::align)
