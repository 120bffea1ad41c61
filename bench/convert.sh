#!/usr/bin/env bash
# precis convert vs bcftools view -Ob on the same simulated 2,000-sample x 50,000-variant VCF, same
# thread count, in one run. Reports time ratio, peak memory and bytes per genotype.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=bench/work/convert
mkdir -p "$work"
timings=$work/timings.txt
: >"$timings"
reps=${BENCH_REPS:-3}

if [ ! -s "$work/world/cohort.vcf.gz.tbi" ]; then
  "$PRECIS" simulate --out-dir "$work/world" --seed 1 --samples 2000 --variants 50000 --contigs 2 \
    --contig-length 5000000 --genes 20 --patients 0 --quiet >&2
fi
vcf=$work/world/cohort.vcf.gz
nvar=$(bcftools index -n "$vcf")
nsam=$(bcftools query -l "$vcf" | wc -l)

for rep in $(seq "$reps"); do
  measure "bcftools_view_Ob" -- bcftools view --threads 0 -Ob -o "$work/cohort.bcf" "$vcf"
  measure "precis_convert_1rank" -- "$PRECIS" convert --vcf "$vcf" --out "$work/cohort.h5" --threads 1 --quiet
  measure "precis_convert_2ranks" -- mpiexec --oversubscribe -n 2 "$PRECIS" convert --vcf "$vcf" \
    --out "$work/cohort2.h5" --threads 1 --quiet
done

bcf_bytes=$(stat -c %s "$work/cohort.bcf")
h5_bytes=$(stat -c %s "$work/cohort.h5")
gts=$((nvar * nsam))
t_bcf=$(median bcftools_view_Ob 2)
t_p1=$(median precis_convert_1rank 2)
t_p2=$(median precis_convert_2ranks 2)
cat <<EOT
## convert: VCF.gz -> cohort.h5 vs bcftools view -Ob (BCF)

Input: simulated cohort, $nsam samples x $nvar records (bgzipped VCF, $(stat -c %s "$vcf") bytes); 1 thread each;
median of $reps runs (wall seconds). Peak memory from /usr/bin/time (max RSS of one process).

| tool | wall s | ratio vs bcftools | peak RSS MB | output bytes | bits / genotype |
|---|---|---|---|---|---|
| bcftools view -Ob | $t_bcf | 1.00 | $(( $(median bcftools_view_Ob 5) / 1024 )) | $bcf_bytes | $(awk -v b="$bcf_bytes" -v g="$gts" 'BEGIN {printf "%.3f", 8 * b / g}') |
| precis convert, 1 rank | $t_p1 | $(ratio "$t_p1" "$t_bcf") | $(( $(median precis_convert_1rank 5) / 1024 )) | $h5_bytes | $(awk -v b="$h5_bytes" -v g="$gts" 'BEGIN {printf "%.3f", 8 * b / g}') |
| precis convert, 2 ranks | $t_p2 | $(ratio "$t_p2" "$t_bcf") | $(( $(median precis_convert_2ranks 5) / 1024 )) (per rank) | $(stat -c %s "$work/cohort2.h5") | |

Parallel efficiency 1 -> 2 ranks: $(awk -v a="$t_p1" -v b="$t_p2" 'BEGIN {printf "%.2f", a / (2 * b)}')
(2 ranks share this machine's 2 cores with mpiexec; genotype counts: $gts).
EOT
