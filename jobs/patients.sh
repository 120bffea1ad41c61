#!/usr/bin/env bash
#SBATCH --job-name=precis-patients
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=01:00:00
# The report's per-patient inputs from [patients]: the patients' VCFs merged (bcftools merge -0: a
# variants-only VCF's absent sites are homozygous reference), projected on the cohort's PCs and scored
# with the model (with per-variant contributions). Their findings come from the annotate stage.
# Usage: sbatch jobs/patients.sh CONFIG.ini
set -euo pipefail
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"

# Under precis workflow, run_config is the staged config (its out-dir is the step's staging directory).
vcfs=$(precis_config_value patients vcfs "$run_config")
out=$(precis_config_value patients out-dir "$run_config")
model=$(precis_config_value patients model "$run_config")
cohort=$(precis_config_value patients cohort "$run_config")
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
precis_done score --vcf "$vcfs" --pcs --contributions "(jobs/patients.sh: bcftools merge, precis pca --project, precis score)"
