#!/usr/bin/env bash
# Runs an Ensemble experiment as a Slurm job array of SHARDS shards plus a merge step:
#
#   deploy/slurm/submit.sh EXPERIMENT RESULTS [SHARDS]
#
# EXPERIMENT is an experiment file or built-in name, RESULTS a folder every node can see.
# The merge job waits for the whole array (afterok) and writes RESULTS/merged.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
experiment=${1:?usage: submit.sh EXPERIMENT RESULTS [SHARDS]}
results=${2:?usage: submit.sh EXPERIMENT RESULTS [SHARDS]}
shards=${3:-8}
mkdir -p "$results"
array=$(sbatch --parsable --array="1-$shards" --export="ALL,EXPERIMENT=$experiment,RESULTS=$results" "$here/ensemble-shards.sbatch")
sbatch --dependency="afterok:${array%%;*}" --export="ALL,RESULTS=$results" "$here/ensemble-merge.sbatch"
echo "queued shards as job $array; the merged result will be in $results/merged"
