#!/usr/bin/env bash
# Slurm executor: submits a stage graph's job scripts with sbatch, each with --dependency=afterok on the
# stages it waits for and --kill-on-invalid-dep=yes, so a failure cancels everything downstream.
# Prints "stage job_id" lines. Usage: workflows/submit-slurm.sh GRAPH CONFIG.ini [extra sbatch options]
set -euo pipefail
export PRECIS_HOME=${PRECIS_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
graph=${1:?usage: $0 GRAPH CONFIG.ini}
config=${2:?usage: $0 GRAPH CONFIG.ini}
shift 2
declare -A job_ids=()
while read -r stage script deps; do
  case "$stage" in ''|'#'*) continue ;; esac
  dependency=()
  if [ "$deps" != "-" ]; then
    ids=""
    IFS=, read -ra needs <<<"$deps"
    for need in "${needs[@]}"; do
      [ -n "${job_ids[$need]:-}" ] || { echo "workflow: $stage needs $need, which is not before it in $graph" >&2; exit 2; }
      ids="$ids:${job_ids[$need]}"
    done
    dependency=(--dependency="afterok$ids" --kill-on-invalid-dep=yes)
  fi
  id=$(sbatch --parsable "${dependency[@]}" "$@" "$PRECIS_HOME/$script" "$config")
  job_ids[$stage]=${id%%;*}
  echo "$stage ${job_ids[$stage]}"
done <"$graph"
