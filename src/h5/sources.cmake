precis_module(h5
  SOURCES h5/placeholder.cpp
  DEPS precis::core precis::mpi precis::io HDF5::HDF5 TBB::tbb)
