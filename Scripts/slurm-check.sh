#!/usr/bin/env bash
# Runs deploy/slurm/submit.sh on a real, single-node Slurm set up on this machine, and
# checks that the merged result equals an unsharded run byte for byte, while one array
# task is requeued mid-run and another is cancelled and rerun on its own (both continue
# with --resume). Needs root and the system's package manager; CI does not run it.
#
#   sudo Scripts/slurm-check.sh [REPLICATIONS]     default 150000 (about a minute of work)
#
# It installs slurm-wlm and munge when missing (apt-get), writes a slurm.conf for one node
# with 2 CPUs, starts munged, slurmctld and slurmd (and stops those it started at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
replications=${1:-150000}
[ "$(id -u)" = 0 ] || { echo "slurm-check: run as root (it sets up Slurm)" >&2; exit 2; }
command -v slurmctld >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
repo=$(pwd)
work=$(mktemp -d /tmp/ensemble-slurm.XXXXXX)
chmod 755 "$work"
started=()
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
log() { echo "[$(date +%T)] $*"; }

# --- a single-node Slurm -------------------------------------------------------------
host=$(hostname -s)
memory=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat >/etc/slurm/slurm.conf <<CONF
ClusterName=ensemble-check
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobRequeue=1
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
MpiDefault=none
NodeName=$host CPUs=2 RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
[ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; }
chown -R munge:munge /etc/munge /run/munge 2>/dev/null || true
chmod 400 /etc/munge/munge.key
if ! munge -n >/dev/null 2>&1; then
  sudo_munge() { if command -v runuser >/dev/null; then runuser -u munge -- "$@"; else "$@"; fi; }
  sudo_munge munged --force
  sleep 1
  pid=$(cat /run/munge/munged.pid 2>/dev/null || true)
  [ -n "$pid" ] && started+=("$pid")
fi
if ! scontrol ping 2>/dev/null | grep -q UP; then
  slurmctld -c -D >/var/log/slurm/slurmctld.out 2>&1 &
  started+=($!)
  slurmd -D >/var/log/slurm/slurmd.out 2>&1 &
  started+=($!)
fi
for _ in $(seq 1 60); do
  sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)' && break
  sleep 1
done
sinfo
scontrol update nodename="$host" state=resume 2>/dev/null || true

# --- the experiment, the binary, the unsharded reference ------------------------------
log "building ensemble (release)"
swift build -c release --product ensemble >/dev/null
cp .build/release/ensemble "$work/ensemble"
export ENSEMBLE=$work/ensemble
cat >"$work/slurm-check.json" <<JSON
{
  name: "slurm-check", seed: 20261122, replications: $replications,
  description: "The headline comparison, run as three Slurm shards.",
}
JSON
log "unsharded reference run"
"$ENSEMBLE" run "$work/slurm-check.json" --out "$work/full" --quiet

# --- three shards and a merge, through submit.sh -------------------------------------
export ENSEMBLE_CHECKPOINT_SECONDS=1   # checkpoint often, so a kill has saved work to resume
cd "$work"
log "submit.sh with three shards"
"$repo/deploy/slurm/submit.sh" "$work/slurm-check.json" "$work/results" 3 --cpus-per-task=1 --mem=512M | tee submit.out
array=$(sed -n 's/^queued shards as job array \([0-9]*\) .*/\1/p' submit.out)
merge=$(sed -n 's/.* the merge as job \([0-9]*\);.*/\1/p' submit.out)
state() { squeue -h -j "$1" -o %T 2>/dev/null | head -n 1; }
saved() { [ -f "$1/.ensemble-run/journal" ] && wc -l <"$1/.ensemble-run/journal" || echo 0; }
wait_saved() {  # FOLDER LINES: until the shard's journal has LINES checkpoints
  for _ in $(seq 1 600); do [ "$(saved "$1")" -ge "$2" ] && return 0; sleep 0.2; done
  echo "timed out waiting for $1" >&2; return 1
}

# Requeue shard 1 in the middle of its run: Slurm kills it and starts it again.
wait_saved "$work/results/shard-1" 3
log "requeueing array task ${array}_1 after $(saved "$work/results/shard-1") checkpoints"
scontrol requeue "${array}_1"

# Cancel shard 3 mid-run: the merge can no longer run (afterok), so shard 3 is rerun on its
# own (sbatch --array=3, where SLURM_ARRAY_TASK_COUNT is 1) and the merge queued again.
wait_saved "$work/results/shard-3" 3
log "cancelling array task ${array}_3 after $(saved "$work/results/shard-3") checkpoints"
scancel "${array}_3"
for _ in $(seq 1 100); do [ -z "$(state "${array}_3")" ] && break; sleep 0.2; done
log "rerunning shard 3 alone"
rerun=$(sbatch --parsable --array=3 --output="$work/results/logs/shard-%a.log" \
  --export="ALL,EXPERIMENT=$work/slurm-check.json,RESULTS=$work/results,SHARDS=3" \
  --cpus-per-task=1 --mem=512M "$repo/deploy/slurm/ensemble-shards.sbatch")
rerun=${rerun%%;*}
scancel "$merge" 2>/dev/null || true
# The array as a whole can no longer succeed (task 3 was cancelled): depend on its other
# tasks one by one, and on the rerun.
merge=$(sbatch --parsable --dependency="afterok:${array}_1:${array}_2:$rerun" \
  --output="$work/results/logs/merge.log" --export="ALL,RESULTS=$work/results" \
  "$repo/deploy/slurm/ensemble-merge.sbatch")
log "merge queued again as job $merge"
for _ in $(seq 1 1800); do
  [ -z "$(state "$merge")" ] && break
  if squeue -h -j "$merge" -o %r | grep -q DependencyNeverSatisfied; then
    echo "slurm-check: the merge's dependency can never be satisfied" >&2
    squeue
    exit 1
  fi
  sleep 1
done
echo "--- shard logs"
tail -n 5 "$work"/results/logs/*.log

# --- compare ---------------------------------------------------------------------------
status=0
for file in runs.csv summary.csv contrasts.csv report.md report.html conditions.svg; do
  if cmp -s "$work/full/$file" "$work/results/merged/$file"; then
    echo "identical: $file ($(wc -c <"$work/full/$file") bytes)"
  else
    echo "DIFFERENT: $file" >&2
    status=1
  fi
done
for i in 1 2 3; do
  grep -q '"index": '$i "$work/results/shard-$i/manifest.json" || { echo "shard $i has no manifest" >&2; status=1; }
done
if [ $status -eq 0 ]; then
  echo "slurm-check: the merged result of 3 shards (one requeued, one cancelled and rerun alone) equals the unsharded run"
  rm -rf "$work"
else
  echo "slurm-check: FAILED; files kept in $work" >&2
fi
exit $status
