# Sourced by every job script: finds the precis binary and launches it with the right MPI launcher.
# Inside a Slurm allocation MPI stages start with `srun --mpi=pmix` (Debian's OpenMPI needs pmix);
# outside one (the local executor, or by hand) with `mpiexec -n $PRECIS_RANKS` (default 2).

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

# precis_serial COMMAND [args]: one process.
precis_serial() { "$precis_bin" "$@" --config "$job_config"; }

# precis_mpi COMMAND [args]: all ranks of the allocation, or $PRECIS_RANKS local ranks.
precis_mpi() {
  if [ -n "${SLURM_JOB_ID:-}" ]; then
    srun --mpi=pmix "$precis_bin" "$@" --config "$job_config"
  else
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    mpiexec --oversubscribe -n "${PRECIS_RANKS:-2}" "$precis_bin" "$@" --config "$job_config"
  fi
}
