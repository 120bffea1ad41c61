#!/usr/bin/env bash
# precis qc vs plink2 --freq --hardy --missing, and precis pca vs plink2 --pca approx (and exact), on the
# same simulated 5,000-sample x 20,000-variant cohort, in one run. precis reads its cohort.h5, plink2 its
# .pgen (both converted once, untimed). Same thread budget: 1 rank x 1 thread vs plink2 --threads 1, and
# 2 ranks x 1 thread vs plink2 --threads 2. Prints a markdown section.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=bench/work/qc_pca
mkdir -p "$work"
timings=$work/timings.txt
: >"$timings"
reps=${BENCH_REPS:-3}
exact=${BENCH_PCA_EXACT:-1}
mpi=(mpiexec --oversubscribe -n 2)

if [ ! -s "$work/cohort.h5" ]; then
  "$PRECIS" simulate --out-dir "$work/world" --seed 1 --samples 5000 --variants 20000 --contigs 1 \
    --contig-length 4000000 --genes 8 --patients 0 --quiet >&2
  "$PRECIS" convert --vcf "$work/world/cohort.vcf.gz" --out "$work/cohort.h5" --quiet >&2
  bcftools norm -m- -Oz -o "$work/split.vcf.gz" "$work/world/cohort.vcf.gz" 2>/dev/null
  plink2 --vcf "$work/split.vcf.gz" --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 \
    --make-pgen --out "$work/cohort" --threads 2 >/dev/null
fi
h5=$work/cohort.h5
pl=(--pfile "$work/cohort")
nsam=$(($(wc -l <"$work/cohort.psam") - 1))
nvar=$(($(wc -l <"$work/cohort.pvar") - $(grep -c '^##' "$work/cohort.pvar") - 1))

for rep in $(seq "$reps"); do
  measure plink2_qc_t1 -- plink2 "${pl[@]}" --freq --hardy --missing --threads 1 --out "$work/plqc"
  measure plink2_qc_t2 -- plink2 "${pl[@]}" --freq --hardy --missing --threads 2 --out "$work/plqc"
  measure precis_qc_1rank -- "$PRECIS" qc --cohort "$h5" --threads 1 --quiet
  measure precis_qc_2ranks -- "${mpi[@]}" "$PRECIS" qc --cohort "$h5" --threads 1 --quiet
done
# PCA on the variants and samples that pass precis qc (defaults), for both tools.
"$PRECIS" qc --cohort "$h5" --tsv "$work/qc" --quiet
awk -F'\t' 'NR > 1 && $12 == "kept" {sub(/^chr/, "", $1); print $1 ":" $2 ":" $3 ":" $4}' "$work/qc.variants.tsv" >"$work/keep.vars"
awk -F'\t' 'NR > 1 && $6 == "kept" {print $1}' "$work/qc.samples.tsv" >"$work/keep.samples"
sel=(--extract "$work/keep.vars" --keep "$work/keep.samples")
for rep in $(seq "$reps"); do
  measure plink2_pca_approx_t1 -- plink2 "${pl[@]}" "${sel[@]}" --pca approx 10 --threads 1 --out "$work/plapprox"
  measure plink2_pca_approx_t2 -- plink2 "${pl[@]}" "${sel[@]}" --pca approx 10 --threads 2 --out "$work/plapprox"
  measure precis_pca_1rank -- "$PRECIS" pca --cohort "$h5" --k 10 --threads 1 --tsv "$work/pc1" --quiet
  measure precis_pca_2ranks -- "${mpi[@]}" "$PRECIS" pca --cohort "$h5" --k 10 --threads 1 --tsv "$work/pc2" --quiet
done
[ "$exact" = 1 ] && measure plink2_pca_exact_t2 -- plink2 "${pl[@]}" "${sel[@]}" --pca 10 --threads 2 --out "$work/plexact"

row() {  # label tool-description reference-label
  local t r
  t=$(median "$1" 2)
  r=$(median "$3" 2)
  echo "| $2 | $t | $(ratio "$t" "$r") | $(($(median "$1" 5) / 1024)) |"
}
agree_approx=$(python3 tests/e2e/qc_pca/compare_pca.py "$work/pc1" "$work/plapprox" 3 --label approx --max-rel 1 --min-corr 0 || true)
agree_exact=""
[ "$exact" = 1 ] && agree_exact=$(python3 tests/e2e/qc_pca/compare_pca.py "$work/pc1" "$work/plexact" 3 --label exact --max-rel 1 --min-corr 0 || true)
cat <<EOT
## qc and pca: precis vs plink2

Input: simulated cohort, $nsam samples x $nvar biallelic rows (multi-allelic records split as bcftools norm -m-);
precis reads cohort.h5, plink2 a .pgen of the same split VCF (conversions not timed). PCA: $(wc -l <"$work/keep.vars")
variants x $(wc -l <"$work/keep.samples") samples kept by precis qc (defaults), k = 10; precis: randomized SVD,
l = 20, 4 power iterations. Median of $reps runs, wall seconds; peak RSS from /usr/bin/time (one process: for
2 ranks the largest rank). The machine (2 cores, shared with other jobs during this run) is not quiet.

| run | wall s | ratio vs plink2 (same threads) | peak RSS MB |
|---|---|---|---|
$(row plink2_qc_t1 "plink2 --freq --hardy --missing, 1 thread" plink2_qc_t1)
$(row precis_qc_1rank "precis qc, 1 rank x 1 thread" plink2_qc_t1)
$(row plink2_qc_t2 "plink2 --freq --hardy --missing, 2 threads" plink2_qc_t2)
$(row precis_qc_2ranks "precis qc, 2 ranks x 1 thread" plink2_qc_t2)
$(row plink2_pca_approx_t1 "plink2 --pca approx 10, 1 thread" plink2_pca_approx_t1)
$(row precis_pca_1rank "precis pca, 1 rank x 1 thread" plink2_pca_approx_t1)
$(row plink2_pca_approx_t2 "plink2 --pca approx 10, 2 threads" plink2_pca_approx_t2)
$(row precis_pca_2ranks "precis pca, 2 ranks x 1 thread" plink2_pca_approx_t2)
$([ "$exact" = 1 ] && row plink2_pca_exact_t2 "plink2 --pca 10 (exact), 2 threads" plink2_pca_approx_t2)

Parallel efficiency 1 -> 2 ranks: qc $(efficiency precis_qc_1rank precis_qc_2ranks), pca $(efficiency precis_pca_1rank precis_pca_2ranks).
(The exact row's ratio is against plink2 --pca approx at 2 threads.)

Agreement of precis pca (1 rank) with plink2 (|correlation| of the scores, eigenvalues):
\`\`\`
$agree_approx
$agree_exact
\`\`\`
EOT
