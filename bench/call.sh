#!/usr/bin/env bash
# precis call vs bcftools mpileup | bcftools call -m (and freebayes, BENCH_CALL_FREEBAYES=1) on the same BAMs:
# GRCh37 chr20:1-4,000,000 with real 1000 Genomes haplotypes applied by precis simulate (3 patients, 30x
# 2x150 bp, truth recorded), aligned with bwa mem. Single-sample (P0001) and 3-sample joint; SNV and indel
# precision/recall/F1 after bcftools norm (bench/call_compare.py); CPU time and wall time at the same threads.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_CALL_WORK:-bench/work/call}
threads=${BENCH_CALL_THREADS:-2}
mkdir -p "$work"
timings=$(cd "$work" && pwd)/timings.txt
: >"$timings"
w=$work/w
samples=(P0001 P0002 P0003)
if [ ! -s "$w/patients/P0003.truth.vcf.gz" ]; then
  "$PRECIS" simulate --out-dir "$w" --ref /usr/share/doc/vt/examples/ref/20.fa.gz --ref-region 20:1-4000000 \
    --haplotypes /usr/share/doc/shapeit4/examples/test/reference.vcf.gz --patients 3 --coverage 30 \
    --samples 100 --variants 20000 --quiet >&2
fi
ref=$w/reference.fa
[ -s "$ref.bwt" ] || bwa index "$ref" 2>/dev/null
for s in "${samples[@]}"; do
  [ -s "$work/$s.bam.bai" ] && continue
  bwa mem -t "$threads" -R "@RG\tID:$s\tSM:$s" "$ref" "$w/patients/${s}_R1.fq.gz" "$w/patients/${s}_R2.fq.gz" 2>/dev/null |
    samtools sort -@ "$threads" -o "$work/$s.bam" - 2>/dev/null
  samtools index "$work/$s.bam"
done
region=20:1-4000000
bams=("$work/P0001.bam" "$work/P0002.bam" "$work/P0003.bam")
# The same BAMs subsampled to 80 % of the read pairs (24x), as in the issue's reference numbers.
for s in "${samples[@]}"; do
  [ -s "$work/$s.24x.bam.bai" ] && continue
  samtools view -b -s 7.8 -o "$work/$s.24x.bam" "$work/$s.bam" && samtools index "$work/$s.24x.bam"
done
low=("$work/P0001.24x.bam" "$work/P0002.24x.bam" "$work/P0003.24x.bam")

measure precis_single -- "$PRECIS" call --ref "$ref" --bam "${bams[0]}" --out "$work/precis_single.vcf.gz" \
  --threads "$threads" --quiet
measure bcftools_single -- sh -c "bcftools mpileup --threads $threads -f $ref -a AD,DP -Ou ${bams[0]} 2>/dev/null |
  bcftools call --threads $threads -mv -Oz -o $work/bcftools_single.vcf.gz"
measure precis_joint -- "$PRECIS" call --ref "$ref" --bam "${bams[0]}" --bam "${bams[1]}" --bam "${bams[2]}" \
  --out "$work/precis_joint.vcf.gz" --threads "$threads" --quiet
measure bcftools_joint -- sh -c "bcftools mpileup --threads $threads -f $ref -a AD,DP -Ou ${bams[*]} 2>/dev/null |
  bcftools call --threads $threads -mv -Oz -o $work/bcftools_joint.vcf.gz"
measure precis_joint24 -- "$PRECIS" call --ref "$ref" --bam "${low[0]}" --bam "${low[1]}" --bam "${low[2]}" \
  --out "$work/precis_joint24.vcf.gz" --threads "$threads" --quiet
measure bcftools_joint24 -- sh -c "bcftools mpileup --threads $threads -f $ref -a AD,DP -Ou ${low[*]} 2>/dev/null |
  bcftools call --threads $threads -mv -Oz -o $work/bcftools_joint24.vcf.gz"
measure precis_joint_2ranks -- mpiexec --oversubscribe -n 2 "$PRECIS" call --ref "$ref" --bam "${bams[0]}" \
  --bam "${bams[1]}" --bam "${bams[2]}" --out "$work/precis_joint_np2.vcf.gz" --threads 1 --quiet
have_freebayes=no
if [ "${BENCH_CALL_FREEBAYES:-0}" = 1 ] && command -v freebayes >/dev/null; then
  have_freebayes=yes
  measure freebayes_single -- sh -c "freebayes -f $ref ${bams[0]} | bgzip > $work/freebayes_single.vcf.gz"
  bcftools index -f -t "$work/freebayes_single.vcf.gz"
fi

acc="$work/accuracy.tsv"
: >"$acc"
compare() {  # label calls truth_sample
  python3 "$here/call_compare.py" "$ref" "$w/patients/$3.truth.vcf.gz" "$3" "$2" "$3" --regions "$region" --label "$1" >>"$acc"
}
compare "precis single P0001" "$work/precis_single.vcf.gz" P0001
compare "bcftools single P0001" "$work/bcftools_single.vcf.gz" P0001
[ $have_freebayes = yes ] && compare "freebayes single P0001" "$work/freebayes_single.vcf.gz" P0001
for s in "${samples[@]}"; do
  compare "precis joint $s" "$work/precis_joint.vcf.gz" "$s"
  compare "bcftools joint $s" "$work/bcftools_joint.vcf.gz" "$s"
done
for s in "${samples[@]}"; do
  compare "precis joint 24x $s" "$work/precis_joint24.vcf.gz" "$s"
  compare "bcftools joint 24x $s" "$work/bcftools_joint24.vcf.gz" "$s"
done
same=$(cmp -s <(bcftools view -H "$work/precis_joint.vcf.gz") <(bcftools view -H "$work/precis_joint_np2.vcf.gz") && echo yes || echo NO)

cpu() { awk -v l="$1" '$1 == l {print $3 + $4}' "$timings" | head -1; }
wall() { median "$1" 2; }
echo "## call: precis call vs bcftools mpileup | bcftools call -m"
echo
echo "GRCh37 chr20:1-4,000,000 with real 1000 Genomes haplotypes (shapeit4 example panel) applied by"
echo "\`precis simulate\`; 3 patients at 30x 2x150 bp, aligned with bwa mem, sorted with samtools. Truth: the"
echo "simulation's per-patient VCFs; \"24x\" rows use the same BAMs subsampled to 80 % of the pairs (samtools view -s). Both call sets and the truth are normalised with \`bcftools norm -m- -f\`;"
echo "a call is (CHROM, POS, REF, ALT) carried by the sample's GT, PASS (precis) or unfiltered (bcftools, which"
echo "sets no FILTER). Same BAMs, same $threads threads, one run on a shared 2-core machine (other engineers were"
echo "building and testing at the same time, so wall times are noisy; CPU = user + sys)."
echo
echo "| call set | class | TP | FP | FN | precision | recall | F1 |"
echo "|---|---|---|---|---|---|---|---|"
awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | **%s** |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$acc"
echo
echo "| run | wall s | CPU s | CPU vs bcftools |"
echo "|---|---|---|---|"
for mode in single joint joint24; do
  b=$(cpu bcftools_$mode)
  echo "| precis call, ${mode/joint24/joint 24x} | $(wall precis_$mode) | $(cpu precis_$mode) | $(ratio "$(cpu precis_$mode)" "$b") |"
  echo "| bcftools mpileup \\| call -m, ${mode/joint24/joint 24x} | $(wall bcftools_$mode) | $b | 1.00 |"
done
echo "| precis call, joint, 2 MPI ranks x 1 thread | $(wall precis_joint_2ranks) | $(cpu precis_joint_2ranks) | $(ratio "$(cpu precis_joint_2ranks)" "$(cpu bcftools_joint)") |"
[ $have_freebayes = yes ] && echo "| freebayes, single | $(wall freebayes_single) | $(cpu freebayes_single) | $(ratio "$(cpu freebayes_single)" "$(cpu bcftools_single)") |"
echo
echo "Joint records identical at 1 process x $threads threads and 2 ranks x 1 thread: $same."
