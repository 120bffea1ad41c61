#!/usr/bin/env bash
# simulate -> convert -> train (2 ranks) -> score (cohort at 1 and 2 ranks, PGS file, patient VCF), against
# the simulation's truth and plink2 --score; bad input exits 2 naming the fault.
source "$(dirname "$0")/lib.sh"

"$precis" simulate --out-dir sim --samples 8000 --variants 2000 --contigs 2 --contig-length 2000000 --genes 4 \
  --patients 1 --causal 20 --heritability 0.6 --quiet
"$precis" convert --vcf sim/cohort.vcf.gz --phenotypes sim/phenotypes.tsv --covariates sim/covariates.tsv \
  --out cohort.h5 --quiet
mpiexec -n 2 "$precis" train --cohort cohort.h5 --phenotype disease --covariates age,sex --out model.h5 \
  --pgs-out pgs.txt --nlambda 30 --threads 1 --quiet
[ -s model.h5 ] && [ -s pgs.txt ] && pass "train wrote model.h5 and pgs.txt" || fail "train outputs missing"

# h5 attribute / string dataset readers (h5dump ships with HDF5).
attr() { h5dump -y -a "$1" model.h5 >attr.txt; awk '/DATA \{/ && !done {getline; gsub(/[^0-9eE.+-]/, ""); print; done = 1}' attr.txt; }
h5dump -y -w 0 -d /metrics/test_samples model.h5 | grep -o '"[^"]*"' | tr -d '"' >test_samples.txt
# auc FILE: AUC of column 1 (score) for column 2 (0/1), ties averaged.
auc() {
  sort -g -k1,1 "$1" | awk '{s[NR] = $1; y[NR] = $2} END {
    i = 1; while (i <= NR) { j = i; while (j < NR && s[j + 1] == s[i]) j++;
      for (k = i; k <= j; k++) if (y[k] == 1) { rs += (i + j) / 2; np++ } i = j + 1 }
    nn = NR - np; printf "%.6f\n", (rs - np * (np + 1) / 2) / (np * nn) }'
}
awk 'NR == FNR {t[$1] = 1; next} FNR > 1 && ($1 in t) {print $3, $5}' test_samples.txt sim/truth/samples.tsv >truth_test.txt
n_test=$(wc -l <test_samples.txt)
truth_auc=$(auc truth_test.txt)
model_auc=$(attr /metrics/auc)
echo "test samples $n_test, model test AUC $model_auc, AUC of the true genetic liability $truth_auc"
awk -v a="$model_auc" -v b="$truth_auc" 'BEGIN {exit !(a >= b - 0.02)}' &&
  pass "test AUC $model_auc within 0.02 of the true liability's $truth_auc" ||
  fail "test AUC $model_auc more than 0.02 below the true liability's $truth_auc"

# Causal variants recovered: most of the 20 largest standardised weights (|w| sd, sd = sqrt(2f(1-f))) lie
# within 5 kb of a planted causal variant.
tail -n +2 sim/truth/causal_variants.tsv | cut -f1,2 >causal.txt
grep -v '^#' pgs.txt | tail -n +2 | awk '{w = $5 < 0 ? -$5 : $5; print w * sqrt(2 * $6 * (1 - $6)), $1, $2}' | sort -gr >ranked.txt
head -20 ranked.txt >top.txt
near=$(awk 'NR == FNR {c[NR] = $1 " " $2; n = NR; next} {for (i = 1; i <= n; i++) {split(c[i], a, " ");
  if (a[1] == $2 && (a[2] - $3 < 5000 && $3 - a[2] < 5000)) {k++; break}}} END {print k + 0}' causal.txt top.txt)
[ "$near" -ge 12 ] && pass "$near of the top 20 weights near a causal variant" ||
  fail "only $near of the top 20 weights near a causal variant"

# Scores: 1 rank == 2 ranks, model == its PGS file (raw sums), the patient VCF.
"$precis" score --model model.h5 --cohort cohort.h5 --out s1.tsv --quiet
mpiexec -n 2 "$precis" score --model model.h5 --cohort cohort.h5 --out s2.tsv --threads 1 --quiet
cmp -s s1.tsv s2.tsv && pass "score at 1 and 2 ranks identical" || fail "score differs between 1 and 2 ranks"
[ "$(head -1 s1.tsv)" = "$(printf 'sample_id\traw_score\tpercentile\tz\tancestry_z\tabsolute_risk\tmatched_variants\ttotal_variants')" ] &&
  pass "scores.tsv header" || fail "scores.tsv header: $(head -1 s1.tsv)"
[ "$(tail -n +2 s1.tsv | wc -l)" -eq 8000 ] && pass "8000 scored samples" || fail "scored $(tail -n +2 s1.tsv | wc -l) samples"
awk -F'\t' 'NR > 1 && ($7 != $8 || $6 == "NA" || $6 <= 0 || $6 >= 1 || $3 < 0 || $3 > 100) {bad++} END {exit bad > 0}' s1.tsv &&
  pass "all variants matched; risks in (0, 1); percentiles in [0, 100]" || fail "bad rows in s1.tsv"
"$precis" score --pgs pgs.txt --cohort cohort.h5 --out spgs.tsv --quiet
paste s1.tsv spgs.tsv | awk -F'\t' 'NR > 1 {d = $2 - $10; if (d < 0) d = -d; if (d > m) m = d} END {exit !(m < 1e-9)}' &&
  pass "PGS file raw sums equal the model's" || fail "PGS file raw sums differ from the model's"
# The PGS Catalog ships scoring files gzipped: a gzip or bgzip copy gives the same scores as the plain file.
gzip -c pgs.txt >pgs.txt.gz && bgzip -c pgs.txt >pgs.bgzip.txt.gz
for f in pgs.txt.gz pgs.bgzip.txt.gz; do
  "$precis" score --pgs "$f" --cohort cohort.h5 --out sgz.tsv --quiet
  cmp -s spgs.tsv sgz.tsv && pass "$f scores as pgs.txt" || fail "$f scores differ from pgs.txt"
done
# A second row for a weighted variant (another weight): refused, naming both lines.
first=$(grep -n -v '^#' pgs.txt | sed -n 2p)
awk -F'\t' -v OFS='\t' '{print} !/^#/ && ++n == 2 {$5 = 10; print}' pgs.txt >pgsdup.txt
expect_error 2 "pgsdup.txt: line $((${first%%:*} + 1)): $(echo "${first#*:}" | cut -f1):$(echo "${first#*:}" | cut -f2) effect allele" -- \
  "$precis" score --pgs pgsdup.txt --cohort cohort.h5 --out x.tsv
grep -qF "repeats the variant of line ${first%%:*} (duplicate rows" err.txt && pass "both lines named" || fail "$(cat err.txt)"
"$precis" score --model model.h5 --vcf sim/patients/P0001.truth.vcf.gz --out patient.tsv --quiet
awk -F'\t' 'NR == 2 && $1 == "P0001" && $7 == $8 && $6 != "NA" {ok = 1} END {exit !ok}' patient.tsv &&
  pass "patient VCF scored: $(tail -1 patient.tsv)" || fail "patient.tsv: $(cat patient.tsv)"
# A weighted variant the patient carries, written in lower case: the same score. Twice, or with a GT naming
# an allele the record lacks: exit 2 naming the record.
zcat sim/patients/P0001.truth.vcf.gz >p.vcf
site=$(awk -F'\t' 'NR == FNR {if ($1 !~ /^#/ && $1 != "chr_name") want[$1 ":" $2] = 1; next}
  !/^#/ && (($1 ":" $2) in want) {print $1 ":" $2; exit}' pgs.txt p.vcf)
[ -n "$site" ] || fail "the patient carries no weighted variant"
edit() { awk -F'\t' -v site="$site" "BEGIN {OFS = \"\\t\"} $1" p.vcf >"$2"; }
edit '($1 ":" $2) == site {$4 = tolower($4); $5 = tolower($5)} {print}' lower.vcf
"$precis" score --model model.h5 --vcf lower.vcf --out lower.tsv --quiet
[ "$(cut -f2 lower.tsv)" = "$(cut -f2 patient.tsv)" ] && pass "lower-case alleles score the same" || fail "lower-case alleles: $(cat lower.tsv)"
edit '{print} ($1 ":" $2) == site {print}' dup.vcf
expect_error 2 "dup.vcf: record" -- "$precis" score --model model.h5 --vcf dup.vcf --out x.tsv
edit '($1 ":" $2) == site {$10 = "0/5"} {print}' gt5.vcf
expect_error 2 "names allele 5, which the record does not have" -- "$precis" score --model model.h5 --vcf gt5.vcf --out x.tsv

# plink2 --score on the PGS file (without frequencies, so missing genotypes count 0 on both sides). plink2
# prints 6 significant digits (chrchang/plink-ng#248), so sums are compared to that precision.
if command -v plink2 >/dev/null; then
  grep -v '^#' pgs.txt | cut -f1-5 >nofreq.txt
  "$precis" score --pgs nofreq.txt --cohort cohort.h5 --out snofreq.tsv --quiet
  bcftools norm -m- sim/cohort.vcf.gz -Oz -o split.vcf.gz 2>/dev/null
  tail -n +2 nofreq.txt | awk -F'\t' '{sub(/^chr/, "", $1); print $1 ":" $2 ":" $4 ":" $3 "\t" $3 "\t" $5}' >plink_score.txt
  plink2 --vcf split.vcf.gz --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --score plink_score.txt 1 2 3 \
    cols=+scoresums no-mean-imputation --out plink >/dev/null 2>&1
  awk 'NR == FNR {if (FNR > 1) p[$1] = $NF; next} FNR > 1 {d = $2 - p[$1]; if (d < 0) d = -d; a = p[$1] < 0 ? -p[$1] : p[$1]; d = d / (a > 1 ? a : 1); if (d > m) m = d; n++}
    END {printf "%g %d\n", m, n}' plink.sscore snofreq.tsv >plink_diff.txt
  read -r maxdiff n <plink_diff.txt
  awk -v m="$maxdiff" -v n="$n" 'BEGIN {exit !(m <= 5.1e-6 && n == 8000)}' &&
    pass "plink2 --score sums equal to its 6 printed digits (max |diff| / max(1, |sum|) $maxdiff)" ||
    fail "plink2 --score sums differ: max relative |diff| $maxdiff over $n samples"
fi

# Bad input.
expect_error 2 "--phenotype nosuch" -- "$precis" train --cohort cohort.h5 --phenotype nosuch --out m.h5
expect_error 2 "not a precis model" -- "$precis" score --model cohort.h5 --cohort cohort.h5 --out x.tsv
printf 'chr_name\tchr_position\teffect_allele\nchr1\t5\tA\n' >nocol.txt
expect_error 2 "nocol.txt: line 1" -- "$precis" score --pgs nocol.txt --cohort cohort.h5 --out x.tsv
printf 'chr_name\tchr_position\teffect_allele\teffect_weight\nchr9\t5\tA\t0.1\n' >nomatch.txt
expect_error 2 "none of its 1 variants matched" -- "$precis" score --pgs nomatch.txt --cohort cohort.h5 --out x.tsv
[ ! -e x.tsv ] && pass "no output after errors" || fail "x.tsv left behind"
finish
