#!/usr/bin/env bash
#SBATCH --job-name=precis-call
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G
#SBATCH --time=04:00:00
# Calls germline SNVs and indels from the BAMs of [call]; MPI ranks take genome chunks balanced by read count.
# Joint calling: list several `bam` keys in [call] (one multi-sample VCF at `out`).
# Per patient, as a job array: {patient} in [call]'s paths is replaced by the task's item of [workflow] patient
#   sbatch --array=1-2 jobs/call.sh CONFIG.ini   (or, locally: PRECIS_TASK=2 bash jobs/call.sh CONFIG.ini)
# Under `precis workflow run` the graph's array=patient does this for every patient.
# Usage: sbatch jobs/call.sh CONFIG.ini   (or: PRECIS_RANKS=4 bash jobs/call.sh CONFIG.ini)
set -euo pipefail
# sbatch runs a copy of this script, so find the checkout through PRECIS_HOME (the executors set it).
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_mpi call
