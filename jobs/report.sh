#!/usr/bin/env bash
#SBATCH --job-name=precis-report
#SBATCH --ntasks=2
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G
#SBATCH --time=01:00:00
# Per-patient risk reports (HTML, PDF, JSON) and the cohort summary from [report].
# Usage: sbatch jobs/report.sh CONFIG.ini            (patients split over the job's ranks)
#        sbatch --array=0-7 jobs/report.sh CONFIG.ini  (each task: --shard i/n of the patients; task 0
#                                                       also writes the cohort summary)
# A missing site key (key = ...) is created once (0600, 32 random bytes): keep it, it fixes the pseudonyms.
set -euo pipefail
[ -n "${SLURM_JOB_ID:-}" ] && home=${PRECIS_HOME:-$SLURM_SUBMIT_DIR} || home=${PRECIS_HOME:-$(dirname "$0")/..}
source "$home/jobs/common.sh"

key=$(precis_config_value report key)
if [ -n "$key" ] && [ ! -e "$key" ]; then
  (umask 077 && mkdir -p "$(dirname "$key")" && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$key")
  echo "report: created a new site key $key (mode 0600)"
fi
# An out-dir with a {NAME} placeholder makes report a per-item array stage (workflows/patient-only.graph):
# each task reports its own item, so it is not sharded again.
shard=()
if [[ "$(precis_config_value report out-dir)" != *"{"* ]] && [ -n "${SLURM_ARRAY_TASK_ID:-}" ] && [ -n "${SLURM_ARRAY_TASK_COUNT:-}" ]; then
  shard=(--shard "$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0}))/$SLURM_ARRAY_TASK_COUNT")
fi
precis_mpi report "${shard[@]}"
