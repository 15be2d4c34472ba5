#!/usr/bin/env bash
# Builds and tests Examples/CustomPolicy against a tagged copy of this repository, the way an
# outside package depends on Ensemble: by version. The copy is the working tree (committed
# or not) in a temporary git repository tagged with the release in
# Sources/EnsembleModel/Version.swift; nothing in the repository itself is tagged or changed.
#
#   Scripts/check-example.sh      build, test, and run the comparison on 50 replications
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*static let release = "\([0-9.]*\)".*/\1/p' Sources/EnsembleModel/Version.swift)
[ -n "$version" ] || { echo "check-example: no release version in Version.swift" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The working tree as git lists it (tracked and new files, not ignored ones such as .build).
mkdir "$work/ensemble"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$work/ensemble"
git -C "$work/ensemble" init -q
git -C "$work/ensemble" add -A
git -C "$work/ensemble" -c user.name=ci -c user.email=ci@localhost commit -qm "release $version"
git -C "$work/ensemble" tag "$version"

# The example is built outside the repository, so its build folder stays out of the tree.
cp -R Examples/CustomPolicy "$work/CustomPolicy"
rm -rf "$work/CustomPolicy/.build"
export ENSEMBLE_PACKAGE_URL="file://$work/ensemble"
echo "Examples/CustomPolicy against Ensemble $version (a tagged copy)"
swift build --package-path "$work/CustomPolicy" 2>&1 | tail -n 3
swift test --package-path "$work/CustomPolicy" 2>&1 | grep -E "passed|failed|error" | tail -n 5
swift run --package-path "$work/CustomPolicy" compare-policies 50
