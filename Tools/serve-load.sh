#!/usr/bin/env bash
# The load run of `fleetledger serve`: wrk (Debian's package) for 60 s at 64 connections against
# /metrics and a JSON route in turn, on a store of 1M events, while `append` adds more events in
# chunks; then the same appends with no server, for their rate beside it. Prints wrk's figures
# (requests per second, latency percentiles, errors) and both append rates.
#
#   Tools/serve-load.sh [--events 1000000] [--seconds 60] [--connections 64] [--workers 4]
set -euo pipefail
cd "$(dirname "$0")/.."
events=1000000 seconds=60 connections=64 workers=4 chunk=20000 more=3500000
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --workers) workers="$2"; shift 2 ;;
        *) echo "usage: Tools/serve-load.sh [--events N] [--seconds S] [--connections C] [--workers W]" >&2; exit 64 ;;
    esac
done
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
swift build -c release --product fleetledger >/dev/null
swift build -c release --product fleetledger-workload >/dev/null
bin=.build/release
work=.build/serve-load
mkdir -p "$work"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; true' EXIT

# The store and the events appended during the run: one workload, cut in two, so the second part
# continues the first's streams.
if [ ! -f "$work/base-$events-$more.sqlite" ]; then
    "$bin/fleetledger-workload" --events $((events + more)) --output "$work/all.ndjson"
    head -n "$events" "$work/all.ndjson" > "$work/base.ndjson"
    tail -n +"$((events + 1))" "$work/all.ndjson" > "$work/more.ndjson"
    rm -f "$work"/chunk-*
    split -l "$chunk" -d -a 3 "$work/more.ndjson" "$work/chunk-"
    "$bin/fleetledger" append --db "$work/base-$events-$more.sqlite" "$work/base.ndjson" >/dev/null
    "$bin/fleetledger" verify --db "$work/base-$events-$more.sqlite" >/dev/null
fi

# Appends chunks until `seconds` have passed (or the chunks run out); prints "EVENTS SECONDS".
append_for() { # store, seconds
    local begin=$(date +%s%N) appended=0
    for file in "$work"/chunk-*; do
        "$bin/fleetledger" append --db "$1" "$file" >/dev/null
        appended=$((appended + $(wc -l < "$file")))
        [ $(( ($(date +%s%N) - begin) / 1000000000 )) -ge "$2" ] && break
    done
    echo "$appended $(( ($(date +%s%N) - begin) / 1000000 ))"
}
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%d events in %.1f s: %.0f events/s", n, ms / 1000, n / (ms / 1000) }'; }

echo "== appends with no server"
cp "$work/base-$events-$more.sqlite" "$work/quiet.sqlite"
read -r quiet_events quiet_ms < <(append_for "$work/quiet.sqlite" "$seconds")
echo "append: $(rate "$quiet_events" "$quiet_ms")"

echo "== wrk: ${seconds} s, $connections connections, /metrics and /v1/hostPools/hp-0/sessionHosts in turn, while append writes"
cp "$work/base-$events-$more.sqlite" "$work/loaded.sqlite"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin/fleetledger" serve --db "$work/loaded.sqlite" --listen "127.0.0.1:$port" --workers "$workers" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
cat > "$work/turns.lua" <<'LUA'
-- /metrics and a JSON route in turn; wrk counts any status outside 2xx and 3xx as an error.
local paths = { "/metrics", "/v1/hostPools/hp-0/sessionHosts" }
local turn = 0
request = function()
    turn = turn + 1
    return wrk.format("GET", paths[turn % 2 + 1])
end
done = function(summary) io.write(string.format("non-2xx responses: %d\n", summary.errors.status)) end
LUA
wrk -t 2 -c "$connections" -d "${seconds}s" --latency -s "$work/turns.lua" "http://127.0.0.1:$port" > "$work/wrk.txt" &
load=$!
read -r loaded_events loaded_ms < <(append_for "$work/loaded.sqlite" "$seconds")
wait "$load"
cat "$work/wrk.txt"
echo "append under load: $(rate "$loaded_events" "$loaded_ms")"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
"$bin/fleetledger" verify --db "$work/loaded.sqlite" >/dev/null && echo "verify: the loaded store's log and read models hold"
