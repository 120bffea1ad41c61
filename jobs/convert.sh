#!/usr/bin/env bash
#SBATCH --job-name=precis-convert
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G
#SBATCH --time=01:00:00
# Converts the cohort VCF (+ phenotypes, covariates) to cohort.h5 from [convert]; MPI ranks convert
# genomic regions in parallel and write collectively.
# Usage: sbatch jobs/convert.sh CONFIG.ini   (or: PRECIS_RANKS=4 bash jobs/convert.sh CONFIG.ini)
set -euo pipefail
source "${SLURM_SUBMIT_DIR:-$(pwd)}/jobs/common.sh"
precis_mpi convert
