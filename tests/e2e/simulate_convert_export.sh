#!/usr/bin/env bash
# simulate -> convert (1, 2 and 4 ranks) -> export: outputs accepted by bcftools, samtools and h5dump,
# identical cohort.h5 contents at every rank count, lossless genotype round trip.
source "$(dirname "$0")/lib.sh"

"$precis" simulate --out-dir world --seed 7 --contigs 2 --contig-length 300000 --genes 8 --samples 300 \
  --variants 3000 --causal 30 --patients 1 --coverage 4 --quiet
for f in reference.fa reference.fa.fai genes.gff3 cohort.vcf.gz cohort.vcf.gz.tbi phenotypes.tsv covariates.tsv \
         clinvar.vcf.gz frequencies.vcf.gz truth/causal_variants.tsv patients/P0001_R1.fq.gz patients/P0001_R2.fq.gz; do
  [ -s "world/$f" ] && pass "simulate wrote $f" || fail "simulate did not write $f"
done
for v in cohort clinvar frequencies; do
  bcftools view -H "world/$v.vcf.gz" >/dev/null 2>bcf.err && [ ! -s bcf.err ] && pass "bcftools reads $v.vcf.gz" \
    || fail "bcftools on $v.vcf.gz: $(cat bcf.err)"
done
samtools faidx world/reference.fa chr1:1-10 >/dev/null && pass "samtools reads reference.fa" || fail "samtools faidx"
[ "$(bcftools query -l world/cohort.vcf.gz | wc -l)" -eq 300 ] && pass "300 samples" || fail "sample count"

# Determinism: the same seed gives the same cohort.
"$precis" simulate --out-dir world2 --seed 7 --contigs 2 --contig-length 300000 --genes 8 --samples 300 \
  --variants 3000 --causal 30 --patients 1 --coverage 4 --quiet --threads 2
cmp -s world/cohort.vcf.gz world2/cohort.vcf.gz && cmp -s world/reference.fa world2/reference.fa \
  && pass "same seed, same files (1 vs 2 threads)" || fail "simulate is not deterministic"

# Base qualities learned from FASTQ (here the first patient's reads) carry over to new reads.
"$precis" simulate --out-dir world3 --seed 8 --contigs 1 --contig-length 100000 --genes 2 --samples 20 \
  --variants 200 --causal 5 --patients 1 --coverage 2 --quiet \
  --quality-profile world/patients/P0001_R1.fq.gz,world/patients/P0001_R2.fq.gz
meanq() { gzip -dc "$1" | awk 'NR % 4 == 0 {for (i = 1; i <= length($0); i++) {s += ord[substr($0, i, 1)]; n++}}
  BEGIN {for (c = 33; c < 127; c++) ord[sprintf("%c", c)] = c - 33} END {printf "%.1f", s / n}'; }
q_in=$(meanq world/patients/P0001_R2.fq.gz); q_out=$(meanq world3/patients/P0001_R2.fq.gz)
awk -v a="$q_in" -v b="$q_out" 'BEGIN {exit !(a - b < 1 && b - a < 1)}' \
  && pass "learned quality profile: mean Q $q_in in, $q_out out" || fail "quality profile: mean Q $q_in in, $q_out out"

# convert at 1, 2 and 4 ranks: identical contents (root provenance attributes aside).
for n in 1 2 4; do
  timeout 300 mpiexec -n $n "$precis" convert --vcf world/cohort.vcf.gz --phenotypes world/phenotypes.tsv \
    --covariates world/covariates.tsv --out cohort.np$n.h5 --quiet || fail "convert at $n ranks"
  h5dump -g /samples -g /contigs -g /variants -g /calldata -g /phenotypes -g /covariates cohort.np$n.h5 \
    | tail -n +2 >dump.np$n.txt
done
[ -s dump.np1.txt ] && pass "h5dump reads cohort.h5" || fail "h5dump output empty"
cmp -s dump.np1.txt dump.np2.txt && cmp -s dump.np1.txt dump.np4.txt && pass "cohort.h5 identical at 1, 2, 4 ranks" \
  || fail "cohort.h5 differs between rank counts"
h5dump -a /format_version cohort.np1.h5 | grep -q '"1.0"' && pass "format_version 1.0" || fail "format_version"

# Lossless genotype round trip (multi-allelic records come back split, as bcftools norm -m- writes them).
"$precis" export --cohort cohort.np2.h5 --out roundtrip.vcf.gz --quiet
[ -s roundtrip.vcf.gz.tbi ] && pass "export indexed its VCF" || fail "no index from export"
fmt='%CHROM\t%POS\t%ID\t%REF\t%ALT[\t%GT]\n'
bcftools norm -m- world/cohort.vcf.gz 2>/dev/null | bcftools query -f "$fmt" >in.txt
bcftools query -f "$fmt" roundtrip.vcf.gz >out.txt
[ -s in.txt ] && cmp -s in.txt out.txt && pass "genotypes identical after VCF -> HDF5 -> VCF ($(wc -l <in.txt) rows)" \
  || fail "round trip differs: $(diff in.txt out.txt | head -5)"

# Phenotypes made it across: the disease column has the same cases in the TSV and in cohort.h5.
cases_tsv=$(awk -F'\t' 'NR > 1 && $2 == 1' world/phenotypes.tsv | wc -l)
cases_h5=$(h5dump -d /phenotypes/disease -y -w 0 cohort.np1.h5 | grep -o '\b1\b' | wc -l)
[ "$cases_tsv" -gt 0 ] && [ "$cases_tsv" -eq "$cases_h5" ] && pass "$cases_tsv cases in TSV and HDF5" \
  || fail "cases: TSV $cases_tsv, HDF5 $cases_h5"
finish
