#!/usr/bin/env bash
# precis score vs plink2 --score on the same PGS Catalog file and cohort (VCF for plink2, cohort.h5 for
# precis), 1 thread each. Reports time ratio and max |difference| of the score sums.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=bench/work/score
mkdir -p "$work"
timings=$work/timings.txt
: >"$timings"
reps=${BENCH_REPS:-3}
samples=${BENCH_SCORE_SAMPLES:-4000}
variants=${BENCH_SCORE_VARIANTS:-50000}

if [ ! -s "$work/cohort.h5" ] || ! grep -q 'weights sd 1e-3' "$work/pgs.txt"; then
  "$PRECIS" simulate --out-dir "$work/world" --seed 5 --samples "$samples" --variants "$variants" --contigs 2 \
    --contig-length 10000000 --genes 4 --patients 0 --quiet >&2
  "$PRECIS" convert --vcf "$work/world/cohort.vcf.gz" --out "$work/cohort.h5" --quiet >&2
  bcftools norm -m- "$work/world/cohort.vcf.gz" -Oz -o "$work/split.vcf.gz" 2>/dev/null
  # A PGS file weighting every biallelic row (deterministic pseudo-random weights of the size a genome-wide
  # score's weights have, sd 1e-3, so sums stay near or below 1), no frequency column.
  {
    printf '###PGS CATALOG SCORING FILE\n#pgs_id=bench\n#note=weights sd 1e-3\n#weight_type=beta\n'
    printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n'
    bcftools query -f '%CHROM\t%POS\t%ALT\t%REF\n' "$work/split.vcf.gz" |
      awk -F'\t' 'BEGIN {srand(7)} {printf "%s\t%s\t%s\t%s\t%.9f\n", $1, $2, $3, $4, (rand() - 0.5) * 0.0035}'
  } >"$work/pgs.txt"
  grep -v '^#' "$work/pgs.txt" | tail -n +2 |
    awk -F'\t' '{c = $1; sub(/^chr/, "", c); print c ":" $2 ":" $4 ":" $3 "\t" $3 "\t" $5}' >"$work/plink_score.txt"
  plink2 --vcf "$work/split.vcf.gz" --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --make-pgen \
    --out "$work/cohort" --threads 1 >/dev/null
fi
nw=$(grep -vc '^#' "$work/pgs.txt")
for rep in $(seq "$reps"); do
  measure plink2_score -- plink2 --pfile "$work/cohort" --score "$work/plink_score.txt" 1 2 3 cols=+scoresums \
    no-mean-imputation --threads 1 --out "$work/plink"
  measure precis_score_1rank -- "$PRECIS" score --pgs "$work/pgs.txt" --cohort "$work/cohort.h5" --out "$work/s1.tsv" \
    --threads 1 --quiet
  measure precis_score_2ranks -- mpiexec --oversubscribe -n 2 "$PRECIS" score --pgs "$work/pgs.txt" \
    --cohort "$work/cohort.h5" --out "$work/s2.tsv" --threads 1 --quiet
done
read -r maxabs maxsum < <(awk 'NR == FNR {if (FNR > 1) p[$1] = $NF; next} FNR > 1 {d = $2 - p[$1]; if (d < 0) d = -d;
  a = $2 < 0 ? -$2 : $2; if (d > m) m = d; if (a > x) x = a} END {printf "%.3g %.3g\n", m, x}' \
  "$work/plink.sscore" "$work/s1.tsv")
t_k=$(median plink2_score 2)
t_p1=$(median precis_score_1rank 2)
t_p2=$(median precis_score_2ranks 2)
cat <<EOT
## score: precis score vs plink2 --score (same PGS Catalog file, every variant weighted)

Input: simulated cohort, $samples samples x $variants records ($((nw - 1)) biallelic rows weighted); plink2 reads
its own .pgen (converted once, not timed), precis reads cohort.h5; 1 thread each; median of $reps runs (wall
seconds); shared 2-core machine.

| tool | wall s | ratio vs plink2 | peak RSS MB |
|---|---|---|---|
| plink2 --score (no-mean-imputation) | $t_k | 1.00 | $(( $(median plink2_score 5) / 1024 )) |
| precis score, 1 rank | $t_p1 | $(ratio "$t_p1" "$t_k") | $(( $(median precis_score_1rank 5) / 1024 )) |
| precis score, 2 ranks | $t_p2 | $(ratio "$t_p2" "$t_k") | $(( $(median precis_score_2ranks 5) / 1024 )) (per rank) |

Max |precis - plink2| of the per-sample sums: $maxabs (goal 1e-6; largest |sum| $maxsum). plink2 prints 6
significant digits (chrchang/plink-ng#248), so the weights have the size of a genome-wide score's (sd 1e-3)
and the sums stay near 1, where its printed digits resolve 1e-6. 1 rank and 2 ranks identical: $(cmp -s "$work/s1.tsv" "$work/s2.tsv" && echo yes || echo no).
EOT
