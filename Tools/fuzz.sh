#!/usr/bin/env bash
# Fuzzes the decoders that read outside bytes (NDJSON lines, stored rows) with libFuzzer and
# AddressSanitizer, for a bounded time. Plain `swift build` / `swift test` never link libFuzzer:
# this script builds the target into its own scratch folder with the fuzzer flags.
#
#   Tools/fuzz.sh [SECONDS]      # default 600; the corpus grows in .build/fuzz-corpus
#
# The seeds are written anew from the event declarations each run (every type's sample, as a line
# and as a stored row), so a new event type is fuzzed from its first run with nothing to update.
#
# A crash leaves its input as .build/fuzz-artifacts/crash-*: copy it into
# Tests/FleetLedgerTests/Fixtures/fuzz-regressions/ (the tests replay every file there) and fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
swift build -c release --product fleetledger-fuzz --scratch-path .build/fuzz-build \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
rm -rf .build/fuzz-seeds
mkdir -p .build/fuzz-corpus .build/fuzz-artifacts .build/fuzz-seeds
swift run fleetledger-fuzz --write-seeds .build/fuzz-seeds
exec .build/fuzz-build/release/fleetledger-fuzz .build/fuzz-corpus .build/fuzz-seeds \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=.build/fuzz-artifacts/ -print_final_stats=1
