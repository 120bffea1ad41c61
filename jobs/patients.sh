#!/usr/bin/env bash
#SBATCH --job-name=precis-patients
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=01:00:00
# The report's per-patient inputs from [patients]: the patients' VCFs merged (bcftools merge -0: a
# variants-only VCF's absent sites are homozygous reference), projected on the cohort's PCs, scored with
# the model (with per-variant contributions) and annotated with [annotate]'s references (findings).
# Usage: sbatch jobs/patients.sh CONFIG.ini
set -euo pipefail
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"

# ini_get SECTION KEY: the value of KEY in [SECTION] of the job's config (empty when absent).
ini_get() {
  awk -v s="[$1]" -v k="$2" '/^\[/ {in_s = ($0 == s)} in_s && $0 ~ "^" k "[ \t]*=" {
    sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]+$/, ""); print; exit}' "$job_config"
}
vcfs=$(ini_get patients vcfs)
out=$(ini_get patients out-dir)
model=$(ini_get patients model)
cohort=$(ini_get patients cohort)
[ -n "$vcfs" ] && [ -n "$out" ] && [ -n "$model" ] && [ -n "$cohort" ] || {
  echo "patients: [patients] needs vcfs (a glob), out-dir, model and cohort in $job_config" >&2; exit 2; }
mkdir -p "$out"
shopt -s nullglob
# shellcheck disable=SC2206
files=($vcfs)
[ "${#files[@]}" -gt 0 ] || { echo "patients: no VCF matches '$vcfs'" >&2; exit 2; }
echo "patients: ${#files[@]} patient VCFs"
if [ "${#files[@]}" -eq 1 ]; then
  bcftools view -Oz -o "$out/.patients.vcf.gz" "${files[0]}"
else
  bcftools merge -0 -Oz -o "$out/.patients.vcf.gz" "${files[@]}"
fi
mv "$out/.patients.vcf.gz" "$out/patients.vcf.gz"
bcftools index -f -t "$out/patients.vcf.gz"
"$precis_bin" pca --cohort "$cohort" --project "$out/patients.vcf.gz" --out "$out/pcs.tsv"
"$precis_bin" score --model "$model" --vcf "$out/patients.vcf.gz" --pcs "$out/pcs.tsv" --out "$out/scores.tsv" \
  --contributions "$out/contributions.tsv"
precis_serial annotate --vcf "$out/patients.vcf.gz" --out "$out/annotated.vcf.gz" --tsv "$out/annotated.tsv" \
  --findings "$out/findings.tsv"
