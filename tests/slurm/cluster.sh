#!/usr/bin/env bash
# A private Slurm cluster on localhost for the tests: munge, slurmctld and three virtual nodes
# (slurmd -N node1..node3) with their own ports, state, spool and log directories under DIR.
# It records the PIDs it starts and stops only those.
#   tests/slurm/cluster.sh start DIR    # prints the SLURM_CONF to export
#   tests/slurm/cluster.sh stop DIR
set -euo pipefail
action=${1:?usage: $0 start|stop DIR}
dir=$(realpath -m "${2:?usage: $0 start|stop DIR}")
base_port=${PRECIS_SLURM_PORT:-17810}

stop() {
  [ -f "$dir/pids" ] || return 0
  while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$dir/pids"
  for _ in $(seq 50); do
    alive=0
    while read -r pid; do kill -0 "$pid" 2>/dev/null && alive=1; done <"$dir/pids"
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done <"$dir/pids"
  rm -f "$dir/pids"
}

if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
for tool in munged slurmctld slurmd sbatch squeue; do
  command -v $tool >/dev/null || { echo "slurm test: $tool missing (scripts/setup.sh installs slurmctld slurmd slurm-client munge)" >&2; exit 2; }
done

stop
mkdir -p "$dir"/{etc,state,spool,log,munge}
chmod 700 "$dir/munge"
: >"$dir/pids"
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
for _ in $(seq 50); do [ -s "$dir/munge/munged.pid" ] && break; sleep 0.1; done
cat "$dir/munge/munged.pid" >>"$dir/pids"

cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 4 ))
cat >"$dir/etc/slurm.conf" <<EOC
ClusterName=precis-test
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base_port
SlurmdPort=$((base_port + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=node1 NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 Port=$((base_port + 2)) CPUs=$cpus RealMemory=$mem State=UNKNOWN
NodeName=node2 NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 Port=$((base_port + 3)) CPUs=$cpus RealMemory=$mem State=UNKNOWN
NodeName=node3 NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 Port=$((base_port + 4)) CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=node[1-3] Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOC
export SLURM_CONF=$dir/etc/slurm.conf
slurmctld -c -f "$SLURM_CONF"
for _ in $(seq 50); do [ -s "$dir/slurmctld.pid" ] && break; sleep 0.1; done
cat "$dir/slurmctld.pid" >>"$dir/pids"
for node in node1 node2 node3; do
  mkdir -p "$dir/spool/$node"
  slurmd -N "$node" -f "$SLURM_CONF"
  for _ in $(seq 50); do [ -s "$dir/slurmd.$node.pid" ] && break; sleep 0.1; done
  cat "$dir/slurmd.$node.pid" >>"$dir/pids"
done
for _ in $(seq 100); do
  idle=$(sinfo -h -N -t idle -o '%N' 2>/dev/null | sort -u | wc -l)
  [ "$idle" -ge 3 ] && break
  sleep 0.3
done
if [ "${idle:-0}" -lt 3 ]; then
  echo "slurm test: nodes did not become idle; see $dir/log" >&2
  sinfo -N >&2 || true
  exit 1
fi
echo "$SLURM_CONF"
