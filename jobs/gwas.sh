#!/usr/bin/env bash
#SBATCH --job-name=precis-gwas
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G
#SBATCH --time=04:00:00
# Association tests from [gwas]: plink2-layout tables, Manhattan and QQ plots; MPI ranks take variant blocks.
# Usage: sbatch jobs/gwas.sh CONFIG.ini   (or: PRECIS_RANKS=4 bash jobs/gwas.sh CONFIG.ini)
set -euo pipefail
# sbatch runs a copy of this script, so find the checkout through PRECIS_HOME (the executors set it).
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_mpi gwas
