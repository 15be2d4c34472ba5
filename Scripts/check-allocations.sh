#!/usr/bin/env bash
# Checks that the engine allocates nothing per event or per replication once a simulator
# has run: `ensemble bench` with 100 and with 1000 replications per preset must make the
# same number of malloc calls (counted by a small LD_PRELOAD shim), for one-stage work and
# for four-stage chains and fan-outs. Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname)" = Linux ] || { echo "check-allocations: Linux only, skipped"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/count.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
static unsigned long calls = 0;
static void *(*next_malloc)(size_t) = 0;
void *malloc(size_t size) {
  if (!next_malloc) next_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
  calls++;
  return next_malloc(size);
}
__attribute__((destructor)) static void report(void) { fprintf(stderr, "malloc calls: %lu\n", calls); }
C
cc -shared -fPIC -o "$work/count.so" "$work/count.c" -ldl
swift build -c release --product ensemble >/dev/null
count() {
  LD_PRELOAD="$work/count.so" .build/release/ensemble bench --replications "$@" 2>&1 >/dev/null \
    | sed -n 's/^malloc calls: //p'
}
# The version-1 benchmark, then version-2 work: chains and fan-outs of four stages.
for options in "" "--stages 4" "--stages 4 --shape fanout"; do
  small=$(count 100 $options)
  large=$(count 1000 $options)
  echo "malloc calls: $small for 200 replications, $large for 2000 (bench $options)"
  if [ "$small" != "$large" ]; then
    echo "the engine allocates per replication or per event (bench $options)" >&2
    exit 1
  fi
done
