#!/usr/bin/env bash
#SBATCH --job-name=precis-simulate
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=00:30:00
# Simulates the demo world (reference, genes, known variants, cohort, patient reads) from [simulate].
# Usage: sbatch jobs/simulate.sh CONFIG.ini   (or: bash jobs/simulate.sh CONFIG.ini)
set -euo pipefail
source "${SLURM_SUBMIT_DIR:-$(pwd)}/jobs/common.sh"
precis_serial simulate
