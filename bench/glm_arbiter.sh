#!/usr/bin/env bash
# R glm as the arbiter of precis gwas vs plink2 --glm (logistic): refits disease ~ dosage + age + sex in R
# (epsilon 1e-14) for the 50 variants where precis's and plink2's p differ most plus 250 others drawn at
# random (seed 1), and reports each tool's largest |delta log10 p| and relative delta beta against R.
# Prints the 5 worst variants' p values from each, then the maxima.
# Usage: bench/glm_arbiter.sh WORK  (WORK of bench/cohort_real.sh: gw1.*, plgw.*, split.vcf.gz, world/)
set -euo pipefail
work=$1
precis=$work/gw1.disease.glm.logistic.hybrid
plink=$work/plgw.disease.glm.logistic.hybrid
# Logistic (non-Firth) variants with a p in both: |delta log10 p|, then the 50 worst and 250 random others.
awk -F'\t' 'FNR == 1 {next} NR == FNR {p[$3] = $13; next} ($3 in p) && $7 == "N" && $13 != "NA" && p[$3] != "NA" {
  d = log($13) / log(10) - log(p[$3]) / log(10); print (d < 0 ? -d : d) "\t" $3}' "$plink" "$precis" |
  sort -g -r >"$work/arb_all.tsv"
{ head -50 "$work/arb_all.tsv"; tail -n +51 "$work/arb_all.tsv" | awk 'BEGIN {srand(1)} {print rand() "\t" $2}' |
  sort -g | awk 'NR <= 250'; } | cut -f2 >"$work/arb_ids.txt"
tr ':' '\t' <"$work/arb_ids.txt" | cut -f1,2 | sort -k1,1 -k2,2n -u >"$work/arb_regions.txt"
bcftools query -l "$work/split.vcf.gz" >"$work/arb_samples.txt"
bcftools query -R "$work/arb_regions.txt" -f '%CHROM:%POS:%REF:%ALT[\t%GT]\n' "$work/split.vcf.gz" |
  awk -F'\t' 'NR == FNR {want[$1] = 1; next} ($1 in want)' "$work/arb_ids.txt" - >"$work/arb_gt.tsv"
cat >"$work/arb.R" <<'REOF'
args <- commandArgs(TRUE)
samples <- readLines(args[2])
p <- read.delim(args[3]); cv <- read.delim(args[4])
y <- p$disease[match(samples, p$sample_id)]
age <- cv$age[match(samples, cv$sample_id)]; sex <- cv$sex[match(samples, cv$sample_id)]
for (line in readLines(args[1])) {
  f <- strsplit(line, "\t", fixed = TRUE)[[1]]
  gt <- f[-1]
  d <- ifelse(grepl(".", gt, fixed = TRUE), NA, (substr(gt, 1, 1) != "0") + (substr(gt, 3, 3) != "0"))
  ok <- !is.na(d) & !is.na(y)
  m <- glm(y[ok] ~ d[ok] + age[ok] + sex[ok], family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  s <- summary(m)$coefficients[2, ]
  cat(sprintf("%s\t%.12g\t%.12g\n", f[1], s[1], s[4]))
}
REOF
Rscript "$work/arb.R" "$work/arb_gt.tsv" "$work/arb_samples.txt" "$work/world/phenotypes.tsv" \
  "$work/world/covariates.tsv" >"$work/arb_r.tsv"
# Per tool: beta = Z_STAT * LOG(OR)_SE (6 significant digits each), p as printed.
cmp_tool() {
  awk -F'\t' 'NR == FNR {b[$1] = $2; p[$1] = $3; next} FNR > 1 && ($3 in b) {
    n++; d = log($13) / log(10) - log(p[$3]) / log(10); if (d < 0) d = -d; if (d > dl) dl = d
    if (d >= 1e-3) nl++
    bt = $12 * $11; den = b[$3] < 0 ? -b[$3] : b[$3]; r = (bt - b[$3]) / den; if (r < 0) r = -r
    if (r > db) db = r; if (r >= 1e-4) nb++ }
    END {printf "%d variants: max |delta log10 p| %.3g (%d >= 1e-3), max relative delta beta %.3g (%d >= 1e-4)\n",
         n, dl, nl, db, nb}' "$work/arb_r.tsv" "$1"
}
echo "The 5 logistic variants whose p differ most:"
awk -F'\t' 'FILENAME == ARGV[1] {r[$1] = $3; next} FILENAME == ARGV[2] {if (FNR > 1) pp[$3] = $13; next}
  FILENAME == ARGV[3] {if (FNR > 1) pl[$3] = $13; next}
  FNR <= 5 {printf "- %s: p precis %s, plink2 %s, R glm %.6g\n", $2, pp[$2], pl[$2], r[$2]}' \
  "$work/arb_r.tsv" "$precis" "$plink" "$work/arb_all.tsv"
echo "On those 50 + 250 random:"
echo "- precis vs R: $(cmp_tool "$precis")"
echo "- plink2 vs R: $(cmp_tool "$plink")"
