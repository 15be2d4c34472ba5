#!/usr/bin/env bash
# Fuzzes the readers (experiment files with --set values run through to a replication,
# manifest.json, runs.csv, a sensitivity folder's points.csv and manifest.json) with
# libFuzzer for SECONDS each, from seed corpora made at run time: Experiments/*.json, the CSV
# tables in Analysis/, and the files of real runs (a plain run, shards, a merge, a
# sensitivity analysis and its shards). Fails, naming the input that crashed, if any target
# traps. Linux toolchains only.
#
#   Scripts/fuzz.sh [SECONDS] [TARGET...]     default: 60 s each; all targets
#
# Targets are built by Scripts/build-fuzzers.sh into .build/fuzz; crashing inputs are kept
# in .build/fuzz/artifacts/. Every crash found becomes a regression test in Tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(experiment-file manifest runs-csv points-csv sensitivity-manifest)
[ "$(uname)" = Linux ] || { echo "fuzz: Linux only, skipped"; exit 0; }

[ -n "${FUZZ_NO_BUILD:-}" ] || Scripts/build-fuzzers.sh .build/fuzz
swift build -c release --product ensemble >/dev/null
bin=.build/release/ensemble
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p .build/fuzz/artifacts \
  "$work"/seeds/{experiment-file,manifest,runs-csv,points-csv,sensitivity-manifest}

# Experiment files: the canonical ones and a written-out scenario.
cp Experiments/*.json "$work/seeds/experiment-file/"
cat >"$work/seeds/experiment-file/written-out.json" <<'JSON'
{
  name: "written", seed: 9007199254740993, replications: 3,
  scenario: { base: "default", horizon: 5, domains: 2,
    workload: { arrivalRate: 3, work: { lognormal: { mean: 1, sd: 0.5 } } },
    team: [
      { name: "lead", kind: "human", count: 1, skill: 0.6, roles: ["conductor"] },
      { name: "ai", kind: "ai", count: 3, skill: [0.5, 0.7],
        expertise: { domains: [0, 1], skill: 0.9 }, roles: { translator: [0], monitor: [2] } },
    ] },
  conditions: [ { name: "a" }, { name: "b", design: "structured", set: { "design.review": "peer" } } ],
  sweep: { "team.ai.count": [1, 3], "design.reviewRate": [0, 1] },
  report: { metrics: ["correct_rate"] },
}
JSON

# --set lines before an experiment, as the command line gives them (issue 21: a lognormal
# whose draws overflowed crashed the engine).
cat >"$work/seeds/experiment-file/with-sets.json" <<'JSON'
--set workload.work={lognormal: {mean: 1, sd: 1000}}
--set workload.ambiguity={beta: [0.1, 0.1]}
--set team.ai.count=2
{ name: "sets", replications: 2, set: { horizon: 2, "workload.arrivalRate": 3 },
  conditions: [ { name: "u" }, { name: "s", design: "structured" } ] }
JSON
cat >"$work/seeds/experiment-file/small-sensitivity.json" <<'JSON'
{ name: "small", replications: 2, set: { horizon: 2 },
  sensitivity: { samples: 4, parameters: { "team.ai.count": [1, 3], "design.reviewRate": [0, 1] } } }
JSON

# Real runs: their manifests and runs.csv files.
cat >"$work/fuzz.json" <<'JSON'
{ name: "fuzz", seed: 5, replications: 3, set: { horizon: 3 },
  conditions: [ { name: "loose" }, { name: "tight", design: "structured" } ],
  sweep: { "design.reviewRate": [0.5, 1] } }
JSON
"$bin" run "$work/fuzz.json" --out "$work/runs/fuzz" --quiet
for i in 1 2 3; do
  "$bin" run "$work/fuzz.json" --shard "$i/3" --out "$work/runs/shard-$i" --quiet
done
"$bin" merge "$work"/runs/shard-* --out "$work/runs/merged" --quiet
"$bin" run validation-mmc --replications 2 --out "$work/runs/mmc" --quiet
"$bin" run ablation --replications 2 --out "$work/runs/ablation" --quiet
for run in "$work"/runs/*/; do
  cp "$run/manifest.json" "$work/seeds/manifest/$(basename "$run").json"
done
cp "$work/runs/fuzz/runs.csv" "$work/seeds/runs-csv/full.csv"
sed 's/$/\r/' "$work/runs/fuzz/runs.csv" >"$work/seeds/runs-csv/crlf.csv"
head -n 7 "$work/runs/fuzz/runs.csv" >"$work/seeds/runs-csv/cut.csv"
for table in Analysis/*/summary.csv Analysis/*/contrasts.csv; do
  cp "$table" "$work/seeds/runs-csv/$(basename "$(dirname "$table")")-$(basename "$table")"
done
# A sensitivity analysis, whole and in shards: its manifests and points.csv files.
cat >"$work/levers.json" <<'JSON'
{ name: "levers", seed: 5, replications: 2, set: { horizon: 3 },
  sensitivity: { samples: 4, parameters: { "workload.edgeCaseRate": [0, 1], "design.auditRate": [0, 0.1] } },
  report: { metrics: ["correct_rate", "mean_cycle"] } }
JSON
"$bin" sensitivity "$work/levers.json" --out "$work/sens/whole" --quiet
for i in 1 2; do
  "$bin" sensitivity "$work/levers.json" --shard "$i/2" --out "$work/sens/shard-$i" --quiet
done
for folder in "$work"/sens/*/; do
  cp "$folder/manifest.json" "$work/seeds/sensitivity-manifest/$(basename "$folder").json"
done
cp "$work/sens/whole/points.csv" "$work/seeds/points-csv/whole.csv"
head -n 5 "$work/sens/whole/points.csv" >"$work/seeds/points-csv/cut.csv"
sed 's/$/\r/' "$work/sens/whole/points.csv" >"$work/seeds/points-csv/crlf.csv"
export FUZZ_SENSITIVITY_MANIFEST="$work/sens/whole/manifest.json"
export FUZZ_MANIFEST="$work/runs/fuzz/manifest.json"
# Swift's runtime keeps caches that LeakSanitizer reports as leaks; leaks are not what this
# looks for.
export ASAN_OPTIONS=detect_leaks=0

status=0
for target in "${targets[@]}"; do
  mkdir -p "$work/corpus/$target"
  echo "== fuzzing $target for $seconds s ($(ls "$work/seeds/$target" | wc -l) seeds)"
  if .build/fuzz/"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix=".build/fuzz/artifacts/$target-" \
    "$work/corpus/$target" "$work/seeds/$target" >"$work/$target.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
    cover=$(grep -o 'cov: [0-9]*' "$work/$target.log" | tail -n 1)
    echo "$target: $runs inputs in $seconds s, $cover, corpus $(ls "$work/corpus/$target" | wc -l) files, no crash"
  else
    status=1
    echo "$target: CRASH" >&2
    grep -E "ERROR|Fatal error|SUMMARY|Test unit written" "$work/$target.log" | head -n 20 >&2
  fi
done
exit $status
