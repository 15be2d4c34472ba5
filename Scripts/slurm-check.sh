#!/usr/bin/env bash
# Runs the Slurm recipes (deploy/slurm) on a real one-node Slurm of its own, and checks that
# what they merge equals an unsharded run byte for byte, while tasks are stopped in every
# way the recipes must survive:
#
#   1. a run (`submit.sh`) of three shards: shard 1 is requeued mid-run (`scontrol
#      requeue`), shard 3 cancelled mid-run and rerun alone (`rerun.sh`, which also queues
#      the merge again); both must resume (their logs say how many runs came from the
#      interrupted attempt), not restart;
#   2. a sensitivity analysis (`submit.sh --sensitivity`) of three shards, shard 2 requeued
#      mid-run, likewise;
#   3. a merge killed with `kill -9` while it holds every lock and has staged its files
#      (through ENSEMBLE_PAUSE_BEFORE_PUBLISH), then requeued: it must finish.
#
# The experiment files and result folders have a space and a comma in their paths, and
# --seed, --replications and --set go through submit.sh.
#
#   sudo Scripts/slurm-check.sh [REPLICATIONS]     default 150000 (about a minute of work)
#
# Needs root. Installs slurm-wlm and munge when missing (apt-get). Everything else is
# private: a slurm.conf, state, spool, logs and pid files in a temporary folder (SLURM_CONF
# points there; an existing /etc/slurm is never read or written), ports of its own, and
# its own munged unless a working one runs already. It stops what it started, and stops
# waiting as soon as its controller or node daemon dies. ENSEMBLE=PATH uses that binary
# instead of building one (`swift build -c release --static-swift-stdlib`). CI does not
# run it.
set -euo pipefail
cd "$(dirname "$0")/.."
replications=${1:-150000}
[ "$(id -u)" = 0 ] || { echo "slurm-check: run as root (it sets up Slurm)" >&2; exit 2; }
command -v slurmctld >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
repo=$(pwd)
work=$(mktemp -d /tmp/ensemble-slurm.XXXXXX)
chmod 755 "$work"
state=$work/slurm
mkdir -p "$state/ctld" "$state/d" "$state/log" "$state/run"
export SLURM_CONF=$state/slurm.conf
started=()
# The processes of this check's own Slurm, whatever became of its daemons: they (and the job
# steps and jobs they started) carry its SLURM_CONF in their environment.
ours() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" != $$ ] || continue
    case $(cat "/proc/$p/comm" 2>/dev/null) in
      slurmctld | slurmd | slurmstepd | munged | ensemble) ;;
      *) continue ;;
    esac
    { tr '\0' '\n' <"/proc/$p/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$SLURM_CONF" &&
      echo "$p"
  done
  return 0
}
cleanup() {
  local pid pids
  for pid in ${started[@]+"${started[@]}"}; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  pids=$(ours)
  [ -z "$pids" ] || { kill $pids 2>/dev/null || true; sleep 1; }
  pids=$(ours)
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
}
trap cleanup EXIT
log() { echo "[$(date +%T)] $*"; }
die() {
  echo "slurm-check: $*" >&2
  for f in "$state"/log/*.log; do echo "--- $f" >&2; tail -n 15 "$f" >&2 || true; done
  echo "slurm-check: FAILED; files kept in $work" >&2
  exit 1
}
# The daemons this script started must still run; a dead controller ends every wait.
alive() {
  local pid
  for pid in ${daemons[@]+"${daemons[@]}"}; do
    kill -0 "$pid" 2>/dev/null || die "a Slurm daemon (pid $pid) has died"
  done
}
# wait_until WHAT SECONDS COMMAND...: polls COMMAND every 0.2 s.
wait_until() {
  local what=$1 limit=$2 i
  shift 2
  for ((i = 0; i < limit * 5; i++)); do
    "$@" && return 0
    alive
    sleep 0.2
  done
  die "timed out after $limit s waiting for $what"
}
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# --- a one-node Slurm of its own -----------------------------------------------------
host=$(hostname -s)
memory=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024))
auth=""
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "using the munged that runs already"
else
  # A munged of its own, on a socket of its own.
  mkdir -p "$work/munge"
  chmod 700 "$work/munge"
  dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 2>/dev/null
  chmod 400 "$work/munge/munge.key"
  munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
    --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
    --seed-file="$work/munge/munged.seed"
  for _ in $(seq 1 50); do [ -s "$work/munge/munged.pid" ] && break; sleep 0.1; done
  started+=("$(cat "$work/munge/munged.pid")")
  chmod 755 "$work/munge"
  auth="AuthInfo=socket=$work/munge/munge.socket"
  munge -S "$work/munge/munge.socket" -n | unmunge -S "$work/munge/munge.socket" >/dev/null ||
    die "the private munged does not answer"
  log "started a munged of its own ($work/munge)"
fi
ctld_port=$(free_port)
d_port=$(free_port)
cat >"$SLURM_CONF" <<CONF
ClusterName=ensemble-check
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
AuthType=auth/munge
$auth
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobRequeue=1
ReturnToService=2
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
MpiDefault=none
NodeName=$host CPUs=2 RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
daemons=()
slurmctld -D -i -f "$SLURM_CONF" >"$state/log/slurmctld.out" 2>&1 &
daemons+=($!)
started+=($!)
slurmd -D -f "$SLURM_CONF" >"$state/log/slurmd.out" 2>&1 &
daemons+=($!)
started+=($!)
node_ready() { sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; }
wait_until "the node to come up" 60 node_ready
sinfo
log "Slurm of its own up: $SLURM_CONF, ports $ctld_port and $d_port"

# --- the binary, the experiments, the unsharded references ----------------------------
if [ -z "${ENSEMBLE:-}" ]; then
  log "building ensemble (release, --static-swift-stdlib)"
  swift build -c release --static-swift-stdlib --product ensemble >/dev/null
  cp .build/release/ensemble "$work/ensemble"
  export ENSEMBLE=$work/ensemble
fi
export ENSEMBLE
files="$work/exps, 1"
mkdir -p "$files"
run_file="$files/slurm check.json"
cat >"$run_file" <<JSON
{
  name: "slurm-check", seed: 1, replications: 2,
  description: "The headline comparison, run as three Slurm shards.",
}
JSON
sens_file="$files/slurm sensitivity.json"
cat >"$sens_file" <<'JSON'
{
  name: "slurm-sensitivity", seed: 1, replications: 2,
  set: { horizon: 20 },
  conditions: [
    { name: "unstructured", design: "unstructured" },
    { name: "structured", design: "structured" },
  ],
  sensitivity: {
    method: "sobol", samples: 64,
    parameters: {
      "workload.edgeCaseRate": [0, 1],
      "design.auditRate": [0, 0.1],
      "design.handoffLoss": [0, 0.8],
    },
  },
  report: { metrics: ["correct_rate"] },
}
JSON
run_options=(--seed 20261122 --replications "$replications" --set design.reviewRate=0.9)
sens_options=(--seed 7 --replications $((replications / 500 + 4)) --set horizon=30)
log "unsharded references"
"$ENSEMBLE" run "$run_file" "${run_options[@]}" --out "$work/full-run" --quiet
"$ENSEMBLE" sensitivity "$sens_file" "${sens_options[@]}" --out "$work/full-sensitivity" --quiet

export ENSEMBLE_CHECKPOINT_SECONDS=1 # checkpoint often, so a kill has saved work to resume
cd "$work"
state_of() { squeue -h -j "$1" -o %T 2>/dev/null | head -n 1; }
gone() { [ -z "$(state_of "$1")" ]; }
saved() { [ -f "$1/.ensemble-run/journal" ] && wc -l <"$1/.ensemble-run/journal" || echo 0; }
has_saved() { [ "$(saved "$1")" -ge "$2" ]; }
finished() {  # JOB: gone from the queue; fails at once when its dependency cannot be met
  if squeue -h -j "$1" -o %r 2>/dev/null | grep -q DependencyNeverSatisfied; then
    squeue
    die "job $1's dependency can never be satisfied"
  fi
  gone "$1"
}
# resumed LOG WHAT: the shard's log says it continued an interrupted attempt.
resumed() {
  local line
  line=$(grep -a "from the interrupted $2" "$1" | tail -n 1 || true)
  [ -n "$line" ] || die "$1 does not say the shard resumed (it restarted?): $(tail -n 3 "$1")"
  echo "   resumed: $(basename "$1"): ${line#ensemble: }"
}
# same FILE...: every file identical in the unsharded and the merged folder.
status=0
same() {
  local reference=$1 merged=$2 file
  shift 2
  for file in "$@"; do
    if cmp -s "$reference/$file" "$merged/$file"; then
      echo "   identical: $file ($(wc -c <"$reference/$file") bytes)"
    else
      echo "   DIFFERENT: $file" >&2
      status=1
    fi
  done
}
submitted() { sed -n "s/.*$1 \([0-9][0-9]*\).*/\1/p" "$2" | head -n 1; }

# --- 1. a run: shard 1 requeued, shard 3 cancelled and rerun alone ---------------------
results="$work/results, run"
log "1. submit.sh: a run in three shards"
"$repo/deploy/slurm/submit.sh" "${run_options[@]}" "$run_file" "$results" 3 \
  --cpus-per-task=1 --mem=512M | tee submit-run.out
array=$(submitted "job array" submit-run.out)
wait_until "shard 1 to save 3 checkpoints" 300 has_saved "$results/shard-1" 3
log "requeueing array task ${array}_1 after $(saved "$results/shard-1") checkpoints"
scontrol requeue "${array}_1"
wait_until "shard 3 to save 3 checkpoints" 300 has_saved "$results/shard-3" 3
log "cancelling array task ${array}_3 after $(saved "$results/shard-3") checkpoints"
scancel "${array}_3"
wait_until "task 3 to end" 60 gone "${array}_3"
log "rerun.sh: shard 3 again, and the merge after it"
"$repo/deploy/slurm/rerun.sh" "$results" 3 | tee rerun.out
merge=$(submitted "the merge as job" rerun.out)
wait_until "the merge (job $merge)" 1800 finished "$merge"
resumed "$results/logs/shard-1.log" run
resumed "$results/logs/shard-3.log" run
same "$work/full-run" "$results/merged" runs.csv summary.csv contrasts.csv report.md \
  report.html conditions.svg

# --- 2. a sensitivity analysis: shard 2 requeued ------------------------------------------
sresults="$work/results, sensitivity"
log "2. submit.sh --sensitivity: an analysis in three shards"
"$repo/deploy/slurm/submit.sh" --sensitivity "${sens_options[@]}" "$sens_file" "$sresults" 3 \
  --cpus-per-task=1 --mem=512M | tee submit-sensitivity.out
sarray=$(submitted "job array" submit-sensitivity.out)
smerge=$(submitted "the merge as job" submit-sensitivity.out)
wait_until "shard 2 to save 2 checkpoints" 600 has_saved "$sresults/shard-2" 2
log "requeueing array task ${sarray}_2 after $(saved "$sresults/shard-2") checkpoints"
scontrol requeue "${sarray}_2"
wait_until "the merge (job $smerge)" 1800 finished "$smerge"
resumed "$sresults/logs/shard-2.log" analysis
same "$work/full-sensitivity" "$sresults/merged" points.csv sensitivity.csv report.md \
  report.html sensitivity-correct_rate.svg

# --- 3. a merge killed with kill -9 mid-merge, then requeued -------------------------------
log "3. a merge killed with kill -9 while it holds its locks, then requeued"
rm -rf "$results/merged"
paused="$work/merge-paused"
job=$(sbatch --parsable --export="ALL,ENSEMBLE_PAUSE_BEFORE_PUBLISH=$paused" \
  --output="$results/logs/merge.log" "$repo/deploy/slurm/ensemble-merge.sbatch" "$results")
job=${job%%;*}
wait_until "the merge to stop before its publish" 300 test -s "$paused"
pid=$(cat "$paused")
rm -f "$paused"
kill -9 "$pid"
wait_until "the killed merge's job to end" 120 gone "$job"
ls -A "$results/merged" | sed 's/^/   left by the killed merge: /'
scontrol requeue "$job"
wait_until "the requeued merge to stop before its publish" 600 test -s "$paused"
kill -CONT "$(cat "$paused")"
wait_until "the requeued merge (job $job)" 600 gone "$job"
tail -n 3 "$results/logs/merge.log" | sed 's/^/   merge.log: /'
same "$work/full-run" "$results/merged" runs.csv summary.csv contrasts.csv report.md \
  report.html conditions.svg
leftovers=$(cd "$results" && ls -A merged shard-1 shard-2 shard-3 | grep '^\.' || true)
[ -z "$leftovers" ] || { echo "   left behind: $leftovers" >&2; status=1; }

if [ $status -eq 0 ]; then
  echo "slurm-check: passed: a run and a sensitivity analysis in 3 shards each (tasks requeued,"
  echo "cancelled and rerun, resuming), and a merge killed -9 and requeued, equal the unsharded runs"
  rm -rf "$work"
else
  echo "slurm-check: FAILED; files kept in $work" >&2
fi
exit $status
