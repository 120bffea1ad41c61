#!/usr/bin/env bash
# precis qc and pca end to end: simulate -> convert -> qc -> pca -> project, identical results at 1, 2 and
# 4 ranks, bad input, and agreement with plink2 (--freq/--hardy/--missing, --pca and --pca approx) when
# plink2, bcftools and python3 are installed (skipped with a message otherwise).
source "$(dirname "$0")/lib.sh"
here="$src/tests/e2e/qc_pca"
mpi() { mpiexec --oversubscribe -n "$@"; }

"$precis" simulate --out-dir world --seed 3 --samples 2000 --variants 6000 --contigs 1 --contig-length 1500000 \
  --genes 4 --patients 0 --quiet
"$precis" convert --vcf world/cohort.vcf.gz --out cohort.h5 --quiet
cp cohort.h5 fresh.h5

# Bad input: exit 2 with one message naming the file or option.
expect_error 2 "not an HDF5 file" -- "$precis" qc --cohort world/reference.fa
expect_error 2 "no /pca group" -- "$precis" pca --cohort fresh.h5 --project world/cohort.vcf.gz --out p.tsv
expect_error 2 "--min-maf" -- "$precis" qc --cohort fresh.h5 --min-maf 0.8
expect_error 2 "--max-sample-missing" -- "$precis" qc --cohort fresh.h5 --max-sample-missing 0
expect_error 2 "--k 2001" -- "$precis" pca --cohort fresh.h5 --k 2001
expect_error 2 "--oversampling" -- "$precis" pca --cohort fresh.h5 --oversampling -1
expect_mpi_error 2 "--k 2001" -- mpi 2 "$precis" pca --cohort fresh.h5 --k 2001

# qc at 1, 2 and 4 ranks: the same TSVs and the same /qc masks.
for n in 1 2 4; do
  cp cohort.h5 "qc$n.h5"
  mpi "$n" "$precis" qc --cohort "qc$n.h5" --tsv "qc$n" --quiet
done
for n in 2 4; do
  if cmp -s qc1.variants.tsv "qc$n.variants.tsv" && cmp -s qc1.samples.tsv "qc$n.samples.tsv" &&
    [ "$(h5dump -d /qc/variant_mask -d /qc/sample_mask "qc$n.h5" | tail -n +2)" = \
      "$(h5dump -d /qc/variant_mask -d /qc/sample_mask qc1.h5 | tail -n +2)" ]; then
    pass "qc at $n ranks equals 1 rank"
  else
    fail "qc at $n ranks differs from 1 rank"
  fi
done
kept=$(awk -F'\t' 'NR > 1 && $12 == "kept"' qc1.variants.tsv | wc -l)
if [ "$kept" -gt 1000 ] && [ "$kept" -lt 6000 ]; then pass "qc keeps $kept variants"; else fail "qc keeps $kept variants"; fi
# Re-running replaces /qc (no stale temporary group left behind).
"$precis" qc --cohort qc1.h5 --min-maf 0.05 --quiet
if h5ls qc1.h5 | grep -q '^qc ' && ! h5ls qc1.h5 | grep -q partial; then pass "/qc replaced in place"; else fail "/qc not replaced"; fi
# Further runs write over the replaced group's space (/.qc.previous): cohort.h5 stops growing, and /qc is
# the last run's.
size=$(stat -c %s qc1.h5)
"$precis" qc --cohort qc1.h5 --min-maf 0.2 --quiet
"$precis" qc --cohort qc1.h5 --tsv requc --quiet
grown=$(($(stat -c %s qc1.h5) - size))
if [ "$grown" -lt 4096 ]; then pass "re-running qc grows cohort.h5 by $grown bytes"; else fail "re-running qc grows cohort.h5 by $grown bytes"; fi
if [ "$(h5dump -a /qc/variants_kept qc1.h5 | grep -o '(0): [0-9]*')" = "(0): $(awk -F'\t' 'NR > 1 && $12 == "kept"' requc.variants.tsv | wc -l)" ] &&
  [ "$(h5dump -a /qc/min_maf qc1.h5 | grep -o '(0): [0-9.]*')" = "(0): 0.01" ]; then pass "/qc holds the last run"
else fail "/qc does not hold the last run"; fi

# pca at 1, 2 and 4 ranks on the QC'd cohort: the same PCs to 1e-8.
for n in 1 2 4; do
  cp qc2.h5 "pca$n.h5"
  mpi "$n" "$precis" pca --cohort "pca$n.h5" --k 10 --tsv "pca$n" --quiet
done
for n in 2 4; do
  if python3 "$here/compare_scores.py" pca1.eigenvec "pca$n.eigenvec" 1e-8; then pass "pca at $n ranks equals 1 rank"
  else fail "pca at $n ranks differs from 1 rank"; fi
done
if python3 "$here/separation.py" pca1.eigenvec world/truth/samples.tsv 0.95; then pass "PC1 separates ancestries"
else fail "PC1 does not separate ancestries"; fi
for d in scores eigenvalues loadings variant_mean variant_scale; do
  h5ls "pca1.h5/pca/$d" >/dev/null 2>&1 || fail "/pca/$d missing"
done

# Projection: the cohort's own samples reproduce their scores; REF/ALT-swapped input gives the same.
"$precis" pca --cohort pca1.h5 --project world/cohort.vcf.gz --out projected.tsv 2>project.log
if python3 "$here/compare_scores.py" pca1.eigenvec projected.tsv 1e-8; then pass "projection reproduces scores"
else fail "projection differs from scores"; fi
grep -q "100%" project.log && pass "match rate logged: $(grep -o '[0-9]* of [0-9]* PCA variants matched ([0-9.]*%)' project.log)" ||
  fail "match rate missing from the log: $(cat project.log)"
zcat world/cohort.vcf.gz | awk 'BEGIN {OFS = "\t"} /^#/ {print; next}
  $5 !~ /,/ && $2 % 2 == 0 {t = $4; $4 = $5; $5 = t; for (i = 10; i <= NF; i++) {gsub(/0/, "x", $i); gsub(/1/, "0", $i); gsub(/x/, "1", $i)}}
  {print}' | bgzip >swapped.vcf.gz
"$precis" pca --cohort pca1.h5 --project swapped.vcf.gz --out swapped.tsv 2>swapped.log
flipped=$(grep -o '[0-9]* with REF/ALT swapped' swapped.log | cut -d' ' -f1)
if [ "${flipped:-0}" -gt 0 ] && python3 "$here/compare_scores.py" pca1.eigenvec swapped.tsv 1e-8; then
  pass "swapped alleles flipped ($flipped) and scores reproduced"
else fail "swapped-allele projection: $(cat swapped.log)"; fi

# A second record of a PCA variant (a kept biallelic one), with other genotypes or with REF and ALT swapped:
# which genotype is right cannot be told, so exit 2 naming the record, and no output.
# (awk reads to the end: an early exit would fail the pipe under pipefail.)
site=$(zcat world/cohort.vcf.gz | awk -F'\t' 'NR == FNR {if (FNR > 1 && $12 == "kept") kept[$1 ":" $2] = 1; next}
  !/^#/ {n++} !/^#/ && !found && $5 !~ /,/ && (($1 ":" $2) in kept) {print $1 ":" $2 "\t" $4 ">" $5 "\t" n + 1; found = 1}' \
  qc2.variants.tsv -)
IFS=$'\t' read -r site alleles record <<<"$site"
zcat world/cohort.vcf.gz | awk -F'\t' -v site="$site" 'BEGIN {OFS = "\t"} {print} !/^#/ && ($1 ":" $2) == site {
  for (i = 10; i <= NF; i++) $i = "1/1"; print}' | bgzip >dup.vcf.gz
expect_error 2 "dup.vcf.gz: record $record ($site): a second record for the PCA variant $site $alleles (duplicate records" -- \
  "$precis" pca --cohort pca1.h5 --project dup.vcf.gz --out dup.tsv
zcat world/cohort.vcf.gz | awk -F'\t' -v site="$site" 'BEGIN {OFS = "\t"} {print} !/^#/ && ($1 ":" $2) == site {
  t = $4; $4 = $5; $5 = t; for (i = 10; i <= NF; i++) {gsub(/0/, "x", $i); gsub(/1/, "0", $i); gsub(/x/, "1", $i)} print}' |
  bgzip >dup_swapped.vcf.gz
expect_error 2 "dup_swapped.vcf.gz: record $record ($site): a second record for the PCA variant $site $alleles" -- \
  "$precis" pca --cohort pca1.h5 --project dup_swapped.vcf.gz --out dup.tsv
[ ! -e dup.tsv ] && pass "no projection written for duplicate records" || fail "dup.tsv written"
bcftools view -G -Oz -o sites.vcf.gz world/cohort.vcf.gz
expect_error 2 "sites.vcf.gz: no samples" -- "$precis" pca --cohort pca1.h5 --project sites.vcf.gz --out dup.tsv

# Agreement with plink2 on the same VCF split like the cohort file (bcftools norm -m-).
if command -v plink2 >/dev/null && command -v bcftools >/dev/null; then
  bcftools norm -m- -Oz -o split.vcf.gz world/cohort.vcf.gz 2>/dev/null
  ids=(--set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --threads 2)
  cp cohort.h5 all.h5
  "$precis" qc --cohort all.h5 --min-call-rate 0 --min-maf 0 --min-hwe-p 0 --max-sample-missing 1 --het-sd 0 \
    --tsv all --quiet
  plink2 --vcf split.vcf.gz "${ids[@]}" --freq counts --hardy --missing --out plink_qc >/dev/null
  if python3 "$here/compare_qc.py" all plink_qc; then pass "qc statistics equal plink2's"; else fail "qc vs plink2"; fi
  awk -F'\t' 'NR > 1 && $12 == "kept" {sub(/^chr/, "", $1); print $1 ":" $2 ":" $3 ":" $4}' qc2.variants.tsv >keep.vars
  awk -F'\t' 'NR > 1 && $6 == "kept" {print $1}' qc2.samples.tsv >keep.samples
  plink2 --vcf split.vcf.gz "${ids[@]}" --extract keep.vars --keep keep.samples --pca approx 10 --out plink_approx >/dev/null 2>&1
  plink2 --vcf split.vcf.gz "${ids[@]}" --extract keep.vars --keep keep.samples --pca 10 --out plink_exact >/dev/null
  if python3 "$here/compare_pca.py" pca1 plink_approx 1 --label "vs plink2 --pca approx"; then pass "PC1 agrees with plink2 --pca approx"
  else fail "PC1 vs plink2 --pca approx"; fi
  # plink2's exact GRM rescales for missing calls, by about 1 / (1 - 2 x mean missing rate) on the eigenvalues.
  miss=$(awk -F'\t' 'NR > 1 && $6 == "kept" {s += $3; n++} END {printf "%.8f", s / n}' qc2.samples.tsv)
  factor=$(awk -v m="$miss" 'BEGIN {printf "%.8f", 1 / (1 - 2 * m)}')
  python3 "$here/compare_pca.py" pca1 plink_exact 1 --label "vs plink2 --pca (raw)" --max-rel 1 || true
  if python3 "$here/compare_pca.py" pca1 plink_exact 1 --eig-factor "$factor" --max-rel 0.002 --label "vs plink2 --pca"; then
    pass "PC1 agrees with plink2 --pca (eigenvalue after the missingness factor $factor)"
  else fail "PC1 vs plink2 --pca"; fi
else
  echo "skip: plink2 or bcftools not installed; no agreement checks against plink2"
fi
finish
