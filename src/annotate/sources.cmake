precis_module(annotate
  SOURCES annotate/gene_model.cpp annotate/sequence.cpp annotate/layout.cpp annotate/consequence.cpp
          annotate/known_variants.cpp annotate/record.cpp annotate/annotate.cpp
          annotate/genome.cpp annotate/haplotype.cpp annotate/panel.cpp
  DEPS precis::core precis::mpi precis::io TBB::tbb)
