#!/usr/bin/env bash
# precis call vs bcftools mpileup | bcftools call -m (and freebayes, BENCH_CALL_FREEBAYES=1) on the same BAMs:
# GRCh37 chr20:1-4,000,000 with real 1000 Genomes haplotypes applied by precis simulate (3 patients, 30x
# 2x150 bp, truth recorded), aligned twice from the same reads: bwa mem (+ samtools sort) and precis align
# (after precis index). Both callers run on both aligners' BAMs. Single-sample (P0001) and 3-sample joint;
# SNV and indel precision/recall/F1 after bcftools norm (bench/call_compare.py); CPU time (user + sys) at
# the same threads (wall times are in $work/timings.txt).
# Reuse: the simulation, the bwa index, the precis index and every BAM (+ .bai) already in $BENCH_CALL_WORK
# are kept; calls, timings and scores are redone on every run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
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
region=20:1-4000000

# Aligner 1: bwa mem | samtools sort, BAMs in $work (as in earlier runs, so they are reused).
[ -s "$ref.bwt" ] || bwa index "$ref" 2>/dev/null
for s in "${samples[@]}"; do
  [ -s "$work/$s.bam.bai" ] && continue
  measure "align_bwa_$s" -- sh -c "bwa mem -t $threads -R '@RG\tID:$s\tSM:$s' $ref $w/patients/${s}_R1.fq.gz \
    $w/patients/${s}_R2.fq.gz 2>/dev/null | samtools sort -@ $threads -o $work/$s.bam - 2>/dev/null"
  samtools index "$work/$s.bam"
done
# Aligner 2: precis index + precis align (sorted, indexed BAM directly), BAMs in $work/precis_align.
pa=$work/precis_align
mkdir -p "$pa"
[ -s "$ref.pidx" ] || measure index_precis -- "$PRECIS" index --ref "$ref" --out "$ref.pidx" --threads "$threads" --quiet
for s in "${samples[@]}"; do
  [ -s "$pa/$s.bam.bai" ] && continue
  measure "align_precis_$s" -- "$PRECIS" align --ref "$ref" --index "$ref.pidx" --reads1 "$w/patients/${s}_R1.fq.gz" \
    --reads2 "$w/patients/${s}_R2.fq.gz" --out "$pa/$s.bam" --read-group "@RG\tID:$s\tSM:$s" --threads "$threads" --quiet
  [ -s "$pa/$s.bam.bai" ] || { echo "precis align gave no $pa/$s.bam.bai" >&2; exit 1; }
done

aligners=(bwa precis)
declare -A bamdir=([bwa]=$work [precis]=$pa)
declare -A aname=([bwa]="bwa mem" [precis]="precis align")
# The same BAMs subsampled to 80 % of the read pairs (24x), as in the issue's reference numbers.
for a in "${aligners[@]}"; do
  d=${bamdir[$a]}
  for s in "${samples[@]}"; do
    [ -s "$d/$s.24x.bam.bai" ] && continue
    samtools view -b -s 7.8 -o "$d/$s.24x.bam" "$d/$s.bam" && samtools index "$d/$s.24x.bam"
  done
done

# Calls: output $work/<aligner>_<caller>_<mode>.vcf.gz, timing label <caller>_<mode>_<aligner>.
run_calls() {  # aligner
  local a=$1 d=${bamdir[$1]}
  local bams=("$d/P0001.bam" "$d/P0002.bam" "$d/P0003.bam") low=("$d/P0001.24x.bam" "$d/P0002.24x.bam" "$d/P0003.24x.bam")
  local o=$work/${a}_
  measure "precis_single_$a" -- "$PRECIS" call --ref "$ref" --bam "${bams[0]}" --out "${o}precis_single.vcf.gz" \
    --threads "$threads" --quiet
  measure "bcftools_single_$a" -- sh -c "bcftools mpileup --threads $threads -f $ref -a AD,DP -Ou ${bams[0]} 2>/dev/null |
    bcftools call --threads $threads -mv -Oz -o ${o}bcftools_single.vcf.gz"
  measure "precis_joint_$a" -- "$PRECIS" call --ref "$ref" --bam "${bams[0]}" --bam "${bams[1]}" --bam "${bams[2]}" \
    --out "${o}precis_joint.vcf.gz" --threads "$threads" --quiet
  measure "bcftools_joint_$a" -- sh -c "bcftools mpileup --threads $threads -f $ref -a AD,DP -Ou ${bams[*]} 2>/dev/null |
    bcftools call --threads $threads -mv -Oz -o ${o}bcftools_joint.vcf.gz"
  measure "precis_joint24_$a" -- "$PRECIS" call --ref "$ref" --bam "${low[0]}" --bam "${low[1]}" --bam "${low[2]}" \
    --out "${o}precis_joint24.vcf.gz" --threads "$threads" --quiet
  measure "bcftools_joint24_$a" -- sh -c "bcftools mpileup --threads $threads -f $ref -a AD,DP -Ou ${low[*]} 2>/dev/null |
    bcftools call --threads $threads -mv -Oz -o ${o}bcftools_joint24.vcf.gz"
  measure "precis_joint_2ranks_$a" -- mpiexec --oversubscribe -n 2 "$PRECIS" call --ref "$ref" --bam "${bams[0]}" \
    --bam "${bams[1]}" --bam "${bams[2]}" --out "${o}precis_joint_np2.vcf.gz" --threads 1 --quiet
}
for a in "${aligners[@]}"; do run_calls "$a"; done
have_freebayes=no
if [ "${BENCH_CALL_FREEBAYES:-0}" = 1 ] && command -v freebayes >/dev/null; then
  have_freebayes=yes
  measure freebayes_single_bwa -- sh -c "freebayes -f $ref $work/P0001.bam | bgzip > $work/bwa_freebayes_single.vcf.gz"
  bcftools index -f -t "$work/bwa_freebayes_single.vcf.gz"
fi

compare() {  # label calls truth_sample accuracy_file
  python3 "$here/call_compare.py" "$ref" "$w/patients/$3.truth.vcf.gz" "$3" "$2" "$3" --regions "$region" --label "$1" >>"$4"
}
declare -A same
for a in "${aligners[@]}"; do
  acc="$work/accuracy.$a.tsv"
  o=$work/${a}_
  : >"$acc"
  compare "precis single P0001" "${o}precis_single.vcf.gz" P0001 "$acc"
  compare "bcftools single P0001" "${o}bcftools_single.vcf.gz" P0001 "$acc"
  [ $a = bwa ] && [ $have_freebayes = yes ] && compare "freebayes single P0001" "${o}freebayes_single.vcf.gz" P0001 "$acc"
  for s in "${samples[@]}"; do
    compare "precis joint $s" "${o}precis_joint.vcf.gz" "$s" "$acc"
    compare "bcftools joint $s" "${o}bcftools_joint.vcf.gz" "$s" "$acc"
  done
  for s in "${samples[@]}"; do
    compare "precis joint 24x $s" "${o}precis_joint24.vcf.gz" "$s" "$acc"
    compare "bcftools joint 24x $s" "${o}bcftools_joint24.vcf.gz" "$s" "$acc"
  done
  same[$a]=$(cmp -s <(bcftools view -H "${o}precis_joint.vcf.gz") <(bcftools view -H "${o}precis_joint_np2.vcf.gz") &&
    echo yes || echo NO)
done

cpu() { awk -v l="$1" '$1 == l {printf "%.2f\n", $3 + $4}' "$timings" | head -1; }
f1() {  # aligner label class
  awk -F'\t' -v l="$2" -v c="$3" '$1 == l && $2 == c {print $8}' "$work/accuracy.$1.tsv"
}
echo "## call: precis call vs bcftools mpileup | bcftools call -m, on bwa mem and precis align BAMs"
echo
echo "GRCh37 chr20:1-4,000,000 with real 1000 Genomes haplotypes (shapeit4 example panel) applied by"
echo "\`precis simulate\`; 3 patients at 30x 2x150 bp. The same reads are aligned twice: \`bwa mem\` (sorted with"
echo "samtools) and \`precis index\` + \`precis align\` (docs/align.md); both callers run on both sets of BAMs."
echo "Truth: the simulation's per-patient VCFs; \"24x\" rows use the same BAMs subsampled to 80 % of the pairs"
echo "(samtools view -s). Both call sets and the truth are normalised with \`bcftools norm -m- -f\`; a call is"
echo "(CHROM, POS, REF, ALT) carried by the sample's GT, PASS (precis) or unfiltered (bcftools, which sets no"
echo "FILTER). Same BAMs, same $threads threads per run, one run on a shared 2-core machine (another job was using"
echo "the cores at the same time, so only CPU time = user + sys is reported, as a ratio to bcftools on the"
echo "same BAMs; wall times are in the work directory's timings.txt and not comparable)."
echo
echo "### F1 summary"
echo
echo "| call set | bwa mem: precis SNV | bcftools SNV | precis indel | bcftools indel | precis align: precis SNV | bcftools SNV | precis indel | bcftools indel |"
echo "|---|---|---|---|---|---|---|---|---|"
rows=("single P0001")
for s in "${samples[@]}"; do rows+=("joint $s"); done
for s in "${samples[@]}"; do rows+=("joint 24x $s"); done
for r in "${rows[@]}"; do
  line="| $r"
  for a in "${aligners[@]}"; do
    for c in snv indel; do
      line+=" | $(f1 "$a" "precis $r" $c) | $(f1 "$a" "bcftools $r" $c)"
    done
  done
  echo "$line |"
done
for a in "${aligners[@]}"; do
  echo
  echo "### Aligned with ${aname[$a]}"
  echo
  echo "| call set | class | TP | FP | FN | precision | recall | F1 |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | **%s** |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$work/accuracy.$a.tsv"
  echo
  echo "| run (${aname[$a]} BAMs) | CPU s | CPU vs bcftools |"
  echo "|---|---|---|"
  for mode in single joint joint24; do
    b=$(cpu "bcftools_${mode}_$a")
    echo "| precis call, ${mode/joint24/joint 24x} | $(cpu "precis_${mode}_$a") | $(ratio "$(cpu "precis_${mode}_$a")" "$b") |"
    echo "| bcftools mpileup \\| call -m, ${mode/joint24/joint 24x} | $b | 1.00 |"
  done
  echo "| precis call, joint, 2 MPI ranks x 1 thread | $(cpu "precis_joint_2ranks_$a") | $(ratio "$(cpu "precis_joint_2ranks_$a")" "$(cpu "bcftools_joint_$a")") |"
  [ $a = bwa ] && [ $have_freebayes = yes ] &&
    echo "| freebayes, single | $(cpu freebayes_single_bwa) | $(ratio "$(cpu freebayes_single_bwa)" "$(cpu bcftools_single_bwa)") |"
  echo
  echo "Joint records identical at 1 process x $threads threads and 2 ranks x 1 thread: ${same[$a]}."
done
if grep -q '^align_\|^index_' "$timings"; then
  echo
  echo "Alignment made in this run (CPU s): $(awk '/^(align|index)_/ {printf "%s%s %.1f", (n++ ? ", " : ""), $1, $3 + $4}' "$timings")."
fi
