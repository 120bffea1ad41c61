#!/usr/bin/env bash
# Local executor: runs a stage graph's job scripts on this machine in graph order (the file lists each
# stage after the stages it waits for), stopping at the first failure.
# Usage: workflows/run-local.sh GRAPH CONFIG.ini
set -euo pipefail
export PRECIS_HOME=${PRECIS_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
graph=${1:?usage: $0 GRAPH CONFIG.ini}
config=${2:?usage: $0 GRAPH CONFIG.ini}
declare -A done_stages=()
while read -r stage script deps; do
  case "$stage" in ''|'#'*) continue ;; esac
  if [ "$deps" != "-" ]; then
    IFS=, read -ra needs <<<"$deps"
    for need in "${needs[@]}"; do
      [ -n "${done_stages[$need]:-}" ] || { echo "workflow: $stage needs $need, which is not before it in $graph" >&2; exit 2; }
    done
  fi
  echo "== precis $stage"
  start=$(date +%s)
  bash "$PRECIS_HOME/$script" "$config" </dev/null  # mpiexec would read the graph from stdin
  echo "== precis $stage done in $(( $(date +%s) - start ))s"
  done_stages[$stage]=1
done <"$graph"
