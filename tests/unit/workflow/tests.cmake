precis_unit_test(test_workflow SOURCES unit/workflow/test_graph.cpp unit/workflow/test_state.cpp LIBS precis::workflow)
