#!/usr/bin/env bash
#SBATCH --job-name=precis-align
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=4G
#SBATCH --time=02:00:00
# Aligns a patient's reads ([align] in the config) to a sorted, indexed BAM (+ .bai).
# As a job array, {patient} in [align]'s paths is replaced by the task's item of [workflow] patient:
#   sbatch --array=1-2 jobs/align.sh CONFIG.ini   (or, locally: PRECIS_TASK=2 bash jobs/align.sh CONFIG.ini)
# Under `precis workflow run` the graph's array=patient does this for every patient.
# Usage: sbatch jobs/align.sh CONFIG.ini
set -euo pipefail
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_mpi align
