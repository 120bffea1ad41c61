precis_unit_test(test_io SOURCES unit/io/test_fasta.cpp unit/io/test_fastq.cpp unit/io/test_vcf.cpp unit/io/test_sam.cpp
                 unit/io/test_contig_name.cpp LIBS precis::io)
