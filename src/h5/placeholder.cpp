namespace precis::h5 {}
