#!/usr/bin/env bash
# bcftools mpileup | call on precis's and bwa mem's BAMs of the same reads (made by bench/align.sh with
# BENCH_ALIGN_READS=precis: real chr20 haplotypes applied by precis simulate, truth VCF known), each call
# set compared with the truth: precision, recall, F1 of SNVs and indels (exact POS/REF/ALT after norm).
set -euo pipefail
work=${BENCH_WORK:-bench/work/align}
o=$work/out
ref=$work/chr20.fa
truth=$work/sim/patients/P0001.truth.vcf.gz
region=${BENCH_CALL_REGION:-20:100000-3900000}
for tool in precis bwa_mem; do
  bcftools mpileup -f "$ref" -r "$region" -a AD,DP "$o/$tool.bam" 2>/dev/null | bcftools call -mv -Ou 2>/dev/null |
    bcftools norm -f "$ref" -m- -Oz -o "$o/$tool.calls.vcf.gz" 2>/dev/null
  bcftools index -f "$o/$tool.calls.vcf.gz"
done
bcftools norm -f "$ref" -m- -r "$region" "$truth" -Oz -o "$o/truth.norm.vcf.gz" 2>/dev/null
bcftools index -f "$o/truth.norm.vcf.gz"
key() { bcftools view -H -i 'GT!="0/0" && GT!="0|0"' "$1" | awk '{print $1":"$2":"$4":"$5}' | sort -u; }
key "$o/truth.norm.vcf.gz" >"$o/truth.keys"
echo "| calls from | variants | TP | FP | FN | precision | recall | F1 |"
echo "|---|---|---|---|---|---|---|---|"
for tool in precis bwa_mem; do
  key "$o/$tool.calls.vcf.gz" >"$o/$tool.keys"
  tp=$(comm -12 "$o/truth.keys" "$o/$tool.keys" | wc -l)
  fp=$(comm -13 "$o/truth.keys" "$o/$tool.keys" | wc -l)
  fn=$(comm -23 "$o/truth.keys" "$o/$tool.keys" | wc -l)
  awk -v t="$tool" -v tp="$tp" -v fp="$fp" -v fn="$fn" 'BEGIN {p = tp / (tp + fp); r = tp / (tp + fn);
    printf "| %s | %d | %d | %d | %d | %.4f | %.4f | %.4f |\n", t, tp + fp, tp, fp, fn, p, r, 2 * p * r / (p + r)}'
done
