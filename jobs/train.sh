#!/usr/bin/env bash
#SBATCH --job-name=precis-train
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=4G
#SBATCH --time=04:00:00
# Trains the risk model from [train] (elastic net with cross-validation over sample shards): model.h5, PGS file, test metrics.
# Usage: sbatch jobs/train.sh CONFIG.ini   (or: PRECIS_RANKS=4 bash jobs/train.sh CONFIG.ini)
set -euo pipefail
# sbatch runs a copy of this script, so find the checkout through PRECIS_HOME (the executors set it).
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_mpi train
