#!/usr/bin/env bash
# Builds the libFuzzer targets of the readers, outside SwiftPM. EnsembleModel,
# EnsembleExperiments, EnsembleAnalysis and EnsembleReport are each compiled as their own
# instrumented static library and module (every source file, in subfolders too, so each
# module keeps its own internal names), in dependency order; a module EnsembleFuzz
# re-exports the four, and each entry file of Scripts/fuzz/ is linked against them with
# the toolchain's -sanitize=fuzzer (and AddressSanitizer). Linux toolchains only.
#
#   Scripts/build-fuzzers.sh [OUTDIR]     default: .build/fuzz
#
# Targets: experiment-file, manifest, runs-csv. Scripts/fuzz.sh runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/fuzz}
mkdir -p "$out/sources"
rm -f "$out/sources"/*.swift
quiet() { grep -v -e "ld.gold: warning: Cannot export local symbol" || true; }
flags=(-sanitize=fuzzer,address -parse-as-library -O -swift-version 6 -I "$out")
libraries=()
for module in EnsembleModel EnsembleExperiments EnsembleAnalysis EnsembleReport; do
  echo "building $out/lib$module.a"
  sources=()
  while IFS= read -r file; do sources+=("$file"); done \
    < <(find "Sources/$module" -name '*.swift' | sort)
  swiftc "${flags[@]}" -emit-library -static -emit-module -module-name "$module" \
    -emit-module-path "$out/$module.swiftmodule" "${sources[@]}" \
    -o "$out/lib$module.a" 2>&1 | quiet
  test -f "$out/lib$module.a"
  libraries=("$out/lib$module.a" "${libraries[@]}")  # a library before those it uses
done
cat >"$out/sources/EnsembleFuzz.swift" <<'SWIFT'
@_exported import EnsembleAnalysis
@_exported import EnsembleExperiments
@_exported import EnsembleModel
@_exported import EnsembleReport
SWIFT
swiftc "${flags[@]}" -emit-library -static -emit-module -module-name EnsembleFuzz \
  -emit-module-path "$out/EnsembleFuzz.swiftmodule" "$out/sources/EnsembleFuzz.swift" \
  -o "$out/libEnsembleFuzz.a" 2>&1 | quiet
libraries=("$out/libEnsembleFuzz.a" "${libraries[@]}")
for entry in Scripts/fuzz/*.swift; do
  name=$(basename "$entry" .swift)
  echo "building $out/$name"
  swiftc "${flags[@]}" "$entry" "${libraries[@]}" -o "$out/$name" 2>&1 | quiet
  test -x "$out/$name"
done
