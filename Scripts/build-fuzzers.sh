#!/usr/bin/env bash
# Builds the libFuzzer targets of the readers, outside SwiftPM. The library modules
# EnsembleModel, EnsembleExperiments, EnsembleAnalysis and EnsembleReport are compiled in
# dependency order, each as one instrumented static library of the same module name (all
# its sources, in subfolders too), and each entry file of Scripts/fuzz/ is linked against
# them with the toolchain's -sanitize=fuzzer (and AddressSanitizer). The libraries are
# compiled with DEBUG defined, so the engine checks its invariants after every event of
# the replications the experiment target runs. Linux toolchains only.
#
#   Scripts/build-fuzzers.sh [OUTDIR]     default: .build/fuzz
#
# Targets: experiment-file (with --set lines and one replication), manifest, runs-csv,
# points-csv, sensitivity-manifest. Scripts/fuzz.sh runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/fuzz}
mkdir -p "$out"
quiet() { grep -v -e "ld.gold: warning: Cannot export local symbol" || true; }
modules=(EnsembleModel EnsembleExperiments EnsembleAnalysis EnsembleReport)
for module in "${modules[@]}"; do
  echo "building $out/lib$module.a"
  find "Sources/$module" -name '*.swift' | LC_ALL=C sort >"$out/$module.sources"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -D DEBUG -swift-version 6 \
    -emit-library -static -emit-module -module-name "$module" \
    -emit-module-path "$out/$module.swiftmodule" -I "$out" \
    @"$out/$module.sources" -o "$out/lib$module.a" 2>&1 | quiet
done
for entry in Scripts/fuzz/*.swift; do
  name=$(basename "$entry" .swift)
  echo "building $out/$name"
  # Dependents before what they depend on, for the static linker.
  swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 6 -I "$out" \
    "$entry" "$out/libEnsembleReport.a" "$out/libEnsembleExperiments.a" \
    "$out/libEnsembleAnalysis.a" "$out/libEnsembleModel.a" -o "$out/$name" 2>&1 | quiet
  test -x "$out/$name"
done
