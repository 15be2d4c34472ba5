#!/usr/bin/env bash
# Races readers against writers of the same folder (issue 21) and counts the outcomes:
#
#   1. `report DIR` against `run --force --out DIR` (another seed);
#   2. `merge shard-*` against a rerun of shard 1 (`run --shard 1/3 --force`), half of the
#      trials with the same seed (a compatible shard), half with another;
#   3. `report DIR` against a plain overwrite of DIR/runs.csv (`cat other > runs.csv`, not
#      ensemble: no lock).
#
# Each trial starts the two at a random offset (either may go first). A trial passes when
# each command either refuses (exit 2; exit 1 when its input changed under it) or succeeds,
# and every folder then holds exactly one whole result: the old one or the winner's, the
# files of one run byte for byte, never a mix. Prints the counts and exits 1 on any mix.
#
#   Scripts/race-check.sh [TRIALS]     default 50 per race; CI runs 4
#
# ENSEMBLE is the binary to race (default: .build/debug/ensemble, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-50}
if [ -z "${ENSEMBLE:-}" ]; then
  [ -x .build/debug/ensemble ] || swift build --product ensemble >/dev/null
  ENSEMBLE=$(pwd)/.build/debug/ensemble
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ensemble-race.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
files="runs.csv summary.csv contrasts.csv report.md report.html conditions.svg"
failures=0

# same A B: the two folders hold the same result, file for file, and nothing hidden.
same() {
  local f
  for f in $files; do cmp -s "$1/$f" "$2/$f" || return 1; done
  [ -z "$(ls -A "$1" | grep '^\.' || true)" ]
}
# offset LOW HIGH: a random number of seconds in [LOW, HIGH).
offset() { awk -v s="$RANDOM$RANDOM" -v lo="$1" -v hi="$2" 'BEGIN { srand(s); printf "%.3f", lo + rand() * (hi - lo) }'; }
# race DELAY "A..." "B...": starts A, then B after DELAY s (B first when DELAY < 0); sets
# status_a and status_b.
race() {
  local delay=$1 a=$2 b=$3 pa pb
  if awk -v d="$delay" 'BEGIN { exit !(d < 0) }'; then
    bash -c "$b" & pb=$!
    sleep "${delay#-}"
    bash -c "$a" & pa=$!
  else
    bash -c "$a" & pa=$!
    sleep "$delay"
    bash -c "$b" & pb=$!
  fi
  set +e
  wait $pa; status_a=$?
  wait $pb; status_b=$?
  set -e
}
fail() { echo "MIX: $*" >&2; failures=$((failures + 1)); }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'; }

E=$ENSEMBLE
cat >race.json <<'JSON'
{ name: "race", seed: 1, replications: 1000, set: { horizon: 6 } }
JSON

# --- 1. report against run --force --------------------------------------------------------
"$E" run race.json --out old --quiet
"$E" run race.json --seed 2 --out new --quiet
T=$(seconds "$E" run race.json --seed 2 --out timing --quiet --force)
declare -A one=()
for i in $(seq 1 "$trials"); do
  rm -rf x && cp -a old x
  # Half the trials start the two together (report first or second), half the report
  # near the end of the run (its publish).
  if [ $((i % 2)) = 1 ]; then d=$(offset -0.4 0.3); else
    d=$(offset "$(awk -v t="$T" 'BEGIN { print t * 0.8 }')" "$(awk -v t="$T" 'BEGIN { print t * 1.2 }')")
  fi
  race "$d" \
    "'$E' run race.json --seed 2 --out x --force --quiet 2>/dev/null" \
    "'$E' report x 2>/dev/null"
  run=$status_a report=$status_b
  if same x new; then state=new; elif same x old; then state=old; else state=mix; fi
  case "$run/$report/$state" in
    0/0/new | 0/2/new | 2/0/old | 2/2/old) ;;
    *) fail "report vs run --force, trial $i: run $run, report $report, folder $state" ;;
  esac
  key="run $run, report $report, folder $state"
  one[$key]=$((${one[$key]:-0} + 1))
done

# --- 2. merge against a rerun of a shard ------------------------------------------------
for i in 1 2 3; do "$E" run race.json --shard "$i/3" --out "pristine/shard-$i" --quiet; done
"$E" run race.json --seed 2 --shard 1/3 --out other-shard --quiet
"$E" merge pristine/shard-* --out merged-reference --quiet
S=$(seconds "$E" run race.json --shard 1/3 --out timing-shard --quiet --force)
M=$(seconds "$E" merge pristine/shard-* --out timing-merge --quiet --force)
declare -A two=()
for i in $(seq 1 "$trials"); do
  rm -rf shards out && cp -a pristine shards
  # Odd trials rerun the shard with seed 2 (incompatible), even ones as it was made.
  seed=$((1 + i % 2))
  seeded=$([ "$seed" = 2 ] && echo "--seed 2" || true)
  # Half the trials start the merge first (up to its whole length before the rerun),
  # half near the end of the rerun.
  if [ $(((i + 1) / 2 % 2)) = 1 ]; then d=$(offset "-$M" 0.1); else
    d=$(offset "$(awk -v t="$S" 'BEGIN { print t * 0.8 }')" "$(awk -v t="$S" 'BEGIN { print t * 1.2 }')")
  fi
  race "$d" \
    "'$E' run race.json $seeded --shard 1/3 --out shards/shard-1 --force --quiet 2>/dev/null" \
    "'$E' merge shards/shard-* --out out --force --quiet 2>/dev/null"
  rerun=$status_a merge=$status_b
  if [ "$seed" = 1 ]; then
    files="runs.csv summary.csv contrasts.csv report.md report.html" same shards/shard-1 pristine/shard-1 && shard=whole || shard=mix
  else
    if files="runs.csv summary.csv report.md" same shards/shard-1 other-shard; then shard=new
    elif files="runs.csv summary.csv report.md" same shards/shard-1 pristine/shard-1; then shard=old
    else shard=mix; fi
  fi
  if [ "$merge" = 0 ]; then
    same out merged-reference && merged=reference || merged=mix
  else
    merged=none
    [ -z "$(ls -A out 2>/dev/null | grep -v '^\.ensemble' || true)" ] || merged=mix
  fi
  case "$seed/$rerun/$merge/$shard/$merged" in
    1/[02]/0/whole/reference | 1/[02]/2/whole/none) ;;
    2/0/0/new/reference | 2/0/2/new/none | 2/2/0/old/reference | 2/2/2/old/none) ;;
    *) fail "merge vs shard rerun, trial $i: seed $seed, rerun $rerun, merge $merge, shard $shard, merged $merged" ;;
  esac
  key="$([ "$seed" = 1 ] && echo same || echo other) seed: rerun $rerun, merge $merge"
  two[$key]=$((${two[$key]:-0} + 1))
done

# --- 3. report against a plain overwrite of runs.csv ------------------------------------
R=$(seconds "$E" report old)
declare -A three=()
for i in $(seq 1 "$trials"); do
  rm -rf x && cp -a old x
  race "$(offset -0.05 "$(awk -v t="$R" 'BEGIN { print t }')")" \
    "'$E' report x 2>/dev/null" \
    "cat new/runs.csv > x/runs.csv"
  report=$status_a
  # runs.csv is the new one now; every other file must be the old result's.
  state=old
  for f in summary.csv contrasts.csv report.md report.html conditions.svg; do
    cmp -s "x/$f" "old/$f" || state=mix
  done
  [ -z "$(ls -A x | grep '^\.' || true)" ] || state=mix
  case "$report/$state" in 0/old | 1/old | 2/old) ;; *) fail "report vs overwrite, trial $i: report $report, folder $state" ;; esac
  key="report $report"
  three[$key]=$((${three[$key]:-0} + 1))
done

echo "race-check: $trials trials per race (run --force ${T} s, shard rerun ${S} s, merge ${M} s, report ${R} s)"
echo "1. report against run --force (folder afterwards: old or new result, whole):"
for k in "${!one[@]}"; do printf '   %3d  %s\n' "${one[$k]}" "$k"; done | sort -k2
echo "2. merge against a rerun of shard 1 (merged result, when made: the reference):"
for k in "${!two[@]}"; do printf '   %3d  %s\n' "${two[$k]}" "$k"; done | sort -k2
echo "3. report against cat over runs.csv (exit 1: changed under it; derived files kept):"
for k in "${!three[@]}"; do printf '   %3d  %s\n' "${three[$k]}" "$k"; done | sort -k2
if [ $failures -gt 0 ]; then
  echo "race-check: $failures trials ended in a mix" >&2
  exit 1
fi
echo "race-check: no mix in $((3 * trials)) trials"
