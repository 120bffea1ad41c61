precis_module(sim
  SOURCES sim/random.cpp sim/genome.cpp sim/placement.cpp sim/genes.cpp sim/gene_orfs.cpp sim/gff3.cpp
          sim/sites.cpp sim/cohort.cpp sim/haplotype_source.cpp sim/phenotype.cpp sim/clinvar.cpp
          sim/clinvar_vcf.cpp sim/vcf_output.cpp sim/patients.cpp sim/reads.cpp sim/quality_profile.cpp sim/simulate.cpp
  DEPS precis::core precis::io Eigen3::Eigen TBB::tbb)
