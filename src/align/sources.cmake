# parasail (Debian libparasail-dev) gives SIMD Smith-Waterman with affine gaps and traceback, with
# runtime dispatch to SSE2/SSE4.1/AVX2: a well-kept library instead of our own striped kernel.
find_path(PARASAIL_INCLUDE_DIR parasail.h REQUIRED)
find_library(PARASAIL_LIBRARY parasail REQUIRED)
if(NOT TARGET parasail::parasail)
  add_library(parasail::parasail UNKNOWN IMPORTED)
  set_target_properties(parasail::parasail PROPERTIES IMPORTED_LOCATION ${PARASAIL_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${PARASAIL_INCLUDE_DIR})
endif()
precis_module(align
  SOURCES align/index.cpp align/mapper.cpp align/insert_model.cpp align/fastq_batches.cpp align/records.cpp align/align.cpp
  DEPS precis::core precis::mpi precis::io TBB::tbb PRIVATE parasail::parasail)
list(APPEND PRECIS_CLI_SOURCES cli/index.cpp cli/align.cpp)
