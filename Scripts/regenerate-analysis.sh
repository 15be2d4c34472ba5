#!/usr/bin/env bash
# Regenerates Analysis/ from Experiments/*.json: for each canonical experiment, the report,
# summary.csv, contrasts.csv and charts exactly as `ensemble run` writes them at the
# experiment's own seed (runs.csv and manifest.json are left out: one is bulky, the other
# records wall time; explore.html, the interactive page of a sweep, is left out too: it
# holds the same numbers as summary.csv and contrasts.csv).
#
#   Scripts/regenerate-analysis.sh           rewrite Analysis/
#   Scripts/regenerate-analysis.sh --check   fail if Analysis/ differs from a fresh run
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true

swift build -c release --product ensemble >/dev/null
bin=.build/release/ensemble
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for file in $(ls Experiments/*.json | LC_ALL=C sort); do
  name=$(basename "$file" .json)
  # An experiment with a sensitivity section is a sensitivity analysis; the others run.
  plan=$("$bin" check "$file")
  if grep -q '^sensitivity ' <<<"$plan"; then
    "$bin" sensitivity "$file" --out "$work/runs/$name" --quiet
  else
    "$bin" run "$file" --out "$work/runs/$name" --quiet
  fi
  mkdir -p "$work/analysis/$name"
  for output in "$work/runs/$name"/*; do
    case "$(basename "$output")" in
      runs.csv | points.csv | manifest.json | explore.html) ;;
      *) cp "$output" "$work/analysis/$name/" ;;
    esac
  done
done
# Analysis/README.md: what the version-2 experiments say (hand-written, from
# Scripts/analysis-findings.md), then the finding of every experiment, taken from its report.
{
  echo "# Analysis: the findings, reproduced"
  echo ""
  echo "Each folder holds what \`ensemble run Experiments/NAME.json\` writes at the experiment's"
  echo "own seed: \`report.md\` and \`report.html\` (the finding in words, tables, charts),"
  echo "\`summary.csv\`, \`contrasts.csv\` and the charts. CI regenerates this folder with"
  echo "\`Scripts/regenerate-analysis.sh --check\` and fails if any byte differs, so these are the"
  echo "numbers the code produces. Intervals are 95% confidence intervals of paired differences."
  echo ""
  cat Scripts/analysis-findings.md
  echo ""
  echo "## Each experiment's finding, from its report"
  for file in $(ls Experiments/*.json | LC_ALL=C sort); do
    name=$(basename "$file" .json)
    echo ""
    echo "### [$name]($name/report.md)"
    echo ""
    awk '/^## What came out/{on=1; next} /^(Intervals are|S1 is|μ\* is)/{on=0} /^## /{on=0} on' \
      "$work/analysis/$name/report.md" | sed -e '/^$/d'
  done
} >"$work/analysis/README.md"

if $check; then
  if ! diff -r Analysis "$work/analysis" >"$work/diff.txt"; then
    echo "Analysis/ differs from what the code produces now:" >&2
    head -n 60 "$work/diff.txt" >&2
    echo "Run Scripts/regenerate-analysis.sh and commit the result." >&2
    exit 1
  fi
  echo "Analysis/ is up to date."
else
  find Analysis -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
  cp -R "$work/analysis/." Analysis/
  echo "Analysis/ regenerated."
fi
