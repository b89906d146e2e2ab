#!/usr/bin/env bash
# The timeline's benchmark: seconds and bytes of `report timeline` over
#   1. a day of the benchmark's raw workload (2,000 backends probed every 5 s, with its session
#      hosts and scale set instances: some 43 million events), and
#   2. a month of 2,000 backends recorded as changes only, as the collector stores Azure's health
#      (10 million BackendHealthObserved events).
# Release build; the stores are made first (not timed here) in WORKDIR (default: a temporary folder,
# removed at the end; about 8 GiB while it runs). Usage: Tools/timeline-bench.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."

workdir="${1:-}"
if [[ -z "$workdir" ]]; then
  workdir="$(mktemp -d)"
  trap 'rm -rf "$workdir"' EXIT
fi
mkdir -p "$workdir"

swift build -c release --product fleetledger >/dev/null
swift build -c release --product fleetledger-workload >/dev/null
bin="$(swift build -c release --show-bin-path)"

# One tick of the raw workload (5 s) is some 2,520 events: a day is 17,280 ticks.
raw_events=43550000
observed_events=10000000

make_store() { # name, workload options...
  local name="$1"; shift
  if [[ ! -s "$workdir/$name.sqlite" ]]; then
    echo "making $name ($*)..." >&2
    local start=$SECONDS
    "$bin/fleetledger-workload" "$@" | "$bin/fleetledger" append --db "$workdir/$name.sqlite" --commit-every 100000 - >&2
    echo "  $((SECONDS - start)) s" >&2
  fi
}

make_store raw-day --events "$raw_events" --seed 1
make_store observed-month --events "$observed_events" --observed-backends-days 30 --seed 1

measure() { # label, store, since, until, extra options...
  local label="$1" store="$2" since="$3" until="$4"; shift 4
  local out="$workdir/$label.html"
  local start end
  start=$EPOCHREALTIME
  "$bin/fleetledger" report timeline --db "$workdir/$store.sqlite" --since "$since" --until "$until" --output "$out" "$@" 2>/dev/null
  end=$EPOCHREALTIME
  local bytes spans merged
  bytes=$(stat -c %s "$out")
  spans=$({ grep -o 'data-state="' "$out" || true; } | wc -l)
  merged=$({ grep -o 'data-changes="' "$out" || true; } | wc -l)
  printf '| %s | %.1f | %s | %s | %s |\n' "$label" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
    "$(printf "%'d" "$bytes")" "$(printf "%'d" "$spans")" "$(printf "%'d" "$merged")"
}

echo
echo "| timeline | seconds | bytes | spans drawn | of them many changes |"
echo "|---|---|---|---|---|"
measure raw-day-all raw-day 2024-04-15T00:00:00Z 2024-04-16T00:00:00Z
measure raw-day-lb0 raw-day 2024-04-15T00:00:00Z 2024-04-16T00:00:00Z --lb lb-0
measure observed-month-all observed-month 2024-04-01T00:00:00Z 2024-05-01T00:00:00Z
measure observed-month-day observed-month 2024-04-15T00:00:00Z 2024-04-16T00:00:00Z
measure observed-month-hour observed-month 2024-04-15T12:00:00Z 2024-04-15T13:00:00Z
echo
for store in raw-day observed-month; do
  echo "$store: $("$bin/fleetledger" stats --db "$workdir/$store.sqlite" --format json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s.get("events", s))')" events
done
