# Helpers for the end-to-end tests. Each test script is called as: SCRIPT PRECIS_BIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
precis=$1
src=$2
work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# expect_error CODE TEXT -- COMMAND...: the command exits with CODE, prints exactly one line on stderr,
# that line contains TEXT, and it does not crash (no signal).
expect_error() {
  local code=$1 text=$2
  shift 3
  local rc=0
  "$@" >out.txt 2>err.txt || rc=$?
  local lines
  lines=$(grep -c . err.txt || true)
  if [ "$rc" -ne "$code" ]; then fail "exit $rc, wanted $code: $* :: $(cat err.txt)"; return; fi
  if ! grep -qF -- "$text" err.txt; then fail "message lacks '$text': $* :: $(cat err.txt)"; return; fi
  if [ "$lines" -ne 1 ]; then fail "wanted one message line, got $lines: $* :: $(cat err.txt)"; return; fi
  pass "exit $code '$text' ($(cat err.txt))"
}

# expect_mpi_error CODE TEXT -- COMMAND...: as expect_error for an mpiexec run: exit CODE, and precis's
# message appears exactly once (mpiexec adds its own abort notice around it).
expect_mpi_error() {
  local code=$1 text=$2
  shift 3
  local rc=0
  "$@" >out.txt 2>err.txt || rc=$?
  local ours
  ours=$(grep -c "error: .*$text" err.txt || true)
  if [ "$rc" -ne "$code" ]; then fail "exit $rc, wanted $code: $* :: $(cat err.txt)"; return; fi
  if [ "$ours" -ne 1 ]; then fail "wanted one precis message with '$text', got $ours: $(cat err.txt)"; return; fi
  pass "mpi exit $code '$text'"
}

# finish: exit non-zero when anything failed.
finish() {
  if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
}
