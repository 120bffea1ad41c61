#!/usr/bin/env bash
#SBATCH --job-name=precis-index
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=00:30:00
# Builds the aligner index of [index] ref (REF.pidx next to it). Human chr20: ~5 s, ~0.5 GB.
# Usage: sbatch jobs/index.sh CONFIG.ini
set -euo pipefail
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_serial index --threads "${SLURM_CPUS_PER_TASK:-2}"
