#!/usr/bin/env bash
# Bad input never crashes and never leaves output: exit 2, one message naming the file and the fault.
source "$(dirname "$0")/lib.sh"

header='##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000>\n##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\n'
printf "${header}chr1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n" >good.vcf
printf "${header}chr1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\nchr7\t20\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n" >bad_contig.vcf
printf "${header}chr1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\nchr1\t5\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n" >unsorted.vcf
printf "${header}chr1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1/1\t1/1\n" >triploid.vcf
printf 'not a vcf at all\n' >garbage.vcf
printf 'sample_id\tdisease\nA\t1\nB\tmaybe\n' >bad_value.tsv
printf 'sample_id\tdisease\nA\t1\t7\n' >bad_columns.tsv
printf 'sample_id\tdisease\nA\t1\nA\t0\n' >duplicate.tsv
printf '>chr1\nACGT\nAC\nACGT\n' >bad.fa
printf '@r1\nACGT\n+\nIIII\n@r2\nACGT\n+\nII\n' >truncated.fq

expect_error 2 "missing.vcf: no such file" -- "$precis" convert --vcf missing.vcf --out o.h5
expect_error 2 "garbage.vcf" -- "$precis" convert --vcf garbage.vcf --out o.h5
expect_error 2 "bad_contig.vcf: record 2" -- "$precis" convert --vcf bad_contig.vcf --out o.h5
expect_error 2 "unsorted.vcf: record 2" -- "$precis" convert --vcf unsorted.vcf --out o.h5
expect_error 2 "triploid.vcf: record 1" -- "$precis" convert --vcf triploid.vcf --out o.h5
expect_error 2 "bad_value.tsv: line 3" -- "$precis" convert --vcf good.vcf --phenotypes bad_value.tsv --out o.h5
expect_error 2 "bad_columns.tsv: line 2" -- "$precis" convert --vcf good.vcf --phenotypes bad_columns.tsv --out o.h5
expect_error 2 "duplicate.tsv: line 3" -- "$precis" convert --vcf good.vcf --covariates duplicate.tsv --out o.h5
expect_error 2 "no_dir" -- "$precis" convert --vcf good.vcf --out no_dir/o.h5
expect_error 2 "bad.fa" -- "$precis" simulate --ref bad.fa --out-dir sim
expect_error 2 "truncated.fq: record 2" -- "$precis" simulate --quality-profile truncated.fq --out-dir sim
expect_error 2 "missing.fq: no such file" -- "$precis" simulate --quality-profile missing.fq --out-dir sim
expect_error 2 "--heritability must be in [0, 1)" -- "$precis" simulate --heritability 1.5 --out-dir sim
expect_error 2 "good.vcf" -- "$precis" export --cohort good.vcf --out o.vcf.gz
printf 'plain text\n' >not.h5
expect_error 2 "not.h5" -- "$precis" export --cohort not.h5 --out o.vcf.gz
# Same errors under MPI: one rank's message, exit 2, nothing hangs.
expect_mpi_error 2 "bad_contig.vcf" -- timeout 120 mpiexec -n 2 "$precis" convert --vcf bad_contig.vcf --out o.h5
if ls -A | grep -q -e '^o\.' -e '^sim$' -e '^\.precis-partial'; then fail "partial output left: $(ls -A)"; else pass "no output left behind"; fi
finish
