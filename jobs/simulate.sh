#!/usr/bin/env bash
#SBATCH --job-name=precis-simulate
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=00:30:00
# Simulates the demo world (reference, genes, known variants, cohort, patient reads) from [simulate].
# Usage: sbatch jobs/simulate.sh CONFIG.ini   (or: bash jobs/simulate.sh CONFIG.ini)
set -euo pipefail
# sbatch runs a copy of this script, so find the checkout through PRECIS_HOME (the executors set it).
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_serial simulate
