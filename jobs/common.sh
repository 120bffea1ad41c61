# Sourced by every job script: finds the precis binary and launches it with the right MPI launcher.
# Inside a Slurm allocation MPI stages start with `srun --mpi=pmix` (Debian's OpenMPI needs pmix);
# outside one (the local executor, or by hand) with `mpiexec -n $PRECIS_RANKS` (default 2).
#
# Under `precis workflow run` (PRECIS_RUN_DIR, PRECIS_GRAPH and PRECIS_STAGE set) the step's outputs are
# staged: `precis workflow begin` writes a config whose output paths point into RUN_DIR/stage/STEP/, the
# command writes there, and `precis workflow record` moves the outputs to their final names, hashes them
# and appends the step to the run's manifest and provenance ledger. A failing or killed step therefore
# leaves no output under its final name and is recorded as failed (or, when killed with SIGKILL, as
# never finished). Array tasks take their index from SLURM_ARRAY_TASK_ID (Slurm) or PRECIS_TASK (local).

# Expects $home, the precis checkout (set by the job script).
if [ -n "${PRECIS:-}" ]; then
  precis_bin=$PRECIS
elif command -v precis >/dev/null 2>&1; then
  precis_bin=$(command -v precis)
elif [ -x "$home/build/release/src/precis" ]; then
  precis_bin=$home/build/release/src/precis
else
  echo "job: no precis binary: set PRECIS=/path/to/precis, put it on PATH, or build with scripts/demo.sh" >&2
  exit 2
fi

job_config=${1:-}
if [ -z "$job_config" ] || [ ! -r "$job_config" ]; then
  echo "job: usage: sbatch $0 CONFIG.ini   (config file '${job_config}' not readable)" >&2
  exit 2
fi

run_config=$job_config
workflow_args=()
if [ -n "${PRECIS_RUN_DIR:-}" ] && [ -n "${PRECIS_GRAPH:-}" ] && [ -n "${PRECIS_STAGE:-}" ]; then
  workflow_args=(--run-dir "$PRECIS_RUN_DIR" --stage "$PRECIS_STAGE" --task "${SLURM_ARRAY_TASK_ID:-${PRECIS_TASK:-0}}"
                 --config "$job_config" --home "$home")
  run_config=$("$precis_bin" workflow begin "$PRECIS_GRAPH" "${workflow_args[@]}")
  # Any failure (including SIGTERM from scancel or a time limit) is recorded; SIGKILL leaves the step "running",
  # which the next run treats as killed.
  trap 'rc=$?; [ $rc -ne 0 ] && "$precis_bin" workflow record "$PRECIS_GRAPH" "${workflow_args[@]}" --exit-code $rc' EXIT
  trap 'exit 143' TERM
fi

# precis_config_value SECTION KEY [FILE]: the first value of KEY in [SECTION] of FILE (default: the job's
# config), trimmed; empty when absent. For job scripts that read their own sections.
precis_config_value() {
  awk -v s="[$1]" -v k="$2" '/^\[/ {in_s = ($0 == s)} in_s && $0 ~ "^" k "[ \t]*=" {
    sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]+$/, ""); print; exit}' "${3:-$job_config}"
}

# By hand, an array task (sbatch --array=1-2 jobs/annotate.sh CFG) gets its own config: {NAME} replaced by
# the task's item of [workflow] NAME.
task_id=${SLURM_ARRAY_TASK_ID:-${PRECIS_TASK:-0}}
precis_task_config() {
  if [ ${#workflow_args[@]} -eq 0 ] && [ "$task_id" != 0 ]; then
    run_config=$("$precis_bin" workflow task-config --config "$job_config" --stage "$1" --task "$task_id")
    trap 'rm -f "$run_config"' EXIT
  fi
}

# precis_done COMMAND [args]: under a workflow, commits and records the step's outputs.
precis_done() {
  [ ${#workflow_args[@]} -eq 0 ] && return 0
  "$precis_bin" workflow record "$PRECIS_GRAPH" "${workflow_args[@]}" --command "precis $* --config $job_config"
}

# precis_serial COMMAND [args]: one process.
precis_serial() { precis_task_config "$1"; "$precis_bin" "$@" --config "$run_config"; precis_done "$@"; }

# precis_mpi COMMAND [args]: all ranks of the allocation, or $PRECIS_RANKS local ranks.
precis_mpi() {
  precis_task_config "$1"
  if [ -n "${SLURM_JOB_ID:-}" ]; then
    srun --mpi=pmix "$precis_bin" "$@" --config "$run_config"
  else
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    mpiexec --oversubscribe -n "${PRECIS_RANKS:-2}" "$precis_bin" "$@" --config "$run_config"
  fi
  precis_done "$@"
}
