#!/usr/bin/env bash
# Counts the instructions each thread of `fleetledger append` (one transaction) and
# `fleetledger rebuild` executes on the benchmark's workload, under callgrind. On a shared
# machine wall times move by a fifth from run to run; instruction counts move by about 1%,
# so this is how a small change's cost is measured (Tools/Benchmark/README.md, "Instructions").
#
#   Tools/count-instructions.sh [events]    (default 100000; needs valgrind, installed if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-100000}"
work=".build/instructions"
mkdir -p "$work"

if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "installing valgrind (Debian's package)..." >&2
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq valgrind
fi

swift build -c release --product fleetledger >/dev/null
swift build -c release --product fleetledger-workload >/dev/null
# valgrind cannot read the DWARF newer Swift compilers write; a stripped copy runs the same code.
strip --strip-debug -o "$work/fleetledger" .build/release/fleetledger
input="$work/events-$events.ndjson"
[ -f "$input" ] || .build/release/fleetledger-workload --events "$events" --output "$input"

count() {  # name, then the command's arguments
    local name="$1"; shift
    rm -f "$work/$name.out"*
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$work/$name.out" \
        "$work/fleetledger" "$@" >/dev/null 2>"$work/$name.log"
    local thread
    for thread in "$work/$name.out"-*; do
        printf '%-8s thread %s  %14s instructions\n' "$name" "${thread##*-}" \
            "$(grep -m1 '^totals:' "$thread" | awk '{print $2}')"
    done
}

rm -f "$work/store.sqlite"*
count append append --db "$work/store.sqlite" "$input"
count rebuild rebuild --db "$work/store.sqlite"
