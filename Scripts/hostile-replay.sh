#!/usr/bin/env bash
# Replays the reproductions of issue 21 (the hostile probe's findings) against the built
# `ensemble` and prints one line per finding:
#
#   fixed   the probe's reproduction no longer misbehaves (it did on the state the issue was
#           filed on)
#   held    behaviour the issue names as already right, still right
#   FAILED  the reproduction misbehaves again (its log follows)
#
# Exits 1 if any finding FAILED. Each finding is one function below, listed in FINDINGS at
# the end with its label and the issue's words; add a finding by adding both.
#
#   Scripts/hostile-replay.sh            uses .build/debug/ensemble (builds it if missing)
#   ENSEMBLE=path/to/ensemble Scripts/hostile-replay.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ENSEMBLE:-}" ]; then
  [ -x .build/debug/ensemble ] || swift build --product ensemble >/dev/null
  ENSEMBLE=$PWD/.build/debug/ensemble
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- Helpers: each stops its finding's subshell with a message on failure. -----------------

fail() {
  echo "$*" >&2
  exit 1
}

# run EXPECTED_STATUS ARGS...: runs ensemble (for at most $seconds seconds), keeps stdout
# and stderr in $out and $err.
seconds=120
run() {
  local expected=$1
  shift
  local status=0
  timeout "$seconds" "$ENSEMBLE" "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
  out=$(cat "$work/stdout")
  err=$(head -c 2000 "$work/stderr")
  [ "$status" != 124 ] || fail "ensemble $* took more than $seconds s"
  [ "$status" -lt 128 ] || fail "ensemble $* died of signal $((status - 128))"
  [ "$status" = "$expected" ] || fail "ensemble $* exited $status, expected $expected: $err"
}

# says TEXT: the last command's stderr holds TEXT.
says() {
  grep -qF -- "$1" <<<"$err" || fail "expected the message to hold \"$1\", got: $err"
}

# one_line: the last command's stderr is one line (a message, not a stack trace).
one_line() {
  [ "$(wc -l <"$work/stderr")" -le 1 ] || fail "expected one line, got: $err"
}

# absent PATH: nothing was written there.
absent() {
  [ ! -e "$1" ] || fail "$1 was written"
}

# within MILLISECONDS ARGS...: runs `run ARGS...` and fails if it took longer.
within() {
  local limit=$1
  shift
  local start end
  start=$(date +%s%N)
  seconds=$((limit / 1000 * 5 + 5)) run "$@"
  end=$(date +%s%N)
  local ms=$(((end - start) / 1000000))
  [ "$ms" -le "$limit" ] || fail "took $ms ms, more than $limit"
}

# field FILE LINE COLUMN VALUE: sets a CSV field (1-based line and column), in place.
field() {
  awk -v l="$2" -v c="$3" -v v="$4" 'BEGIN { FS = OFS = "," } NR == l { $c = v } { print }' \
    "$1" >"$1.new"
  mv "$1.new" "$1"
}

# A small result, its shards, and a small sensitivity analysis, made once and copied.
make_results() {
  cat >"$work/small.json" <<'JSON'
{ name: "small", seed: 3, replications: 4, set: { horizon: 4 },
  sweep: { "design.reviewRate": [0.5, 1] } }
JSON
  "$ENSEMBLE" run "$work/small.json" --out "$work/small" --quiet
  for i in 1 2; do
    "$ENSEMBLE" run "$work/small.json" --shard "$i/2" --out "$work/shard-$i" --quiet
  done
  cat >"$work/levers.json" <<'JSON'
{ name: "levers", seed: 5, replications: 3, set: { horizon: 4 },
  sensitivity: { samples: 4, parameters: { "workload.edgeCaseRate": [0, 1], "design.auditRate": [0, 0.1] } },
  report: { metrics: ["correct_rate"] } }
JSON
  "$ENSEMBLE" sensitivity "$work/levers.json" --out "$work/levers" --quiet
}

# copy NAME FROM: a fresh copy of a result to damage.
copy() {
  rm -rf "${work:?}/$1"
  cp -R "$work/$2" "$work/$1"
}

# --- Item 2: nothing in a parameter can crash the engine. ----------------------------------

lognormal_crash() {
  local set='workload.work={lognormal: {mean: 1, sd: 1e155}}'
  run 2 check structured-vs-unstructured --replications 20 --set "$set"
  says "workload.work: lognormal sd 1e+155 is out of range"
  one_line
  run 2 run structured-vs-unstructured --replications 20 --set "$set" --out "$work/crash" --quiet
  says "workload.work: lognormal sd 1e+155 is out of range"
  one_line
  absent "$work/crash"
}

# --- Item 3: one strict number parser. -----------------------------------------------------

runs_nul() {
  copy nul small
  field "$work/nul/runs.csv" 2 8 $'0.675\x01junk'
  # A NUL byte cannot pass through awk or a shell variable; put it in with printf.
  LC_ALL=C sed -i $'2s/\x01/\\x00/' "$work/nul/runs.csv"
  grep -qaP '0\.675\x00junk' "$work/nul/runs.csv" || fail "the NUL did not make it into runs.csv"
  run 2 report "$work/nul"
  says 'runs.csv:2:8: correct_rate: "0.675\0junk" is not a finite number'
  one_line
  copy nul-shard shard-2
  field "$work/nul-shard/runs.csv" 2 8 $'0.675\x01junk'
  LC_ALL=C sed -i $'2s/\x01/\\x00/' "$work/nul-shard/runs.csv"
  run 2 merge "$work/shard-1" "$work/nul-shard" --out "$work/merged-nul"
  says 'nul-shard/runs.csv:2:8: correct_rate: "0.675\0junk" is not a finite number'
  absent "$work/merged-nul"
}

points_out_of_bounds() {
  copy rate levers
  field "$work/rate/points.csv" 2 4 1.5
  run 2 report "$work/rate"
  says "points.csv:2:4: unstructured:correct_rate: 1.5 is out of range (allowed: 0 to 1)"
  copy sd levers
  field "$work/sd/points.csv" 3 5 -0.25
  run 2 report "$work/sd"
  says "points.csv:3:5: unstructured:correct_rate:sd: -0.25 is out of range"
  copy pnul levers
  field "$work/pnul/points.csv" 4 6 $'0.5\x01junk'
  LC_ALL=C sed -i $'4s/\x01/\\x00/' "$work/pnul/points.csv"
  run 2 report "$work/pnul"
  says 'points.csv:4:6: structured:correct_rate: "0.5\0junk" is not a finite number'
  one_line
}

sensitivity_format_version() {
  copy v99 levers
  sed -i 's/"formatVersion": 1/"formatVersion": 99/' "$work/v99/manifest.json"
  run 2 report "$work/v99"
  says "formatVersion: is 99; this ensemble reads version 1"
  run 2 merge "$work/v99" --out "$work/merged-v99"
  absent "$work/merged-v99"
}

# --- Item 4: what the user asked is what runs. ---------------------------------------------

# team_json EXTRA [SET]: a team whose ai group gives member 4 the monitor role.
team_json() {
  cat <<JSON
{ name: "roles", replications: 2, set: { horizon: 3${2:-} }, $1
  scenario: { team: [
    { name: "lead", kind: "human", count: 1, skill: 0.6, roles: ["conductor"] },
    { name: "ai", kind: "ai", count: 5, skill: 0.5, roles: { translator: [0], monitor: [4] } },
  ] } }
JSON
}

roles_refused_in_files() {
  team_json "" ', "team.ai.count": 3' >"$work/in-set.json"
  run 2 check "$work/in-set.json"
  says "member 4 does not exist: group ai has at most 3 members"
  team_json 'conditions: [{ name: "a", set: { "team.ai.count": 2 } }],' >"$work/in-condition.json"
  run 2 check "$work/in-condition.json"
  says "scenario.team[1].roles.monitor[0]: member 4 does not exist: group ai has at most 2"
  team_json 'sweep: { "team.ai.count": [1, 2, 3] },' >"$work/in-sweep.json"
  run 2 check "$work/in-sweep.json"
  says "scenario.team[1].roles.monitor[0]: member 4 does not exist"
}

roles_dropped_by_overrides() {
  team_json "" >"$work/roles.json"
  run 2 check "$work/roles.json" --set team.ai.count=3
  says "team.ai.count=3 would drop a role: member 4 of group ai holds the monitor role"
  run 2 run "$work/roles.json" --set team.ai.count=3 --out "$work/roles-out" --quiet
  says "team.ai.count=3 would drop a role"
  absent "$work/roles-out"
  team_json 'sensitivity: { samples: 4, parameters: { "team.ai.count": [1, 3], "workload.arrivalRate": [1, 2] } },' \
    >"$work/roles-range.json"
  run 2 sensitivity "$work/roles-range.json" --out "$work/roles-range" --quiet
  says "the range [1, 3] would drop a role: member 4 of group ai holds the monitor role"
  absent "$work/roles-range"
}

exact_seeds() {
  for seed in 9007199254740993.0 9.007199254740993e15; do
    echo "{ seed: $seed, replications: 1 }" >"$work/seed.json"
    run 2 check "$work/seed.json"
    says "write 9007199254740993"
    run 2 check structured-vs-unstructured --seed "$seed"
    says "write 9007199254740993"
  done
  echo '{ seed: 9007199254740993, replications: 1 }' >"$work/seed.json"
  run 0 check "$work/seed.json"
  grep -q '^seed         9007199254740993$' <<<"$out" || fail "the plain seed changed: $out"
}

trace_file_names() {
  echo '{ set: { horizon: 2 }, conditions: [{ name: "ai+human" }, { name: "ai-human" }] }' \
    >"$work/clash.json"
  run 2 check "$work/clash.json"
  says 'would share the trace files events-ai-human.csv'
  run 2 trace "$work/clash.json" --out "$work/clash-trace"
  absent "$work/clash-trace"
}

# --- Item 5: linear in everything. ----------------------------------------------------------

many_conditions() {
  python3 - "$work" <<'PY'
import sys
for n in (10**5, 10**6):
    with open(f"{sys.argv[1]}/c{n}.json", "w") as f:
        f.write('{ name: "big", conditions: [' + ",".join('{name: "c%d"}' % i for i in range(n)) + "] }")
PY
  within 1000 2 check "$work/c100000.json"
  says "conditions: more than 1000 conditions"
  within 1000 2 check "$work/c1000000.json"
  says "more than the 8388608 an experiment may be"
}

long_condition_name() {
  python3 -c 'print("{ replications: 20, set: { horizon: 5 }, conditions: [{ name: \"" + "x" * 10000 + "\" }, { name: \"s\", design: \"structured\" }] }")' \
    >"$work/long.json"
  within 1000 2 run "$work/long.json" --out "$work/long" --quiet
  says "is 10000 bytes long; a name is at most 200 bytes"
  absent "$work/long"
  # At the cap, a run and its report take no time.
  python3 -c 'print("{ replications: 20, set: { horizon: 5 }, conditions: [{ name: \"" + "x" * 200 + "\" }, { name: \"s\", design: \"structured\" }] }")' \
    >"$work/capped.json"
  within 5000 0 run "$work/capped.json" --out "$work/capped" --quiet
  within 5000 0 report "$work/capped"
}

long_description() {
  { printf '{ description: "'; head -c $((140 << 20)) /dev/zero | tr '\0' 'd'; printf '" }\n'; } \
    >"$work/described.json"
  within 1000 2 run "$work/described.json" --out "$work/described" --quiet
  says "more than the 8388608 an experiment may be"
  absent "$work/described"
  rm "$work/described.json"
  python3 -c 'print("{ description: \"" + "d" * 10001 + "\" }")' >"$work/described.json"
  run 2 check "$work/described.json"
  says "a description is at most 10000 bytes"
}

# --- Items 1 and 6: readers race writers; cluster retries. -------------------------------
# A command is met while it holds its locks through ENSEMBLE_PAUSE_BEFORE_PUBLISH (it stops
# itself just before its publish); Scripts/race-check.sh races them at random instants.

# paused FILE ARGS...: starts ensemble ARGS in the background, waits until it has read its
# inputs and stopped itself before its publish; sets $paused_pid.
paused() {
  local marker=$1
  shift
  rm -f "$marker"
  ENSEMBLE_PAUSE_BEFORE_PUBLISH=$marker "$ENSEMBLE" "$@" >/dev/null 2>"$marker.err" &
  paused_pid=$!
  for _ in $(seq 1 600); do [ -s "$marker" ] && return 0; sleep 0.05; done
  fail "ensemble $* never reached its publish"
}

# resume_paused: lets the paused command go on; sets $paused_status.
resume_paused() {
  kill -CONT "$paused_pid"
  paused_status=0
  wait "$paused_pid" || paused_status=$?
}

report_races_run_force() {
  copy raced small
  # report holds the folder: run --force is refused, naming it; report then finishes.
  paused "$work/report.paused" report "$work/raced"
  run 2 run "$work/small.json" --seed 9 --out "$work/raced" --force
  says "is in use by another ensemble command (pid $paused_pid"
  resume_paused
  [ "$paused_status" = 0 ] || fail "report exited $paused_status: $(cat "$work/report.paused.err")"
  cmp -s "$work/raced/summary.csv" "$work/small/summary.csv" || fail "report wrote another summary"
  # run --force holds it: report is refused; the run's result is whole.
  paused "$work/run.paused" run "$work/small.json" --seed 9 --out "$work/raced" --force --quiet
  run 2 report "$work/raced"
  says "is in use by another ensemble command (pid $paused_pid"
  resume_paused
  [ "$paused_status" = 0 ] || fail "run --force exited $paused_status"
  grep -q '"seed": "9"' "$work/raced/manifest.json" || fail "the run's manifest is not there"
  # runs.csv written over (not by ensemble) while report reads it: exit 1, old files kept.
  cp "$work/raced/summary.csv" "$work/summary.before"
  paused "$work/report2.paused" report "$work/raced"
  cat "$work/small/runs.csv" >"$work/raced/runs.csv"
  resume_paused
  [ "$paused_status" = 1 ] || fail "report exited $paused_status, expected 1"
  grep -q "changed while report read it" "$work/report2.paused.err" || fail "no change named"
  cmp -s "$work/raced/summary.csv" "$work/summary.before" || fail "report wrote over a change"
}

merge_races_shard_rerun() {
  copy m1 shard-1
  copy m2 shard-2
  # The merge reads the shards under a shared lock: a rerun of one is refused, naming it.
  paused "$work/merge.paused" merge "$work/m1" "$work/m2" --out "$work/merged"
  run 2 run "$work/small.json" --seed 9 --shard 1/2 --out "$work/m1" --force
  says "is being read by another ensemble command (pid $paused_pid"
  resume_paused
  [ "$paused_status" = 0 ] || fail "merge exited $paused_status: $(cat "$work/merge.paused.err")"
  cmp -s "$work/merged/runs.csv" "$work/small/runs.csv" || fail "the merged runs.csv differs"
  # A shard being rerun: the merge is refused, and writes nothing.
  paused "$work/rerun.paused" run "$work/small.json" --shard 1/2 --out "$work/m1" --force --quiet
  run 2 merge "$work/m1" "$work/m2" --out "$work/merged-2"
  says "is in use by another ensemble command (pid $paused_pid"
  absent "$work/merged-2"
  resume_paused
  [ "$paused_status" = 0 ] || fail "the shard rerun exited $paused_status"
}

merge_requeued_after_kill() {
  # The recipe's merge, killed with SIGKILL in its publish and requeued as it is.
  local step
  for step in 1 3 6; do
    rm -rf "$work/requeued"
    set +e
    ENSEMBLE_FAULT_PUBLISH_STEP=$step "$ENSEMBLE" merge "$work/shard-1" "$work/shard-2" \
      --out "$work/requeued" --force --quiet 2>/dev/null
    local status=$?
    set -e
    [ "$status" = 137 ] || fail "step $step: the merge was not killed (exit $status)"
    run 0 merge "$work/shard-1" "$work/shard-2" --out "$work/requeued" --force
    cmp -s "$work/requeued/runs.csv" "$work/small/runs.csv" || fail "step $step: runs.csv differs"
    [ -z "$(ls -A "$work/requeued" "$work/shard-1" | grep '^\.ensemble' || true)" ] ||
      fail "step $step: a lock or staging folder was left"
  done
}

submit_comma_path() {
  # submit.sh against stand-ins for sbatch and ensemble: an experiment path with a comma
  # and a space reaches ensemble as one argument.
  mkdir -p "$work/bin" "$work/exp, 1"
  printf '#!/usr/bin/env bash\nn=$(ls "%s" | grep -c "^sbatch-")\nprintf "%%s\\0" "$@" >"%s/sbatch-$((n + 1))"\necho 7\n' \
    "$work" "$work" >"$work/bin/sbatch"
  printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$@" >"%s/ensemble-args"\n' "$work" \
    >"$work/bin/ensemble"
  chmod +x "$work/bin/sbatch" "$work/bin/ensemble"
  echo '{}' >"$work/exp, 1/a b.json"
  PATH="$work/bin:$PATH" deploy/slurm/submit.sh "$work/exp, 1/a b.json" "$work/res, 1" 2 \
    >/dev/null || fail "submit.sh failed"
  local args
  mapfile -d '' args <"$work/sbatch-1"
  PATH="$work/bin:$PATH" SLURM_ARRAY_TASK_ID=1 bash "${args[@]:3}"
  [ "$(sed -n 2p "$work/ensemble-args")" = "$work/exp, 1/a b.json" ] ||
    fail "the shard ran with $(tr '\n' ' ' <"$work/ensemble-args")"
}

# --- The findings: label, function, the issue's words. -------------------------------------

FINDINGS=(
  "fixed|lognormal_crash|run --set 'workload.work={lognormal: {mean: 1, sd: 1e155}}' died with SIGILL; check called it valid"
  "fixed|runs_nul|runs.csv: 0.675\\0junk was accepted, and merge copied the NUL and the junk"
  "fixed|points_out_of_bounds|points.csv: a mean correct rate of 1.5, a negative sd or a NUL were accepted"
  "fixed|sensitivity_format_version|a sensitivity manifest with formatVersion 99 was accepted"
  "held|roles_refused_in_files|a role index out of range is refused in a file, a condition's set and a sweep"
  "fixed|roles_dropped_by_overrides|a role was dropped silently by --set team.ai.count=3 or a sensitivity range [1, 3]"
  "fixed|exact_seeds|seeds 9007199254740993.0 and 9.007199254740993e15 became 9007199254740992"
  "fixed|trace_file_names|trace: conditions ai+human and ai-human overwrote each other's files"
  "fixed|many_conditions|10^5 named conditions took 17 s to be refused, 10^6 more than 120 s"
  "fixed|long_condition_name|a condition name of 10,000 characters took 9 s to run and 9 s to report"
  "fixed|long_description|a 140 MB description gave a 280 MB manifest that report refused"
  "fixed|report_races_run_force|report raced run --force: old summaries over the new runs.csv, or garbage, exit 0"
  "fixed|merge_races_shard_rerun|merge raced a rerun of its input shard: torn rows, exit 0, or SIGILL"
  "fixed|merge_requeued_after_kill|a merge hard-killed and requeued failed on the stale lock (exit 2)"
  "fixed|submit_comma_path|submit.sh broke on a comma in the experiment path"
)

make_results
failures=0
for finding in "${FINDINGS[@]}"; do
  IFS='|' read -r label function words <<<"$finding"
  # Not in an `if`: there, bash would ignore the subshell's `set -e`.
  set +e
  (set -e; "$function") >"$work/$function.log" 2>&1
  status=$?
  set -e
  if [ "$status" = 0 ]; then
    printf '%-6s  %s\n' "$label" "$words"
  else
    failures=$((failures + 1))
    printf 'FAILED  %s\n' "$words"
    sed 's/^/        /' "$work/$function.log" | tail -n 12
  fi
done
echo "hostile replay: ${#FINDINGS[@]} findings, $failures failed"
[ "$failures" = 0 ]
