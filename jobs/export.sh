#!/usr/bin/env bash
#SBATCH --job-name=precis-export
#SBATCH --ntasks=1
#SBATCH --mem=2G
#SBATCH --time=01:00:00
# Writes cohort.h5 back as an indexed VCF from [export] (a check of the genotype round trip).
# Usage: sbatch jobs/export.sh CONFIG.ini
set -euo pipefail
# sbatch runs a copy of this script, so find the checkout through PRECIS_HOME (the executors set it).
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_serial export
