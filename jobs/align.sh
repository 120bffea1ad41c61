#!/usr/bin/env bash
#SBATCH --job-name=precis-align
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=4G
#SBATCH --time=02:00:00
# Aligns one patient's reads ([align] in the config) to a sorted, indexed BAM.
# As a job array (sbatch --array=1-N jobs/align.sh CONFIG.ini) task i aligns patient P000i:
#   $PRECIS_PATIENTS_DIR/P000i_R1.fq.gz + _R2 -> $PRECIS_BAM_DIR/P000i.bam with read group ID/SM P000i
# (defaults runs/demo/world/patients and runs/demo); without an array it aligns what [align] names.
# Usage: sbatch jobs/align.sh CONFIG.ini   or   sbatch --array=1-2 jobs/align.sh CONFIG.ini
set -euo pipefail
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
task=${SLURM_ARRAY_TASK_ID:-${PRECIS_PATIENT_INDEX:-}}
if [ -n "$task" ]; then
  patient=$(printf 'P%04d' "$task")
  dir=${PRECIS_PATIENTS_DIR:-runs/demo/world/patients}
  out=${PRECIS_BAM_DIR:-runs/demo}
  precis_mpi align --reads1 "$dir/${patient}_R1.fq.gz" --reads2 "$dir/${patient}_R2.fq.gz" --out "$out/$patient.bam" \
    --read-group "@RG\\tID:$patient\\tSM:$patient\\tPL:ILLUMINA"
else
  precis_mpi align
fi
