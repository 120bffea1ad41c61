namespace precis::sim {}
