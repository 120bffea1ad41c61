#!/usr/bin/env bash
#SBATCH --job-name=precis-score
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G
#SBATCH --time=01:00:00
# Scores samples from [score] with model.h5 or a PGS Catalog file: raw score, percentile, Z, ancestry-adjusted Z, absolute risk.
# Usage: sbatch jobs/score.sh CONFIG.ini   (or: PRECIS_RANKS=4 bash jobs/score.sh CONFIG.ini)
set -euo pipefail
# sbatch runs a copy of this script, so find the checkout through PRECIS_HOME (the executors set it).
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_mpi score
