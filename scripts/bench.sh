#!/usr/bin/env bash
# Runs the benchmarks in bench/ side by side with their peer tools, in one run, and writes
# bench/results.md (a markdown table per benchmark, with ratios).
# Usage: scripts/bench.sh [NAME ...]     (default: every bench/*.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target precis
export PRECIS=$PWD/build/release/src/precis
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p bench/work

names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd bench && ls *.sh | sed 's/\.sh$//' | grep -v '^lib$'))
out=bench/results.md
{
  echo "# precis benchmarks"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr); run $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "$($PRECIS --version | head -1)"
  echo
  for name in "${names[@]}"; do
    echo "== bench/$name.sh" >&2
    bash "bench/$name.sh"
    echo
  done
} >"$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
