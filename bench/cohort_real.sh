#!/usr/bin/env bash
# The cohort commands at the issue's sample count on real haplotypes: a 20,000-sample cohort copied from
# the 1000 Genomes haplotypes of chr20:1-4 Mb (shapeit4 example panel, every one of its 24,990 sites),
# precis vs plink2 side by side in one run, same input, same thread budget:
#   qc   vs plink2 --freq --hardy --missing
#   pca  vs plink2 --pca approx 10 (on the variants and samples precis qc keeps)
#   gwas vs plink2 --glm firth-fallback (disease ~ dosage + age + sex); also against Debian 13's plink2,
#        which fits in double precision (plink2_debian13 in lib.sh), when deb.debian.org is in reach
#   score vs plink2 --score (a PGS of every biallelic row with weights of a genome-wide score's size)
# precis reads cohort.h5, plink2 a .pgen of the same split VCF; conversions are timed once, separately.
# Each precis command runs at 1 rank x 1 thread and 2 ranks x 1 thread (1 -> 2 rank efficiency), plink2
# at --threads 1 and 2. Size: BENCH_REAL_SAMPLES (default 20000). Prints a markdown section.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
samples=${BENCH_REAL_SAMPLES:-20000}
ref=/usr/share/doc/vt/examples/ref/20.fa.gz
panel=/usr/share/doc/shapeit4/examples/test/reference.vcf.gz
work=bench/work/cohort_real
world=$work/world
mkdir -p "$work"
timings=$work/timings.txt
: >"$timings"
mpi=(mpiexec --oversubscribe -n 2)

if [ ! -s "$world/cohort.vcf.gz" ]; then
  measure simulate -- "$PRECIS" simulate --out-dir "$world" --seed 3 --ref "$ref" --ref-region 20:1-4000000 \
    --haplotypes "$panel" --samples "$samples" --variants 24990 --patients 0 --causal 100 --threads 2 --quiet
fi
if [ ! -s "$work/converted.h5" ]; then
  measure convert -- "$PRECIS" convert --vcf "$world/cohort.vcf.gz" --phenotypes "$world/phenotypes.tsv" \
    --covariates "$world/covariates.tsv" --out "$work/converted.h5" --threads 2 --quiet
  bcftools norm -m- -Oz -o "$work/split.vcf.gz" "$world/cohort.vcf.gz" 2>/dev/null
  bcftools index -t "$work/split.vcf.gz"
  measure plink2_make_pgen -- plink2 --vcf "$work/split.vcf.gz" --set-all-var-ids '@:#:$r:$a' \
    --new-id-max-allele-len 1000 --make-pgen --out "$work/cohort" --threads 2
  sed '1s/^sample_id/#IID/' "$world/phenotypes.tsv" >"$work/pheno.tsv"
  sed '1s/^sample_id/#IID/' "$world/covariates.tsv" >"$work/covar.tsv"
  # Weights of the size a genome-wide PGS has (sd 1e-3): sums stay below 1, where plink2's 6 printed
  # significant digits resolve 1e-6.
  {
    printf '###PGS CATALOG SCORING FILE\n#pgs_id=bench_real\n#weight_type=beta\n'
    printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n'
    bcftools query -f '%CHROM\t%POS\t%ALT\t%REF\n' "$work/split.vcf.gz" |
      awk -F'\t' 'BEGIN {srand(11)} {printf "%s\t%s\t%s\t%s\t%.9f\n", $1, $2, $3, $4, (rand() - 0.5) * 0.0035}'
  } >"$work/pgs.txt"
  grep -v '^#' "$work/pgs.txt" | tail -n +2 |
    awk -F'\t' '{c = $1; sub(/^chr/, "", c); print c ":" $2 ":" $4 ":" $3 "\t" $3 "\t" $5}' >"$work/plink_score.txt"
fi
h5=$work/cohort.h5
cp "$work/converted.h5" "$h5"  # without the qc masks and PCs an earlier run wrote
pl=(--pfile "$work/cohort")
nsam=$(($(wc -l <"$work/cohort.psam") - 1))
nvar=$(($(wc -l <"$work/cohort.pvar") - $(grep -c '^##' "$work/cohort.pvar") - 1))

# gwas and score first: qc then writes its masks into cohort.h5, which later commands honour
glm=(--pheno "$work/pheno.tsv" --1 --covar "$work/covar.tsv" --covar-variance-standardize
  --glm firth-fallback hide-covar omit-ref)
gw=(gwas --cohort "$h5" --phenotype disease --covariates age,sex --quiet)
measure plink2_gwas_t1 -- plink2 "${pl[@]}" "${glm[@]}" --threads 1 --out "$work/plgw"
measure plink2_gwas_t2 -- plink2 "${pl[@]}" "${glm[@]}" --threads 2 --out "$work/plgw"
measure precis_gwas_1 -- "$PRECIS" "${gw[@]}" --threads 1 --out "$work/gw1"
measure precis_gwas_2 -- "${mpi[@]}" "$PRECIS" "${gw[@]}" --threads 1 --out "$work/gw2"
read -r shared dlp rdb dse nrel fm o1 o2 _ <<<"$(awk -f tests/e2e/glm_compare.awk \
  "$work/gw1.disease.glm.logistic.hybrid" "$work/plgw.disease.glm.logistic.hybrid")"
cmp -s "$work/gw1.disease.glm.logistic.hybrid" "$work/gw2.disease.glm.logistic.hybrid" && gw_same=yes || gw_same=no
# R glm as the arbiter where precis and plink2 differ (bench/glm_arbiter.sh).
r_check="(Rscript not installed)"
command -v Rscript >/dev/null && r_check=$(bash bench/glm_arbiter.sh "$work" "$work/gw1.disease.glm.logistic.hybrid" \
  "$work/plgw.disease.glm.logistic.hybrid" "$work/split.vcf.gz" "$world/phenotypes.tsv" "$world/covariates.tsv" | sed "s/^/  /")

# The same against Debian 13's plink2 (double precision), when it can be fetched.
pl13=$(plink2_debian13)
gw13="(Debian 13's plink2 could not be fetched from deb.debian.org)"
if [ -n "$pl13" ]; then
  measure plink2_13_gwas_t1 -- "$pl13" "${pl[@]}" "${glm[@]}" --threads 1 --out "$work/plgw13"
  measure plink2_13_gwas_t2 -- "$pl13" "${pl[@]}" "${glm[@]}" --threads 2 --out "$work/plgw13"
  read -r s13 dlp13 rdb13 dse13 nrel13 fm13 _ <<<"$(awk -f tests/e2e/glm_compare.awk \
    "$work/gw1.disease.glm.logistic.hybrid" "$work/plgw13.disease.glm.logistic.hybrid")"
  gw13="$s13 variants with a p-value in both: max |delta log10 p| = $dlp13; max relative delta beta = $rdb13
  ($nrel13 variants >= 1e-4); max |delta beta| / SE = $dse13; FIRTH? differs on $fm13."
  command -v Rscript >/dev/null && gw13="$gw13 R as the arbiter, as above:
$(bash bench/glm_arbiter.sh "$work/arbiter13" "$work/gw1.disease.glm.logistic.hybrid" \
    "$work/plgw13.disease.glm.logistic.hybrid" "$work/split.vcf.gz" "$world/phenotypes.tsv" \
    "$world/covariates.tsv" "plink2 $("$pl13" --version | cut -d' ' -f2)" | sed "s/^/  /")"
fi

# score
measure plink2_score_t1 -- plink2 "${pl[@]}" --score "$work/plink_score.txt" 1 2 3 cols=+scoresums \
  no-mean-imputation --threads 1 --out "$work/plsc"
measure precis_score_1 -- "$PRECIS" score --pgs "$work/pgs.txt" --cohort "$h5" --out "$work/s1.tsv" --threads 1 --quiet
measure precis_score_2 -- "${mpi[@]}" "$PRECIS" score --pgs "$work/pgs.txt" --cohort "$h5" --out "$work/s2.tsv" \
  --threads 1 --quiet
read -r sc_abs sc_max < <(awk 'NR == FNR {if (FNR > 1) p[$1] = $NF; next}
  FNR > 1 {d = $2 - p[$1]; if (d < 0) d = -d; if (d > m) m = d; a = $2 < 0 ? -$2 : $2; if (a > x) x = a}
  END {printf "%.3g %.3g\n", m, x}' "$work/plsc.sscore" "$work/s1.tsv")
cmp -s "$work/s1.tsv" "$work/s2.tsv" && sc_same=yes || sc_same=no

# qc
measure plink2_qc_t1 -- plink2 "${pl[@]}" --freq --hardy --missing --threads 1 --out "$work/plqc"
measure plink2_qc_t2 -- plink2 "${pl[@]}" --freq --hardy --missing --threads 2 --out "$work/plqc"
measure precis_qc_1 -- "$PRECIS" qc --cohort "$h5" --threads 1 --quiet
measure precis_qc_2 -- "${mpi[@]}" "$PRECIS" qc --cohort "$h5" --threads 1 --quiet
"$PRECIS" qc --cohort "$h5" --tsv "$work/qc" --quiet

# pca on what qc keeps
awk -F'\t' 'NR > 1 && $12 == "kept" {sub(/^chr/, "", $1); print $1 ":" $2 ":" $3 ":" $4}' "$work/qc.variants.tsv" >"$work/keep.vars"
awk -F'\t' 'NR > 1 && $6 == "kept" {print $1}' "$work/qc.samples.tsv" >"$work/keep.samples"
sel=(--extract "$work/keep.vars" --keep "$work/keep.samples")
measure plink2_pca_t1 -- plink2 "${pl[@]}" "${sel[@]}" --pca approx 10 --threads 1 --out "$work/plpca"
measure plink2_pca_t2 -- plink2 "${pl[@]}" "${sel[@]}" --pca approx 10 --threads 2 --out "$work/plpca"
measure precis_pca_1 -- "$PRECIS" pca --cohort "$h5" --k 10 --threads 1 --tsv "$work/pc1" --quiet
measure precis_pca_2 -- "${mpi[@]}" "$PRECIS" pca --cohort "$h5" --k 10 --threads 1 --tsv "$work/pc2" --quiet
pca_agree=$(python3 tests/e2e/qc_pca/compare_pca.py "$work/pc1" "$work/plpca" 3 --label approx --max-rel 1 --min-corr 0 || true)

row() {  # label description reference-label
  local t r
  t=$(median "$1" 2)
  r=$(median "$3" 2)
  echo "| $2 | $t | $(awk -v u="$(median "$1" 3)" -v s="$(median "$1" 4)" 'BEGIN {printf "%.2f", u + s}') | $(ratio "$t" "$r") | $(($(median "$1" 5) / 1024)) |"
}
rows13=
[ -z "$pl13" ] || rows13="
$(row plink2_13_gwas_t1 "plink2 v2.0.0-a.6.9 (Debian 13, double precision) --glm firth-fallback, 1 thread" plink2_13_gwas_t1)
$(row precis_gwas_1 "precis gwas, 1 rank x 1 thread" plink2_13_gwas_t1)
$(row plink2_13_gwas_t2 "plink2 v2.0.0-a.6.9 --glm firth-fallback, 2 threads" plink2_13_gwas_t2)
$(row precis_gwas_2 "precis gwas, 2 ranks x 1 thread" plink2_13_gwas_t2)"
once() { [ -n "$(median "$1" 2)" ] && echo "$2 $(median "$1" 2) s wall, $(($(median "$1" 5) / 1024)) MB peak" || echo "$2 (made by an earlier run)"; }
cat <<EOT
## Cohort commands on 20,000 real-haplotype samples: precis vs plink2

Input: \`precis simulate --ref 20.fa.gz --ref-region 20:1-4000000 --haplotypes shapeit4 reference.vcf.gz
--samples $samples --variants 24990\`: $nsam samples whose haplotypes are Li-Stephens mosaics of the 1000
Genomes haplotypes of the panel (real allele frequencies and LD), $nvar biallelic rows after \`bcftools norm
-m-\` (the panel has 24,990 sites, so this is every real site available here, not the issue's 50,000; the
synthetic 10,000 x 20,000 and 20,000 x 100,000 runs are in gwas.md and train.md). One run each, wall and
CPU (user + sys) seconds, peak RSS of the largest process, on the shared 2-core machine.
$(once simulate "Simulation:"); $(once convert "precis convert:"); $(once plink2_make_pgen "plink2 --make-pgen:").

| run | wall s | CPU s | time vs plink2 (same threads) | peak RSS MB |
|---|---|---|---|---|
$(row plink2_qc_t1 "plink2 --freq --hardy --missing, 1 thread" plink2_qc_t1)
$(row precis_qc_1 "precis qc, 1 rank x 1 thread" plink2_qc_t1)
$(row plink2_qc_t2 "plink2 --freq --hardy --missing, 2 threads" plink2_qc_t2)
$(row precis_qc_2 "precis qc, 2 ranks x 1 thread" plink2_qc_t2)
$(row plink2_pca_t1 "plink2 --pca approx 10, 1 thread" plink2_pca_t1)
$(row precis_pca_1 "precis pca --k 10, 1 rank x 1 thread" plink2_pca_t1)
$(row plink2_pca_t2 "plink2 --pca approx 10, 2 threads" plink2_pca_t2)
$(row precis_pca_2 "precis pca --k 10, 2 ranks x 1 thread" plink2_pca_t2)
$(row plink2_gwas_t1 "plink2 --glm firth-fallback, 1 thread" plink2_gwas_t1)
$(row precis_gwas_1 "precis gwas, 1 rank x 1 thread" plink2_gwas_t1)
$(row plink2_gwas_t2 "plink2 --glm firth-fallback, 2 threads" plink2_gwas_t2)
$(row precis_gwas_2 "precis gwas, 2 ranks x 1 thread" plink2_gwas_t2)
$(row plink2_score_t1 "plink2 --score, 1 thread" plink2_score_t1)
$(row precis_score_1 "precis score, 1 rank x 1 thread" plink2_score_t1)
$(row precis_score_2 "precis score, 2 ranks x 1 thread" plink2_score_t1)$rows13

1 -> 2 rank efficiency (wall): qc $(efficiency precis_qc_1 precis_qc_2), pca $(efficiency precis_pca_1 precis_pca_2), gwas $(efficiency precis_gwas_1 precis_gwas_2), score $(efficiency precis_score_1 precis_score_2).

Agreement:
- gwas, $shared variants with a p-value in both: max |delta log10 p| = $dlp; max relative delta beta = $rdb
  ($nrel variants >= 1e-4); max |delta beta| / SE = $dse; FIRTH? differs on $fm; NA only in precis / plink2:
  $o1 / $o2; precis 1 rank = 2 ranks: $gw_same. R as the arbiter (bench/glm_arbiter.sh: disease ~ dosage + age +
  sex by \`glm\`, epsilon 1e-14, or by brglm2's Firth fit where both tools used Firth) on the 50 variants whose p
  differ most, the 50 whose beta differ most and 200 at random (Debian 12's plink2 v2.00a3.5 fits in single
  precision and has no option for double):
$r_check
- gwas against Debian 13's plink2 v2.0.0-a.6.9, which fits in double precision (its \`single-prec-cc\`
  modifier asks for single), with the same options: $gw13
- score: max |precis - plink2| of the per-sample sums = $sc_abs (largest |sum| $sc_max); 1 rank = 2 ranks: $sc_same.
- pca (1 rank vs plink2 approx):
\`\`\`
$pca_agree
\`\`\`
EOT
