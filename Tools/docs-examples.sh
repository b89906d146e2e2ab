#!/usr/bin/env bash
# Regenerates every example in README.md and docs/*.md from real output: each fenced block whose
# first line is `$ fleetledger ...` is run in a folder holding the store `fleetledger demo` writes
# (and an events.ndjson with a mistake on line 3), and everything after that line in the block is
# replaced by what the command printed (stdout and stderr together, as a terminal shows them),
# 100 columns wide, with "now" pinned.
#
#   Tools/docs-examples.sh            rewrite the examples in place
#   Tools/docs-examples.sh --check    exit 1, showing the difference, if any example is stale (CI)
#
# A head's hash covers when each event was recorded, so hashes are compared as "any 64 hex digits",
# and a page whose examples differ only in hashes is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-write}"

swift build --product fleetledger >/dev/null
bin="$(swift build --show-bin-path)/fleetledger"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/fleet"
ln -s "$bin" "$work/bin/fleetledger"

unset FLEETLEDGER_DB FLEETLEDGER_DURABILITY
export FLEETLEDGER_NOW=2024-04-15T05:15:00Z COLUMNS=100 PATH="$work/bin:$PATH"
(cd "$work/fleet" && fleetledger demo >/dev/null)
cat > "$work/fleet/events.ndjson" <<'NDJSON'
{"type":"LoadBalancerConfigured","at":"2024-04-15T05:00:00Z","data":{"loadBalancer":"lb-new"}}
{"type":"HealthProbeConfigured","at":"2024-04-15T05:00:01Z","data":{"loadBalancer":"lb-new","probe":"tcp-80","protocol":"Tcp","port":80}}
{"type":"ProbeResultRecorded","at":"2024-04-15T05:00:02Z","data":{"loadBalancer":"lb-new","probe":"tcp-80","ipAddress":"10.0.9.4","outcome":"Sucess"}}
NDJSON

# Writes `file` with its examples' outputs regenerated to `out`.
regenerate() {
    local file="$1" out="$2" line inside=0 opened=0 skipping=0
    : > "$out"
    while IFS= read -r line || [ -n "$line" ]; do
        if [ "$skipping" = 1 ]; then
            [ "$line" = '```' ] || continue
            skipping=0
            inside=0
            printf '%s\n' "$line" >> "$out"
            continue
        elif [ "$opened" = 1 ] && [[ "$line" == '$ fleetledger '* ]]; then
            opened=0
            skipping=1
            printf '%s\n' "$line" >> "$out"
            (cd "$work/fleet" && bash -c "${line#\$ }" < /dev/null 2>&1 || true) >> "$out"
            continue
        fi
        opened=0
        printf '%s\n' "$line" >> "$out"
        if [[ "$line" == '```'* ]]; then
            if [ "$inside" = 0 ]; then inside=1; opened=1; else inside=0; fi
        fi
    done < "$file"
}

stale=0
for file in README.md docs/*.md; do
    grep -q '^\$ fleetledger ' "$file" || continue
    regenerate "$file" "$work/regenerated.md"
    if diff -q <(sed -E 's/[0-9a-f]{64}/<hash>/g' "$file") <(sed -E 's/[0-9a-f]{64}/<hash>/g' "$work/regenerated.md") >/dev/null; then
        continue
    fi
    if [ "$mode" = "--check" ]; then
        diff -u <(sed -E 's/[0-9a-f]{64}/<hash>/g' "$file") <(sed -E 's/[0-9a-f]{64}/<hash>/g' "$work/regenerated.md") \
            --label "$file (committed)" --label "$file (regenerated)" || true
        stale=1
    else
        cp "$work/regenerated.md" "$file"
        echo "updated $file"
    fi
done
if [ "$stale" = 1 ]; then
    echo "the examples above are stale: run Tools/docs-examples.sh and commit the result" >&2
    exit 1
fi
