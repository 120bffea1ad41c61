precis_unit_test(test_annotate SOURCES unit/annotate/test_consequence.cpp unit/annotate/test_gene_model.cpp
                 unit/annotate/test_genome.cpp unit/annotate/test_known_variants.cpp unit/annotate/test_panel.cpp
                 LIBS precis::annotate)
