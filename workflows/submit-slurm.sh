#!/usr/bin/env bash
# Slurm executor (kept for old habits): the same as
#   precis workflow run GRAPH --config CONFIG.ini --executor slurm --sbatch "EXTRA SBATCH OPTIONS"
# which prints "stage job_id" lines and records them in the run directory (docs/workflow.md).
# Usage: workflows/submit-slurm.sh GRAPH CONFIG.ini [extra sbatch options]
set -euo pipefail
graph=${1:?usage: $0 GRAPH CONFIG.ini [sbatch options]}
config=${2:?usage: $0 GRAPH CONFIG.ini [sbatch options]}
shift 2
exec "${PRECIS:-precis}" workflow run "$graph" --config "$config" --executor slurm --sbatch "$*"
