#!/usr/bin/env bash
# Runs an Ensemble experiment as a Slurm job array of SHARDS shards plus a merge step:
#
#   deploy/slurm/submit.sh EXPERIMENT RESULTS [SHARDS [SBATCH OPTIONS...]]
#
# EXPERIMENT is an experiment file or built-in name, RESULTS a folder every node can see.
# SBATCH OPTIONS go to both jobs (for example --partition=short --time=04:00:00
# --cpus-per-task=8 --mem=4G); each shard runs with as many threads as CPUs it gets.
# The merge job waits for the whole array (afterok) and writes RESULTS/merged. Logs go to
# RESULTS/logs/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: submit.sh EXPERIMENT RESULTS [SHARDS [SBATCH OPTIONS...]]"
experiment=${1:?$usage}
results=${2:?$usage}
shards=${3:-8}
shift $(($# < 3 ? $# : 3))
case $shards in '' | *[!0-9]* | 0) echo "submit.sh: SHARDS must be a whole number from 1, got $shards" >&2; exit 2 ;; esac
# Jobs start in the submission folder; absolute paths keep working if that changes.
[ -f "$experiment" ] && experiment=$(cd "$(dirname "$experiment")" && pwd)/$(basename "$experiment")
mkdir -p "$results/logs"
results=$(cd "$results" && pwd)
array=$(sbatch --parsable --array="1-$shards" --output="$results/logs/shard-%a.log" \
  --export="ALL,EXPERIMENT=$experiment,RESULTS=$results,SHARDS=$shards" "$@" \
  "$here/ensemble-shards.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$results/logs/merge.log" \
  --export="ALL,RESULTS=$results" "$@" "$here/ensemble-merge.sbatch")
merge=${merge%%;*}
echo "queued shards as job array $array and the merge as job $merge; the merged result will be in $results/merged"
echo "to rerun shard I alone (it continues where it stopped):"
echo "  sbatch --array=I --output=$results/logs/shard-%a.log --export=ALL,EXPERIMENT=$experiment,RESULTS=$results,SHARDS=$shards $* $here/ensemble-shards.sbatch"
