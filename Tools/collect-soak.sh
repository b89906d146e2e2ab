#!/usr/bin/env bash
# The collector's soak run: `fleetledger collect --every 1s` against a fake Azure Resource Manager
# on 127.0.0.1 (Tools/FakeResourceManager) serving a pool of --hosts session hosts, --rules load
# balancing rules of four backends and a scale set of --instances VMs, changing as time passes.
# Prints the cycles, the events appended, the collector's resident memory at the start and the end,
# and its CPU time per cycle.
#
#   Tools/collect-soak.sh [--seconds 600] [--hosts 500] [--rules 50] [--instances 200]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600 hosts=500 rules=50 instances=200  # seconds: at least 20
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --hosts) hosts="$2"; shift 2 ;;
        --rules) rules="$2"; shift 2 ;;
        --instances) instances="$2"; shift 2 ;;
        *) echo "usage: Tools/collect-soak.sh [--seconds S] [--hosts N] [--rules N] [--instances N]" >&2; exit 64 ;;
    esac
done
swift build -c release --product fleetledger >/dev/null
swift build -c release --product fleetledger-fake-arm >/dev/null
bin=.build/release
work=.build/collect-soak
rm -rf "$work" && mkdir -p "$work"

"$bin/fleetledger-fake-arm" --hosts "$hosts" --rules "$rules" --instances "$instances" > "$work/fake.out" &
fake=$!
collector=""
trap 'kill "$fake" $collector 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/fake.out" ] && break; sleep 0.1; done
base="$(head -1 "$work/fake.out")"

rule_list="$(seq -s, 0 $((rules - 1)) | sed 's/\([0-9]*\)/"rule\1"/g')"
cat > "$work/config.json" <<JSON
{"subscription": "00000000-0000-0000-0000-000000000000", "every": "1s",
 "hostPools": [{"resourceGroup": "rg-soak", "name": "hp-bench"}],
 "loadBalancers": [{"resourceGroup": "rg-soak", "name": "lb-soak", "rules": [$rule_list]}],
 "scaleSets": [{"resourceGroup": "rg-soak", "name": "vmss-soak"}]}
JSON

"$bin/fleetledger" collect --config "$work/config.json" --arm-endpoint "$base" --token-command "echo soak-token" \
    --db "$work/store.sqlite" 2> "$work/cycles.log" &
collector=$!
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$collector/status"; }
cpu() { awk '{ print $14 + $15 }' "/proc/$collector/stat"; }   # user + system, in clock ticks
sleep 10
rss_start=$(rss) cycles_start=$(wc -l < "$work/cycles.log") cpu_start=$(cpu)
sleep $((seconds - 10))
rss_end=$(rss) cycles_end=$(wc -l < "$work/cycles.log") cpu_end=$(cpu)
kill -TERM "$collector"
wait "$collector" || true

ticks=$(getconf CLK_TCK)
cycles=$(wc -l < "$work/cycles.log")
appended=$(sed -n 's/.*, appended \([0-9]*\) event.*/\1/p' "$work/cycles.log" | awk '{ s += $1 } END { print s + 0 }')
failed=$(grep -c "failed:" "$work/cycles.log" || true)
per_cycle=$(awk -v c="$((cpu_end - cpu_start))" -v n="$((cycles_end - cycles_start))" -v t="$ticks" 'BEGIN { printf "%.1f", (n > 0 ? c / t / n * 1000 : 0) }')
echo "collect soak: ${seconds} s at a 1 s interval, $hosts hosts, $rules rules, $instances instances"
echo "cycles: $cycles ($failed with a failed resource); events appended: $appended"
echo "resident memory: $((rss_start / 1024)) MiB after 10 s, $((rss_end / 1024)) MiB at the end"
echo "CPU: $per_cycle ms per cycle (user + system, after the first 10 s); store $(( $(stat -c %s "$work/store.sqlite") / 1048576 )) MiB"
tail -1 "$work/cycles.log"
