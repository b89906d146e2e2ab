#!/usr/bin/env bash
# The PostgreSQL engine's benchmark, beside SQLite's on the same machine in one run: 1M events of
# the benchmark's workload appended by one writer and by 4 concurrent writers (the workload cut by
# entity, so each stream stays with one writer), against a floor (the same lines stored by
# PostgreSQL's own COPY into a plain table, same server, same durability); then rebuild, and query
# times now and as of the middle. A throwaway cluster of PostgreSQL's Debian packages (installed
# when missing) runs on 127.0.0.1, with the settings printed at the end.
#
#   Tools/pg-bench.sh [--events 1000000] [--commit-every 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
events=1000000 every=10000
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events="$2"; shift 2 ;;
        --commit-every) every="$2"; shift 2 ;;
        *) echo "usage: Tools/pg-bench.sh [--events N] [--commit-every N]" >&2; exit 64 ;;
    esac
done
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
swift build -c release --product fleetledger >/dev/null
swift build -c release --product fleetledger-workload >/dev/null
bin=$PWD/.build/release
work=$PWD/.build/pg-bench
rm -rf "$work" && mkdir -p "$work"
# PostgreSQL refuses to run as root: the server and its tools run as the postgres account then.
as=() && [ "$(id -u)" = 0 ] && as=(runuser -u postgres --) && chown postgres "$work"
port=$((20000 + RANDOM % 20000))
settings=(-c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min)
"${as[@]}" "$pgbin/initdb" -D "$work/data" -U fleet --auth=trust -E UTF8 --locale=C >/dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$work/data" -o "-p $port -k $work ${settings[*]}" -l "$work/server.log" -w start >/dev/null
trap '"${as[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true' EXIT
psql=("$pgbin/psql" -h 127.0.0.1 -p "$port" -U fleet -qAt)
url() { echo "postgres://fleet@127.0.0.1:$port/$1"; }
seconds() { local start=$EPOCHREALTIME; "$@" >/dev/null; echo "$EPOCHREALTIME - $start" | bc; }
rate() { echo "$events / $1" | bc; }

"$bin/fleetledger-workload" --events "$events" --output "$work/events.ndjson"
# Four files, each entity's lines in one of them (by its pool, load balancer or scale set name).
awk -v dir="$work" '{
    match($0, /"(hostPool|loadBalancer|scaleSet)":"[^"]*"/); key = substr($0, RSTART, RLENGTH)
    if (!(key in slot)) slot[key] = n++ % 4
    print > (dir "/part-" slot[key] ".ndjson")
}' "$work/events.ndjson"

for db in one four floor; do "${psql[@]}" -d postgres -c "CREATE DATABASE $db"; done

echo "== floor: COPY of the same lines into a plain table (seq, line)"
"${psql[@]}" -d floor -c "CREATE TABLE events (seq bigserial PRIMARY KEY, line text NOT NULL)"
floor=$(seconds "${psql[@]}" -d floor -c "\\copy events (line) FROM '$work/events.ndjson' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")

echo "== one writer"
one=$(seconds "$bin/fleetledger" append --commit-every "$every" --db "$(url one)" "$work/events.ndjson")

echo "== four writers at once"
start=$EPOCHREALTIME
for part in 0 1 2 3; do "$bin/fleetledger" append --commit-every "$every" --db "$(url four)" "$work/part-$part.ndjson" >/dev/null & done
wait
four=$(echo "$EPOCHREALTIME - $start" | bc)
"$bin/fleetledger" verify --db "$(url four)" >/dev/null

echo "== SQLite, the same lines"
sqlite=$(seconds "$bin/fleetledger" append --commit-every "$every" --db "$work/store.sqlite" "$work/events.ndjson")

rebuild_pg=$(seconds "$bin/fleetledger" rebuild --db "$(url one)")
rebuild_sqlite=$(seconds "$bin/fleetledger" rebuild --db "$work/store.sqlite")
verify_pg=$(seconds "$bin/fleetledger" verify --db "$(url one)")
verify_sqlite=$(seconds "$bin/fleetledger" verify --db "$work/store.sqlite")

# The median of 3 runs of a query, in milliseconds.
query() {
    local times=() db=$1; shift
    for _ in 1 2 3; do times+=("$(seconds "$bin/fleetledger" "$@" --db "$db")"); done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 2p | awk '{ printf "%d", $1 * 1000 }'
}
middle=$(sed -n "$((events / 2))p" "$work/events.ndjson" | sed 's/.*"at":"\([^"]*\)".*/\1/')
pool=$(awk 'match($0, /"hostPool":"[^"]*"/) { print substr($0, RSTART + 12, RLENGTH - 13); exit }' "$work/events.ndjson")
lb=$(awk 'match($0, /"loadBalancer":"[^"]*"/) { print substr($0, RSTART + 16, RLENGTH - 17); exit }' "$work/events.ndjson")
ip=$(awk -v lb="$lb" 'index($0, "\"loadBalancer\":\"" lb "\"") && match($0, /"ipAddress":"[^"]*"/) { print substr($0, RSTART + 13, RLENGTH - 14); exit }' "$work/events.ndjson")

echo
echo "| $events events, --commit-every $every | PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') | SQLite |"
echo "|---|---|---|"
echo "| append, one writer, events/s | $(rate "$one") | $(rate "$sqlite") |"
echo "| append, 4 writers at once, events/s (all four together) | $(rate "$four") | - |"
echo "| floor: COPY of the lines into (seq, line), events/s | $(rate "$floor") | - |"
echo "| rebuild, events/s | $(rate "$rebuild_pg") | $(rate "$rebuild_sqlite") |"
echo "| verify, events/s | $(rate "$verify_pg") | $(rate "$verify_sqlite") |"
echo "| hosts --pool $pool, now / as of $middle, ms | $(query "$(url one)" hosts --pool "$pool") / $(query "$(url one)" hosts --pool "$pool" --as-of "$middle") | $(query "$work/store.sqlite" hosts --pool "$pool") / $(query "$work/store.sqlite" hosts --pool "$pool" --as-of "$middle") |"
echo "| lb list, now / as of the middle, ms | $(query "$(url one)" lb list) / $(query "$(url one)" lb list --as-of "$middle") | $(query "$work/store.sqlite" lb list) / $(query "$work/store.sqlite" lb list --as-of "$middle") |"
echo "| history --lb $lb --ip $ip, ms | $(query "$(url one)" history --lb "$lb" --ip "$ip") | $(query "$work/store.sqlite" history --lb "$lb" --ip "$ip") |"
echo "| store size, MiB | $(( $("${psql[@]}" -d one -c "SELECT pg_database_size('one')") / 1048576 )) | $(( $(stat -c %s "$work/store.sqlite") / 1048576 )) |"
echo
echo "server settings: initdb defaults (fsync on, synchronous_commit on, wal_level replica) and ${settings[*]}"
