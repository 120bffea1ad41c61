# Stage graphs, run manifests, step keys and the provenance ledger (precis workflow, precis ledger).
precis_module(workflow
  SOURCES workflow/graph.cpp workflow/state.cpp
  DEPS precis::core)
list(APPEND PRECIS_CLI_SOURCES cli/workflow.cpp)
