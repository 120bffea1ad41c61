#!/usr/bin/env bash
# R as the arbiter of precis gwas vs plink2 --glm on a case/control phenotype: refits
# disease ~ dosage + age + sex in R, by glm (epsilon 1e-14) where both tools fitted a plain logistic
# regression and by brglm2's Firth fit (type "AS_mean", the Jeffreys-prior penalty plink2 and precis use) where
# both fell back to Firth (started from 0: from the diverging ML fit it fails), for the 50 variants whose p differ most between the tools, the 50 whose beta
# differ most (relative), and 200 others drawn at random (seed 1). Reports each tool's largest
# |delta log10 p| and relative delta beta against R, with the 5 worst variants of each kind.
# Variants are keyed CHROM:POS:REF:ALT, CHROM without "chr" as plink2 prints it (the VCF must be
# biallelic, as plink2 reads it).
# Usage: bench/glm_arbiter.sh WORK PRECIS_GLM PLINK2_GLM VCF PHENOTYPES_TSV COVARIATES_TSV [PEER_NAME]
#   WORK: a directory for the arbiter's files (arb_*); the TSVs are precis simulate's (sample_id first);
#   PEER_NAME names PLINK2_GLM's tool in the report (default plink2).
set -euo pipefail
work=$1 precis=$2 plink=$3 vcf=$4 pheno=$5 covar=$6 peer=${7:-plink2}
mkdir -p "$work"
# plink2 v2.0 adds columns (PROVISIONAL_REF?, OMITTED, A1_FREQ): the peer's table is cut to precis's
# columns, by name, so that both are read by position below.
awk -F'\t' -v OFS='\t' 'NR == FNR {for (i = 1; i <= NF; i++) want[i] = $i; next}
  FNR == 1 {for (i = 1; i <= NF; i++) at[$i] = i}
  {line = $at[want[1]]; for (i = 2; i in want; i++) line = line OFS $at[want[i]]; print line}' \
  <(head -1 "$precis") "$plink" >"$work/arb_peer.tsv"
plink=$work/arb_peer.tsv
# Variants with a p in both and the same FIRTH? flag: |delta log10 p| and relative delta beta (beta =
# Z_STAT * LOG(OR)_SE, 6 significant digits each), worst first.
key='($1 ~ /^chr/ ? substr($1, 4) : $1) ":" $2 ":" $4 ":" $5'
awk -F'\t' "FNR == 1 {next} NR == FNR {k = $key; p[k] = \$13; b[k] = \$12 * \$11; f[k] = \$7; next}
  {k = $key} (k in p) && \$7 == f[k] && \$13 != \"NA\" && p[k] != \"NA\" && b[k] != 0 {
  d = log(\$13) / log(10) - log(p[k]) / log(10); r = (\$12 * \$11 - b[k]) / b[k]
  print (d < 0 ? -d : d) \"\t\" k \"\t\" (r < 0 ? -r : r) \"\t\" \$7}" "$plink" "$precis" | sort -g -r >"$work/arb_all.tsv"
sort -t$'\t' -k3,3gr "$work/arb_all.tsv" >"$work/arb_by_beta.tsv"
{ awk -F'\t' 'NR <= 50' "$work/arb_all.tsv"; awk -F'\t' 'NR <= 50' "$work/arb_by_beta.tsv"; } | cut -f2,4 | sort -u >"$work/arb_worst.txt"
{ cat "$work/arb_worst.txt"; awk -F'\t' 'NR == FNR {w[$1] = 1; next} !($2 in w) {print $2 "\t" $4}' "$work/arb_worst.txt" "$work/arb_all.tsv" |
  awk 'BEGIN {srand(1)} {print rand() "\t" $0}' | sort -g | awk -F'\t' 'NR <= 200 {print $2 "\t" $3}'; } >"$work/arb_ids.txt"
# Their positions with the VCF's contig names (as precis prints them), then their genotypes.
awk -F'\t' "NR == FNR {want[\$1] = 1; next} FNR > 1 && ($key in want) {print \$1 \"\t\" \$2}" "$work/arb_ids.txt" "$precis" |
  sort -k1,1 -k2,2n -u >"$work/arb_regions.txt"
bcftools query -l "$vcf" >"$work/arb_samples.txt"
bcftools query -T "$work/arb_regions.txt" -f '%CHROM:%POS:%REF:%ALT[\t%GT]\n' "$vcf" |
  awk -F'\t' 'NR == FNR {firth[$1] = $2; next} {k = $1; sub(/^chr/, "", k)} (k in firth) {$1 = k; print firth[k] "\t" $0}' OFS='\t' \
  "$work/arb_ids.txt" - >"$work/arb_gt.tsv"
cat >"$work/arb.R" <<'REOF'
args <- commandArgs(TRUE)
suppressPackageStartupMessages(library(brglm2))
samples <- readLines(args[2])
p <- read.delim(args[3]); cv <- read.delim(args[4])
y <- p$disease[match(samples, p$sample_id)]
age <- cv$age[match(samples, cv$sample_id)]; sex <- cv$sex[match(samples, cv$sample_id)]
for (line in readLines(args[1])) {
  f <- strsplit(line, "\t", fixed = TRUE)[[1]]
  gt <- f[-(1:2)]
  d <- ifelse(grepl(".", gt, fixed = TRUE), NA, (substr(gt, 1, 1) != "0") + (substr(gt, 3, 3) != "0"))
  ok <- !is.na(d) & !is.na(y)
  m <- suppressWarnings(if (f[1] == "Y") {
    glm(y[ok] ~ d[ok] + age[ok] + sex[ok], family = binomial, method = "brglmFit", type = "AS_mean", start = rep(0, 4),
        control = brglmControl(epsilon = 1e-12, maxit = 200))
  } else {
    glm(y[ok] ~ d[ok] + age[ok] + sex[ok], family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  })  # (rare variants: "fitted probabilities numerically 0 or 1")
  s <- summary(m)$coefficients[2, ]
  cat(sprintf("%s\t%.12g\t%.12g\t%s\n", f[2], s[1], s[4], f[1]))
}
REOF
Rscript "$work/arb.R" "$work/arb_gt.tsv" "$work/arb_samples.txt" "$pheno" "$covar" >"$work/arb_r.tsv"
# Per tool against R, for the plain logistic (N) and Firth (Y) fits.
cmp_tool() {
  awk -F'\t' -v firth="$2" "NR == FNR {b[\$1] = \$2; p[\$1] = \$3; fi[\$1] = \$4; next} FNR > 1 {k = $key}
    FNR > 1 && (k in b) && fi[k] == firth {
    n++; d = log(\$13) / log(10) - log(p[k]) / log(10); if (d < 0) d = -d; if (d > dl) dl = d
    if (d >= 1e-3) nl++
    bt = \$12 * \$11; den = b[k] < 0 ? -b[k] : b[k]; r = (bt - b[k]) / den; if (r < 0) r = -r
    if (r > db) db = r; if (r >= 1e-4) nb++ }
    END {printf \"%d variants: max |delta log10 p| %.3g (%d >= 1e-3), max relative delta beta %.3g (%d >= 1e-4)\n\",
         n, dl, nl, db, nb}" "$work/arb_r.tsv" "$1"
}
# The 5 worst of a list (column 2: key) with each tool's and R's value (p: column 13; beta: Z * SE).
worst() {
  awk -F'\t' -v what="$1" "FILENAME == ARGV[1] {r[\$1] = what == \"p\" ? \$3 : \$2; next}
    FILENAME == ARGV[2] || FILENAME == ARGV[3] {if (FNR == 1) next; k = $key; v = what == \"p\" ? \$13 : \$12 * \$11
      if (FILENAME == ARGV[2]) pp[k] = v; else pl[k] = v; next}
    FNR <= 5 {printf \"- %s (%s): %s precis %.6g, $peer %.6g, R %.6g\n\", \$2, \$4 == \"Y\" ? \"Firth\" : \"logistic\", what, pp[\$2], pl[\$2], r[\$2]}" \
    "$work/arb_r.tsv" "$precis" "$plink" "$2"
}
echo "The 5 variants whose p differ most:"
worst p "$work/arb_all.tsv"
echo "The 5 variants whose beta differ most (relative):"
worst beta "$work/arb_by_beta.tsv"
echo "On those $(wc -l <"$work/arb_worst.txt") + $(($(wc -l <"$work/arb_ids.txt") - $(wc -l <"$work/arb_worst.txt"))) random:"
echo "- precis vs R, logistic: $(cmp_tool "$precis" N)"
echo "- $peer vs R, logistic: $(cmp_tool "$plink" N)"
echo "- precis vs R, Firth: $(cmp_tool "$precis" Y)"
echo "- $peer vs R, Firth: $(cmp_tool "$plink" Y)"
