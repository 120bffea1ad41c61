#!/usr/bin/env bash
# Runs the benchmarks in bench/ side by side with their peer tools, in one run. Each benchmark's
# markdown section goes to bench/results/NAME.md; bench/results.md gathers all of them.
# Usage: scripts/bench.sh [NAME ...]     (default: every bench/*.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --bench
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target precis
export PRECIS=$PWD/build/release/src/precis
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p bench/work

names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd bench && ls *.sh | sed 's/\.sh$//' | grep -v '^lib$'))
mkdir -p bench/results
for name in "${names[@]}"; do
  echo "== bench/$name.sh" >&2
  {
    bash "bench/$name.sh"
    echo
    echo "_Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr);"
    echo "$($PRECIS --version | head -1)._"
  } >"bench/results/$name.md.tmp"
  mv "bench/results/$name.md.tmp" "bench/results/$name.md"
done
{
  echo "# precis benchmarks"
  echo
  echo "Each section comes from bench/NAME.sh via scripts/bench.sh NAME; peers run on the same input, same"
  echo "threads, in the same run. Ratios matter more than absolute times: the machine is shared."
  for f in bench/results/*.md; do
    echo
    cat "$f"
  done
} >bench/results.md
cat bench/results.md
