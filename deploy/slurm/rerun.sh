#!/usr/bin/env bash
# Reruns shards of a submission made by submit.sh, and queues its merge again:
#
#   deploy/slurm/rerun.sh RESULTS [I...]
#
# For a shard that failed, was cancelled or timed out: the merge that submit.sh queued
# waits for the whole array (afterok) and can then never run. This script
#   1. cancels that stranded merge;
#   2. queues shards I... again, with the options and sbatch options of the submission
#      (each continues where it stopped: --resume);
#   3. queues a new merge with an afterok dependency on them and on every shard still
#      queued or running, its log in RESULTS/logs/merge.log;
# and records the new jobs in RESULTS/logs/submission, so it can be used again. Without I,
# it queues only the merge again (after the shards still on their way): for a merge that
# failed, or was killed and not requeued.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: rerun.sh RESULTS [I...]"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
results=$(cd -- "$1" && pwd)
shift
record="$results/logs/submission"
[ -f "$record" ] || { echo "rerun.sh: $record is missing (was RESULTS made by submit.sh?)" >&2; exit 2; }
# shellcheck disable=SC1090
source "$record"
indices=()
for i in "$@"; do
  case $i in '' | *[!0-9]* | 0) echo "rerun.sh: shard index $i is not a whole number from 1" >&2; exit 2 ;; esac
  [ "$i" -le "$shards" ] || { echo "rerun.sh: shard $i is outside 1 to $shards" >&2; exit 2; }
  indices+=("$i")
done
logs=${results//%/%%}/logs

# 1. The stranded merge (if it has not gone already).
scancel "$merge" 2>/dev/null || true

# The shards still queued or running (not among those rerun): the new merge waits for them.
waiting=()
for job in "${arrays[@]}"; do
  while read -r task; do
    [ -n "$task" ] || continue
    index=${task##*_}
    rerun=no
    for i in "${indices[@]}"; do [ "$index" = "$i" ] && rerun=yes; done
    if [ $rerun = yes ]; then
      # Still on its way: it needs no rerun (a second copy would find its folder locked).
      echo "rerun.sh: shard $index is still queued or running (job $task); not queued again" >&2
      kept=()
      for i in "${indices[@]}"; do [ "$i" = "$index" ] || kept+=("$i"); done
      indices=(${kept[@]+"${kept[@]}"})
    fi
    waiting+=("$task")
  done < <(squeue -h -r -j "$job" -o %i 2>/dev/null | grep '_[0-9]*$' || true)
done

# 2. The shards again.
if [ ${#indices[@]} -eq 0 ]; then
  after=()
  dependency=""
  for task in ${waiting[@]+"${waiting[@]}"}; do dependency+="${dependency:+:}$task"; done
  [ -z "$dependency" ] || after=(--dependency="afterok:$dependency")
  merge=$(sbatch --parsable ${after[@]+"${after[@]}"} --output="$logs/merge.log" \
    ${sbatch_options[@]+"${sbatch_options[@]}"} "$here/ensemble-merge.sbatch" "$results")
  merge=${merge%%;*}
  sed -i "s/^merge=.*/merge=$merge/" "$record"
  echo "queued the merge again as job $merge${dependency:+ (after afterok:$dependency)}; log: $results/logs/merge.log"
  exit 0
fi
list=$(IFS=,; echo "${indices[*]}")
again=$(sbatch --parsable --array="$list" --output="$logs/shard-%a.log" ${sbatch_options[@]+"${sbatch_options[@]}"} \
  "$here/ensemble-shards.sbatch" "$command" "$experiment" "$results" "$shards" ${options[@]+"${options[@]}"})
again=${again%%;*}

# 3. The merge, after them and after every shard still on its way.
dependency="afterok:$again"
for task in ${waiting[@]+"${waiting[@]}"}; do dependency+=":$task"; done
merge=$(sbatch --parsable --dependency="$dependency" --output="$logs/merge.log" ${sbatch_options[@]+"${sbatch_options[@]}"} \
  "$here/ensemble-merge.sbatch" "$results")
merge=${merge%%;*}
arrays+=("$again")
{
  printf 'command=%q\nexperiment=%q\nresults=%q\nshards=%q\nmerge=%q\n' \
    "$command" "$experiment" "$results" "$shards" "$merge"
  printf 'arrays=('; for a in "${arrays[@]}"; do printf '%q ' "$a"; done; printf ')\n'
  printf 'options=('; for o in ${options[@]+"${options[@]}"}; do printf '%q ' "$o"; done; printf ')\n'
  printf 'sbatch_options=('; for o in ${sbatch_options[@]+"${sbatch_options[@]}"}; do printf '%q ' "$o"; done; printf ')\n'
} >"$record"

# A shard that has no result and is neither rerun nor on its way makes the merge fail.
for i in $(seq 1 "$shards"); do
  [ -f "$results/shard-$i/manifest.json" ] && continue
  on_way=no
  for j in "${indices[@]}"; do [ "$i" = "$j" ] && on_way=yes; done
  for task in ${waiting[@]+"${waiting[@]}"}; do [ "${task##*_}" = "$i" ] && on_way=yes; done
  [ $on_way = yes ] || echo "rerun.sh: warning: shard $i has no result and is not queued; the merge will fail unless you rerun it too" >&2
done
echo "queued shard(s) $list again as job array $again and the merge as job $merge (after $dependency); log: $results/logs/merge.log"
