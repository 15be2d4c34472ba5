#!/usr/bin/env bash
# Builds the libFuzzer targets of the readers, outside SwiftPM. The sources of
# EnsembleModel, EnsembleExperiments, EnsembleAnalysis and EnsembleReport are compiled once
# as one instrumented static library (module EnsembleFuzz; their `import Ensemble...` lines
# dropped), and each entry file of Scripts/fuzz/ is linked against it with the toolchain's
# -sanitize=fuzzer (and AddressSanitizer). The library is compiled with DEBUG defined, so
# the engine checks its invariants after every event of the replications the experiment
# target runs. Linux toolchains only.
#
#   Scripts/build-fuzzers.sh [OUTDIR]     default: .build/fuzz
#
# Targets: experiment-file (with --set lines and one replication), manifest, runs-csv,
# points-csv, sensitivity-manifest. Scripts/fuzz.sh runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/fuzz}
mkdir -p "$out/sources"
rm -f "$out/sources"/*.swift
for module in EnsembleModel EnsembleExperiments EnsembleAnalysis EnsembleReport; do
  for file in Sources/$module/*.swift; do
    sed -E 's/^(@testable )?import Ensemble[A-Za-z]+$//' "$file" \
      >"$out/sources/${module}_$(basename "$file")"
  done
done
quiet() { grep -v -e "ld.gold: warning: Cannot export local symbol" || true; }
echo "building $out/libEnsembleFuzz.a"
swiftc -sanitize=fuzzer,address -parse-as-library -O -D DEBUG -swift-version 6 -emit-library -static \
  -emit-module -module-name EnsembleFuzz -emit-module-path "$out/EnsembleFuzz.swiftmodule" \
  "$out/sources"/*.swift -o "$out/libEnsembleFuzz.a" 2>&1 | quiet
for entry in Scripts/fuzz/*.swift; do
  name=$(basename "$entry" .swift)
  echo "building $out/$name"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 6 -I "$out" \
    "$entry" "$out/libEnsembleFuzz.a" -o "$out/$name" 2>&1 | quiet
  test -x "$out/$name"
done
