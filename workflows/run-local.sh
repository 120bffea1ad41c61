#!/usr/bin/env bash
# Local executor (kept for old habits): the same as
#   precis workflow run GRAPH --config CONFIG.ini --executor local [options]
# which skips up-to-date steps and records the run in runs/GRAPHNAME.run (docs/workflow.md).
# Usage: workflows/run-local.sh GRAPH CONFIG.ini [precis workflow run options]
set -euo pipefail
graph=${1:?usage: $0 GRAPH CONFIG.ini [options]}
config=${2:?usage: $0 GRAPH CONFIG.ini [options]}
shift 2
exec "${PRECIS:-precis}" workflow run "$graph" --config "$config" --executor local --ranks "${PRECIS_RANKS:-2}" "$@"
