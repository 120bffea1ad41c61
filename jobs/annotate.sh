#!/usr/bin/env bash
#SBATCH --job-name=precis-annotate
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G
#SBATCH --time=02:00:00
# Annotates a VCF from [annotate]: consequences, HGVS, ClinVar, frequencies, reportable findings; MPI ranks take genomic regions.
# Usage: sbatch jobs/annotate.sh CONFIG.ini   (or: PRECIS_RANKS=4 bash jobs/annotate.sh CONFIG.ini)
set -euo pipefail
# sbatch runs a copy of this script, so find the checkout through PRECIS_HOME (the executors set it).
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"
precis_mpi annotate
