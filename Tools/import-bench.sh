#!/usr/bin/env bash
# Times `fleetledger import` on a day of what Azure reports about one host pool (Tools/FleetWorkload/AzureDay.swift):
#   1. the session host list, polled every minute (1,440 imports of --hosts hosts each, every one a
#      process of its own with --at, as the README's cron recipe runs them);
#   2. the day's WVDAgentHealthStatus rows, a row per host every 30 seconds, imported an hour at a time.
# Prints each part's import time (process start to exit, generation not counted) and what it appended.
#
#   Tools/import-bench.sh [--hosts 500] [--minutes 1440] [--hours 24]
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=500 minutes=1440 hours=24
while [ $# -gt 0 ]; do
    case "$1" in
        --hosts) hosts="$2"; shift 2 ;;
        --minutes) minutes="$2"; shift 2 ;;
        --hours) hours="$2"; shift 2 ;;
        *) echo "usage: Tools/import-bench.sh [--hosts N] [--minutes M] [--hours H]" >&2; exit 64 ;;
    esac
done
swift build -c release --product fleetledger >/dev/null
swift build -c release --product fleetledger-workload >/dev/null
bin=.build/release
work=.build/import-bench
rm -rf "$work" && mkdir -p "$work"

nanos() { date +%s%N; }
appended() { sed -n 's/.*: appended \([0-9]*\),.*/\1/p'; }

spent=0 total=0 observations=0 runs=0
for ((minute = 0; minute < minutes; minute++)); do
    second=$((minute * 60 + 30))
    "$bin/fleetledger-workload" --hosts "$hosts" --azure-session-hosts-at "$second" --output "$work/list.json"
    at="$(date -u -d "@$((1768003200 + second))" +%Y-%m-%dT%H:%M:%SZ)"
    begin=$(nanos)
    line="$("$bin/fleetledger" import --db "$work/rest.sqlite" --at "$at" "$work/list.json")"
    spent=$((spent + $(nanos) - begin))
    total=$((total + $(echo "$line" | appended)))
done
size=$(stat -c %s "$work/list.json")
echo "session host lists: $minutes imports of $hosts hosts ($((minutes * hosts)) host observations, $((size / 1024)) KiB each):" \
    "$((spent / 1000000)) ms, $((spent / minutes / 1000000)) ms per import, appended $total events"
"$bin/fleetledger" stats --db "$work/rest.sqlite" | head -20

spent=0 total=0 rows=0
for ((hour = 0; hour < hours; hour++)); do
    "$bin/fleetledger-workload" --hosts "$hosts" --azure-agent-rows-hour "$hour" --output "$work/rows.json"
    begin=$(nanos)
    line="$("$bin/fleetledger" import --db "$work/rows.sqlite" "$work/rows.json")"
    spent=$((spent + $(nanos) - begin))
    total=$((total + $(echo "$line" | appended)))
    rows=$((rows + hosts * 120))
done
size=$(stat -c %s "$work/rows.json")
echo "WVDAgentHealthStatus rows: $rows rows in $hours hourly imports ($((size / 1048576)) MiB each):" \
    "$((spent / 1000000)) ms, appended $total events"
