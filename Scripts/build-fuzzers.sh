#!/usr/bin/env bash
# Builds the libFuzzer targets of the readers, outside SwiftPM. The sources of
# EnsembleModel, EnsembleExperiments, EnsembleAnalysis and EnsembleReport are compiled once
# as one instrumented static library (module EnsembleFuzz; their `import Ensemble...` lines
# dropped), and each entry file of Scripts/fuzz/ is linked against it with the toolchain's
# -sanitize=fuzzer (and AddressSanitizer). Linux toolchains only.
#
#   Scripts/build-fuzzers.sh [OUTDIR]     default: .build/fuzz
#
# Targets: experiment-file, manifest, runs-csv. Scripts/fuzz.sh runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/fuzz}
mkdir -p "$out/sources"
rm -f "$out/sources"/*.swift
# Every file, in subfolders too (Engine/...), flattened to Module_Folder_File.swift. In one
# module, the engine's internal Configuration would meet EnsembleExperiments' public one:
# EnsembleModel's is renamed in the copy.
for module in EnsembleModel EnsembleExperiments EnsembleAnalysis EnsembleReport; do
  rename='s/^$//'
  [ "$module" = EnsembleModel ] && rename='s/\bConfiguration\b/EngineConfiguration/g'
  while IFS= read -r file; do
    relative=${file#Sources/"$module"/}
    sed -E -e 's/^(@testable )?import Ensemble[A-Za-z]+$//' -e "$rename" "$file" \
      >"$out/sources/${module}_${relative//\//_}"
  done < <(find "Sources/$module" -name '*.swift' | LC_ALL=C sort)
done
quiet() { grep -v -e "ld.gold: warning: Cannot export local symbol" || true; }
echo "building $out/libEnsembleFuzz.a"
swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 6 -emit-library -static \
  -emit-module -module-name EnsembleFuzz -emit-module-path "$out/EnsembleFuzz.swiftmodule" \
  "$out/sources"/*.swift -o "$out/libEnsembleFuzz.a" 2>&1 | quiet
for entry in Scripts/fuzz/*.swift; do
  name=$(basename "$entry" .swift)
  echo "building $out/$name"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 6 -I "$out" \
    "$entry" "$out/libEnsembleFuzz.a" -o "$out/$name" 2>&1 | quiet
  test -x "$out/$name"
done
