precis_module(h5
  SOURCES h5/handle.cpp h5/file.cpp h5/tile_reader.cpp h5/dataset.cpp h5/genotype.cpp h5/sample_table.cpp
          h5/cohort_writer.cpp h5/cohort_reader.cpp h5/convert.cpp h5/export.cpp
  DEPS precis::core precis::mpi precis::io HDF5::HDF5 PkgConfig::LIBDEFLATE TBB::tbb)
