#!/usr/bin/env bash
#SBATCH --job-name=precis-export
#SBATCH --ntasks=1
#SBATCH --mem=2G
#SBATCH --time=01:00:00
# Writes cohort.h5 back as an indexed VCF from [export] (a check of the genotype round trip).
# Usage: sbatch jobs/export.sh CONFIG.ini
set -euo pipefail
source "${SLURM_SUBMIT_DIR:-$(pwd)}/jobs/common.sh"
precis_serial export
