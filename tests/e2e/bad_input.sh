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
# A record repeating a row (CHROM, POS, REF, ALT) of an earlier one, also inside a multi-allelic record.
printf "${header}chr1\t10\t.\tA\tG,T\t.\t.\t.\tGT\t0/1\t1/1\nchr1\t10\t.\tA\tC\t.\t.\t.\tGT\t0/1\t1/1\nchr1\t10\t.\tA\tT\t.\t.\t.\tGT\t0/1\t1/1\n" >dup.vcf
expect_error 2 "dup.vcf: record 3 (chr1:10): A>T repeats a variant of an earlier record" -- "$precis" convert --vcf dup.vcf --out o.h5
rm dup.vcf
expect_error 2 "triploid.vcf: record 1" -- "$precis" convert --vcf triploid.vcf --out o.h5
expect_error 2 "bad_value.tsv: line 3" -- "$precis" convert --vcf good.vcf --phenotypes bad_value.tsv --out o.h5
expect_error 2 "bad_columns.tsv: line 2" -- "$precis" convert --vcf good.vcf --phenotypes bad_columns.tsv --out o.h5
expect_error 2 "duplicate.tsv: line 3" -- "$precis" convert --vcf good.vcf --covariates duplicate.tsv --out o.h5
expect_error 2 "no_dir" -- "$precis" convert --vcf good.vcf --out no_dir/o.h5
expect_error 2 "bad.fa" -- "$precis" simulate --ref bad.fa --out-dir sim
expect_error 2 "truncated.fq: record 2" -- "$precis" simulate --quality-profile truncated.fq --out-dir sim
expect_error 2 "missing.fq: no such file" -- "$precis" simulate --quality-profile missing.fq --out-dir sim
expect_error 2 "--contig-length must be between" -- "$precis" simulate --contig-length 99999999999999 --out-dir sim
expect_error 2 "--ancestry-names: 'a' is given twice" -- "$precis" simulate --ancestries 2 --ancestry-names a,a --out-dir sim
expect_error 2 "--heritability must be in [0, 1)" -- "$precis" simulate --heritability 1.5 --out-dir sim
expect_error 2 "good.vcf" -- "$precis" export --cohort good.vcf --out o.vcf.gz
printf 'plain text\n' >not.h5
expect_error 2 "not.h5" -- "$precis" export --cohort not.h5 --out o.vcf.gz
# An index built for another file (here: for the first record only) would make region queries miss
# records: refused, naming the file.
{ printf "${header}"; for i in $(seq 1 3000); do printf "chr1\t$i\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n"; done; } >big.vcf
sed -i 's/length=1000>/length=5000>/' big.vcf
bcftools view -Oz -o big.vcf.gz big.vcf && head -c 1000000 big.vcf | awk 'NR <= 5' | bcftools view -Oz -o first.vcf.gz
bcftools index -t first.vcf.gz && cp first.vcf.gz.tbi big.vcf.gz.tbi && rm first.vcf.gz first.vcf.gz.tbi
expect_mpi_error 2 "big.vcf.gz: its index does not match the file" -- timeout 120 mpiexec -n 2 "$precis" convert --vcf big.vcf.gz --out o.h5
rm big.vcf.gz.tbi big.vcf.gz big.vcf
# Outputs never overwrite an input, each other, or a directory.
mkfifo a_pipe  # a device or pipe under an output's name would be replaced by a regular file
expect_error 2 "--out a_pipe: exists and is not a regular file" -- "$precis" convert --vcf good.vcf --out a_pipe
[ -p a_pipe ] && pass "the pipe is still a pipe" || fail "a_pipe was replaced"
rm a_pipe
bcftools view -Oz -o in.vcf.gz good.vcf
expect_error 2 "--out in.vcf.gz is the file of --vcf" -- "$precis" convert --vcf in.vcf.gz --out in.vcf.gz
bcftools view -H in.vcf.gz >/dev/null && pass "the input is intact" || fail "the input was overwritten"
bcftools index -t in.vcf.gz
expect_error 2 "--out in.vcf.gz.tbi is the index of --vcf in.vcf.gz" -- "$precis" convert --vcf in.vcf.gz --out in.vcf.gz.tbi
mkdir -p a_dir
expect_error 2 "--out a_dir is a directory" -- "$precis" convert --vcf good.vcf --out a_dir
printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\nchr1\t10\tG\tA\t0.5\n' >pgs.txt
expect_error 2 "--out and --contributions both name s.tsv" -- "$precis" score --pgs pgs.txt --vcf good.vcf --out s.tsv --contributions s.tsv
rmdir a_dir && rm in.vcf.gz in.vcf.gz.tbi pgs.txt
# Options whose values would run for ever are refused before any work.
expect_error 2 "--nlambda must be between 1 and 10000" -- "$precis" train --cohort missing.h5 --phenotype d --out m.h5 --nlambda 100000000
expect_error 2 "--hidden must be between 1 and 4096" -- "$precis" train --cohort missing.h5 --phenotype d --out m.h5 --model mlp --hidden 100000000
# simulate checks --causal against the cohort before writing anything.
expect_error 2 "--causal 100 exceeds" -- "$precis" simulate --out-dir sim --samples 10 --variants 50 --genes 2 --contig-length 200000 --patients 0 --quiet
# Records and tables that parse but cannot be right.
printf "${header}chr1\t10\t.\tA\tG\n" >short_line.vcf
expect_error 2 "short_line.vcf: record 1 (chr1:10): no FORMAT and sample columns" -- "$precis" convert --vcf short_line.vcf --out o.h5
# HTSlib drops sample columns beyond the header's without a word; precis refuses them.
printf "${header}chr1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\t0/0\n" >extra_column.vcf
expect_error 2 "extra_column.vcf: record 1 (chr1:10): 12 columns, but the header names 2 samples" -- "$precis" convert --vcf extra_column.vcf --out o.h5
printf "${header}chr1\tabc\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n" >bad_pos.vcf
expect_error 2 "bad_pos.vcf: record 1 (chr1:0): POS must be a positive integer" -- "$precis" convert --vcf bad_pos.vcf --out o.h5
printf "${header}chr1\t10\t.\tA\t\t.\t.\t.\tGT\t0/1\t1/1\n" >empty_alt.vcf
expect_error 2 "empty_alt.vcf: record 1 (chr1:10): empty ALT allele" -- "$precis" convert --vcf empty_alt.vcf --out o.h5
printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\nchr1\t10\tG\tA\tnan\n' >nan_weight.txt
expect_error 2 "nan_weight.txt: line 2: effect_weight 'nan' is not finite" -- "$precis" score --pgs nan_weight.txt --vcf good.vcf --out s.tsv
printf 'chr_name\tchr_position\teffect_allele\teffect_weight\teffect_weight\nchr1\t10\tG\t1\t2\n' >two_weights.txt
expect_error 2 "two_weights.txt: line 1: column 'effect_weight' appears twice" -- "$precis" score --pgs two_weights.txt --vcf good.vcf --out s.tsv
# PGS scoring files: one row per variant (here a second row with the alleles swapped), frequencies in
# [0, 1], gzip/bgzip only (xz refused by name, a truncated gzip file as a read error).
printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\nchr1\t10\tG\tA\t0.5\nchr1\t10\tA\tG\t-0.5\n' >dup_row.txt
expect_error 2 "dup_row.txt: line 3: chr1:10 effect allele A, other allele G repeats the variant of line 2 with the alleles swapped" -- \
  "$precis" score --pgs dup_row.txt --vcf good.vcf --out s.tsv
printf 'chr_name\tchr_position\teffect_allele\teffect_weight\tallelefrequency_effect\nchr1\t10\tG\t0.5\t1.5\n' >bad_freq.txt
expect_error 2 "bad_freq.txt: line 2: allelefrequency_effect '1.5' must be in [0, 1]" -- "$precis" score --pgs bad_freq.txt --vcf good.vcf --out s.tsv
printf '\3757zXZ\000junk' >pgs.txt.xz
expect_error 2 "pgs.txt.xz: compressed with xz; decompress it" -- "$precis" score --pgs pgs.txt.xz --vcf good.vcf --out s.tsv
{ printf 'chr_name\tchr_position\teffect_allele\teffect_weight\n'; for i in $(seq 1 5000); do printf 'chr1\t%d\tA\t0.5\n' "$i"; done; } |
  gzip -c >full.txt.gz
head -c "$(($(wc -c <full.txt.gz) / 2))" full.txt.gz >cut.txt.gz
expect_error 2 "cut.txt.gz: line 1: read error (a truncated or corrupt compressed file?)" -- "$precis" score --pgs cut.txt.gz --vcf good.vcf --out s.tsv
[ ! -e s.tsv ] && pass "no scores written for a bad scoring file" || fail "s.tsv written"
rm -f dup_row.txt bad_freq.txt pgs.txt.xz full.txt.gz cut.txt.gz
expect_error 2 "--date 2026-13-45: must be a calendar date" -- "$precis" report --scores s.tsv --model m.h5 --out-dir r --date 2026-13-45
{ printf '>chr1\n'; for i in $(seq 1 20); do printf '%050d\n' 0 | tr 0 A; done; } >ref.fa
bcftools view -Oz -o in.vcf.gz good.vcf && bcftools index -t in.vcf.gz
expect_error 2 "ref.fa: not GFF3 or GTF" -- "$precis" annotate --ref ref.fa --genes ref.fa --vcf in.vcf.gz --out a.vcf.gz
printf '\033[31m\x01binary\n' >binary.tsv
expect_error 2 "binary.tsv: line 1, column 1: no header" -- "$precis" convert --vcf good.vcf --phenotypes binary.tsv --out o.h5
grep -q "$(printf '\033')" err.txt && fail "an escape sequence from the file reached the terminal" || pass "control characters of the file shown as ?"
rm -f short_line.vcf bad_pos.vcf empty_alt.vcf nan_weight.txt two_weights.txt ref.fa ref.fa.fai in.vcf.gz in.vcf.gz.tbi binary.tsv
# A full disk (a 64 KiB tmpfs, where mounting is allowed): exit 1 with one line, no crash in HDF5's
# clean-up and no hang at 2 ranks, nothing left behind.
tiny=$(mktemp -d)  # outside the scratch directory, which the next run removes
if mount -t tmpfs -o size=64k tmpfs "$tiny" 2>/dev/null; then
  trap 'umount -l "$tiny" 2>/dev/null; rmdir "$tiny" 2>/dev/null' EXIT
  awk 'BEGIN {srand(3); printf "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=100000>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";
    for (s = 0; s < 200; s++) printf "\tS%d", s; printf "\n";
    for (v = 1; v <= 2000; v++) { printf "chr1\t%d\t.\tA\tG\t.\t.\t.\tGT", v; for (s = 0; s < 200; s++) printf "\t%d/%d", rand() < 0.5, rand() < 0.5; printf "\n" } }' >full.vcf
  expect_error 1 "(disk full?)" -- "$precis" convert --vcf full.vcf --out "$tiny/c.h5" --quiet
  [ -z "$(ls -A "$tiny")" ] && pass "nothing left on the full disk" || fail "left on the full disk: $(ls -A "$tiny")"
  bgzip full.vcf && bcftools index -t full.vcf.gz  # two ranks: found before HDF5's collective close, which would hang
  expect_mpi_error 1 "(disk full?)" -- timeout 120 mpiexec -n 2 "$precis" convert --vcf full.vcf.gz --out "$tiny/c.h5" --quiet
  [ -z "$(ls -A "$tiny")" ] && pass "nothing left on the full disk (2 ranks)" || fail "left on the full disk: $(ls -A "$tiny")"
  # 4 ranks: a collective write that fails on some ranks leaves others inside HDF5; the failing rank ends
  # the job (before: a hang until the time limit).
  expect_mpi_error 1 "c.h5" -- timeout 120 mpiexec --oversubscribe -n 4 "$precis" convert --vcf full.vcf.gz --out "$tiny/c.h5" --quiet
  [ -z "$(ls -A "$tiny")" ] && pass "nothing left on the full disk (4 ranks)" || fail "left on the full disk: $(ls -A "$tiny")"
  # qc and pca update cohort.h5 in place: on a full disk they refuse before writing, and the cohort is
  # left as it was (before: a crash, and a cohort.h5 with nothing in it). train's model.h5: exit 1, no
  # file under its name (before: a crash, and an empty model committed).
  awk 'BEGIN {srand(5); print "sample_id\tdisease"; for (s = 0; s < 200; s++) printf "S%d\t%d\n", s, rand() < 0.3}' >full.tsv
  "$precis" convert --vcf full.vcf.gz --phenotypes full.tsv --out full.h5 --quiet
  room=$tiny/room && mkdir "$room" && mount -t tmpfs -o size=1m tmpfs "$room"
  cp full.h5 "$room/" && dd if=/dev/zero of="$room/filler" bs=4k count=$(($(df --output=avail -B4096 "$room" | tail -1) - 2)) status=none
  before=$(md5sum <"$room/full.h5")
  expect_error 1 "full.h5: cannot write 2 MiB beside it (No space left on device); it was left as it was" -- \
    "$precis" qc --cohort "$room/full.h5" --quiet
  expect_mpi_error 1 "it was left as it was" -- timeout 120 mpiexec -n 2 "$precis" pca --cohort "$room/full.h5" --k 2 --quiet
  [ "$(md5sum <"$room/full.h5")" = "$before" ] && pass "cohort.h5 unchanged on a full disk" || fail "cohort.h5 changed on a full disk"
  expect_error 1 "m.h5: write failed (disk full?)" -- "$precis" train --cohort full.h5 --phenotype disease --out "$room/m.h5" --quiet
  [ ! -e "$room/m.h5" ] && [ -z "$(ls -A "$room" | grep -v -e '^full.h5$' -e '^filler$')" ] && pass "no model left on the full disk" ||
    fail "left on the full disk: $(ls -A "$room")"
  umount -l "$room"
  rm -f full.vcf.gz full.vcf.gz.tbi full.tsv full.h5
else
  echo "skip: cannot mount a tmpfs here (full-disk check)"
  rmdir "$tiny"
fi
# Same errors under MPI: one rank's message, exit 2, nothing hangs.
expect_mpi_error 2 "bad_contig.vcf" -- timeout 120 mpiexec -n 2 "$precis" convert --vcf bad_contig.vcf --out o.h5
# A rank reading a region of an indexed file names the record by CHROM:POS (a record count would start
# at its region, not at the file's start), for a record that parses and for one that does not.
{ printf "${header}"; for i in $(seq 1 3000); do printf "chr1\t$i\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n"; done; } >big.vcf
sed -i 's/length=1000>/length=5000>/' big.vcf
sed 's/^chr1\t2900\t\(.*\)1\/1$/chr1\t2900\t\10\/7/' big.vcf | bgzip >bad_gt.vcf.gz && bcftools index -t bad_gt.vcf.gz
expect_mpi_error 2 "bad_gt.vcf.gz: chr1:2900: GT of sample B names an allele" -- timeout 120 mpiexec -n 2 "$precis" convert --vcf bad_gt.vcf.gz --out o.h5
sed 's/^chr1\t2950\t.*/chr1\t2950\t.\tA\tG\t.\t.\t.\tGT:XX\t0\/1\t1\/1/' big.vcf | bgzip >bad_tag.vcf.gz && bcftools index -t bad_tag.vcf.gz
expect_mpi_error 2 "bad_tag.vcf.gz: chr1:2950: " -- timeout 120 mpiexec -n 2 "$precis" convert --vcf bad_tag.vcf.gz --out o.h5
rm big.vcf bad_gt.vcf.gz* bad_tag.vcf.gz*
if ls -A | grep -q -e '^o\.' -e '^sim$' -e '^\.precis-partial'; then fail "partial output left: $(ls -A)"; else pass "no output left behind"; fi
finish
