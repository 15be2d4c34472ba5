#!/usr/bin/env bash
# Runs an Ensemble experiment as a Slurm job array of SHARDS shards plus a merge step:
#
#   deploy/slurm/submit.sh [--sensitivity] [--seed S] [--replications N] [--set KEY=VALUE]...
#                          EXPERIMENT RESULTS [SHARDS [SBATCH OPTIONS...]]
#
# EXPERIMENT is an experiment file or built-in name, RESULTS a folder every node can see.
# --sensitivity runs the experiment's sensitivity analysis (`ensemble sensitivity`) instead
# of `ensemble run`; --seed, --replications and --set go to every shard as to ensemble.
# SBATCH OPTIONS go to both jobs (for example --partition=short --time=04:00:00
# --cpus-per-task=8 --mem=4G); each shard runs with as many threads as CPUs it gets.
# The merge job waits for the whole array (afterok) and writes RESULTS/merged. Logs go to
# RESULTS/logs/; RESULTS/logs/submission records the jobs for deploy/slurm/rerun.sh.
# Every path and value is passed as one argument: spaces, commas and quotes are fine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: submit.sh [--sensitivity] [--seed S] [--replications N] [--set KEY=VALUE]... EXPERIMENT RESULTS [SHARDS [SBATCH OPTIONS...]]"
command=run
options=()
while [ $# -gt 0 ]; do
  case $1 in
    --sensitivity) command=sensitivity; shift ;;
    --seed | --replications | --set)
      [ $# -ge 2 ] || { echo "submit.sh: $1 needs a value; $usage" >&2; exit 2; }
      options+=("$1" "$2"); shift 2 ;;
    --seed=* | --replications=* | --set=*) options+=("${1%%=*}" "${1#*=}"); shift ;;
    --) shift; break ;;
    -*) echo "submit.sh: unknown option $1 (ensemble options come before EXPERIMENT, sbatch options after SHARDS); $usage" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
experiment=$1
results=$2
shards=${3:-8}
shift $(($# < 3 ? $# : 3))
case $shards in '' | *[!0-9]* | 0) echo "submit.sh: SHARDS must be a whole number from 1, got $shards" >&2; exit 2 ;; esac
# Jobs start in the submission folder; absolute paths keep working if that changes.
if [ -f "$experiment" ]; then
  experiment=$(cd "$(dirname -- "$experiment")" && pwd)/$(basename -- "$experiment")
fi
mkdir -p -- "$results/logs"
results=$(cd -- "$results" && pwd)
# sbatch reads % in --output as a pattern (%a: the array index): a literal % is %%.
logs=${results//%/%%}/logs
array=$(sbatch --parsable --array="1-$shards" --output="$logs/shard-%a.log" "$@" \
  "$here/ensemble-shards.sbatch" "$command" "$experiment" "$results" "$shards" ${options[@]+"${options[@]}"})
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$logs/merge.log" "$@" \
  "$here/ensemble-merge.sbatch" "$results")
merge=${merge%%;*}
# What rerun.sh needs to queue a shard and the merge again the same way.
{
  printf 'command=%q\nexperiment=%q\nresults=%q\nshards=%q\nmerge=%q\narrays=(%q)\n' \
    "$command" "$experiment" "$results" "$shards" "$merge" "$array"
  printf 'options=('; for o in ${options[@]+"${options[@]}"}; do printf '%q ' "$o"; done; printf ')\n'
  printf 'sbatch_options=('; for o in "$@"; do printf '%q ' "$o"; done; printf ')\n'
} >"$results/logs/submission"
echo "queued shards as job array $array and the merge as job $merge; the merged result will be in $results/merged"
printf 'to rerun shards that failed or were cancelled (each continues where it stopped), and\n'
printf 'queue the merge again after them:\n  %q %q I...\n' "$here/rerun.sh" "$results"
