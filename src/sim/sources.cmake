precis_module(sim
  SOURCES sim/placeholder.cpp
  DEPS precis::core precis::io Eigen3::Eigen TBB::tbb)
