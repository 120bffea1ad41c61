#!/usr/bin/env bash
#SBATCH --job-name=precis-call
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G
#SBATCH --time=04:00:00
# Calls germline SNVs and indels from the BAMs of [call]; MPI ranks take genome chunks balanced by read count.
# Joint mode (default): one multi-sample VCF from every `bam` of [call] at its `out`.
# Per-sample mode: as a job array (sbatch --array=0-N jobs/call.sh CONFIG.ini), task i calls the i-th `bam`
# alone into OUT_PREFIX.SAMPLE.vcf.gz, where `out` = OUT_PREFIX.vcf.gz; outside Slurm set SLURM_ARRAY_TASK_ID.
# Usage: sbatch jobs/call.sh CONFIG.ini   (or: PRECIS_RANKS=4 bash jobs/call.sh CONFIG.ini)
set -euo pipefail
# sbatch runs a copy of this script, so find the checkout through PRECIS_HOME (the executors set it).
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  precis_mpi call
  exit 0
fi
# The [call] section's bam and out keys.
section_values() {
  awk -v key="$1" '/^\[/ {in_call = ($0 ~ /^\[call\]/); next}
    in_call && $0 !~ /^[ \t]*#/ {split($0, kv, "="); k = kv[1]; gsub(/[ \t]/, "", k);
      if (k == key) {v = substr($0, index($0, "=") + 1); gsub(/^[ \t]+|[ \t]+$/, "", v); print v}}' "$job_config"
}
mapfile -t bams < <(section_values bam)
out=$(section_values out | head -1)
task=$SLURM_ARRAY_TASK_ID
if [ "$task" -lt 0 ] || [ "$task" -ge "${#bams[@]}" ]; then
  echo "job: array task $task but [call] lists ${#bams[@]} bam file(s) in $job_config" >&2
  exit 2
fi
bam=${bams[$task]}
sample=$(basename "$bam"); sample=${sample%.bam}; sample=${sample%.cram}
prefix=${out%.vcf.gz}; prefix=${prefix%.bcf}
precis_mpi call --bam "$bam" --out "$prefix.$sample.vcf.gz"
