#!/usr/bin/env bash
# Checks `fleetledger serve` and the monitoring material for it with Prometheus' own promtool:
#   a. the /metrics page of a served demo store passes `promtool check metrics` with no complaint;
#   b. docs/prometheus/alerts.yml passes `promtool check rules`, and alerts.test.yml `promtool test rules`;
#   c. every query (expr) of docs/grafana/fleetledger-dashboard.json parses as PromQL;
#   d. every fleetledger_* metric those three files name is on the /metrics page (a typo fails);
#   e. SIGTERM with an event stream open: the server ends the stream, prints "stopped." and exits 0
#      within 10 seconds.
# Installs promtool (Debian's prometheus package) when missing. Builds fleetledger with
# `swift build` (CI runs it after its own build), or takes the binary from $FLEETLEDGER_BIN.
# $SERVE_CHECK_PORTS (e.g. 19600-19699) keeps the server's port in a range; else any free port.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_updated=false
install_package() { # Debian package
  if [[ $apt_updated == false ]]; then $SUDO apt-get update -qq; apt_updated=true; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$1" >/dev/null
}
need_package() { # command, the Debian package that has it
  command -v "$1" >/dev/null 2>&1 || install_package "$2"
}
need_package curl curl
need_package python3 python3
if ! command -v promtool >/dev/null 2>&1; then
  install_package prometheus
  # The package enables (and, with systemd, starts) a Prometheus server on :9090; only promtool is wanted.
  if [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  else
    $SUDO systemctl disable prometheus.service >/dev/null 2>&1 || true
    $SUDO /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi
fi
echo "promtool: $(promtool --version 2>&1 | head -n 1)"

if [[ -n "${FLEETLEDGER_BIN:-}" ]]; then
  bin="$FLEETLEDGER_BIN"
else
  swift build --product fleetledger >/dev/null
  bin="$(swift build --show-bin-path)/fleetledger"
fi
[[ -x "$bin" ]] || { echo "serve-check: no fleetledger binary at $bin" >&2; exit 1; }

alerts=docs/prometheus/alerts.yml
alert_tests=docs/prometheus/alerts.test.yml
dashboard=docs/grafana/fleetledger-dashboard.json

work="$(mktemp -d)"
server_pid=""
stream_pid=""
stop() { # pid: SIGTERM, then SIGKILL after 5 s (only the processes this script started, by their ids)
  [[ -n "$1" ]] || return 0
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  stop "$stream_pid"
  stop "$server_pid"
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "serve-check: FAILED: $*" >&2; exit 1; }

"$bin" demo --db "$work/demo.sqlite" >/dev/null

free_port() {
  python3 - "${SERVE_CHECK_PORTS:-}" <<'EOF'
import random, socket, sys
def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
        return s.getsockname()[1]
if sys.argv[1]:
    low, high = map(int, sys.argv[1].split("-"))
    ports = list(range(low, high + 1))
    random.shuffle(ports)
    for port in ports:
        if free(port):
            print(port)
            sys.exit(0)
    sys.exit("no free port in " + sys.argv[1])
print(free(0))
EOF
}

# Start the server; a port taken between the choice and the bind makes it exit, then try another.
for attempt in 1 2 3 4 5; do
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  "$bin" serve --db "$work/demo.sqlite" --listen "127.0.0.1:$port" 2>"$work/serve.err" &
  server_pid=$!
  up=false
  for _ in $(seq 1 100); do
    if curl -sf "$base/healthz" >/dev/null 2>&1; then up=true; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ $up == true ]] && break
  stop "$server_pid"
  server_pid=""
  echo "serve did not start on port $port (try $attempt): $(tail -n 1 "$work/serve.err")"
done
[[ -n "$server_pid" ]] || fail "fleetledger serve did not start"
echo "serving the demo store on $base (pid $server_pid)"

# A request of each kind first, so the HTTP series (a histogram among them) are on the page.
curl -sf "$base/v1/hostPools" >/dev/null || fail "GET /v1/hostPools"
curl -sf "$base/metrics" >/dev/null || fail "GET /metrics"
curl -sf "$base/metrics" >"$work/metrics.txt" || fail "GET /metrics"

# a. promtool check metrics: it prints each problem on a line of its own (exit 3) or a parse error (exit 1).
set +e
promtool check metrics <"$work/metrics.txt" >"$work/lint.txt" 2>&1
lint_status=$?
set -e
if [[ $lint_status -ne 0 || -s "$work/lint.txt" ]]; then
  sed 's/^/  promtool: /' "$work/lint.txt"
  fail "a. promtool check metrics found problems on /metrics (exit $lint_status)"
fi
echo "a. ok: promtool check metrics: no complaint about /metrics ($(grep -c '^# TYPE' "$work/metrics.txt" || true) metrics, $(grep -vc '^#' "$work/metrics.txt" || true) series)"

# b. The alerting rules and their unit tests.
promtool check rules "$alerts" 2>&1 | sed '/^[[:space:]]*$/d; s/^/  /' || fail "b. promtool check rules $alerts"
promtool test rules "$alert_tests" 2>&1 | sed '/^[[:space:]]*$/d; s/^/  /' || fail "b. promtool test rules $alert_tests"
echo "b. ok: $alerts checks, and $alert_tests passes"

# c. The dashboard's queries, with Grafana's variables replaced, as recording rules for promtool.
python3 - "$dashboard" "$work/dashboard-rules.yml" <<'EOF' || fail "c. cannot read the dashboard's queries"
import json, re, sys
board = json.load(open(sys.argv[1]))
intervals = {"__interval", "__rate_interval", "__range", "__range_s", "__range_ms", "__interval_ms"}
def placeholder(match):
    name = match.group(1) or match.group(2) or match.group(3)
    return "5m" if name in intervals else ".*"
def panels(items):
    for panel in items:
        yield panel
        yield from panels(panel.get("panels", []))
rules, missing = [], []
for panel in panels(board["panels"]):
    for target in panel.get("targets", []):
        expr = target.get("expr", "")
        if not expr.strip():
            missing.append(f'panel {panel.get("id")} "{panel.get("title")}" target {target.get("refId")}')
            continue
        # ${name}, ${name:format}, $name, [[name]]
        expr = re.sub(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]", placeholder, expr)
        rules.append((f'dashboard:panel_{panel["id"]}_{target["refId"]}', expr, panel.get("title")))
if missing:
    sys.exit("targets with no expr: " + "; ".join(missing))
with open(sys.argv[2], "w") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for record, expr, title in rules:
        out.write(f"      # {title}\n      - record: {record}\n        expr: {json.dumps(expr)}\n")
EOF
queries=$(grep -c 'record:' "$work/dashboard-rules.yml" || true)
promtool check rules "$work/dashboard-rules.yml" 2>&1 | sed '/^[[:space:]]*$/d; s/^/  /' || fail "c. a query of $dashboard does not parse (above)"
echo "c. ok: the $queries queries of $dashboard parse"

# d. Every fleetledger_* name in the three files is on the page (histogram series may add _bucket, _sum, _count).
python3 - "$work/metrics.txt" "$alerts" "$alert_tests" "$dashboard" <<'EOF' || fail "d. a metric name is not on /metrics (above)"
import re, sys
page = open(sys.argv[1]).read()
served = set(re.findall(r"^# TYPE (\S+)", page, re.M)) | set(re.findall(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)", page, re.M))
unknown, named = [], set()
for path in sys.argv[2:]:
    for number, line in enumerate(open(path), 1):
        for name in re.findall(r"(?<![A-Za-z0-9_:])(fleetledger_[A-Za-z0-9_]*)", line):
            named.add(name)
            if name not in served:
                unknown.append(f"  {path}:{number}: {name}")
if unknown:
    print("not on /metrics:\n" + "\n".join(unknown))
    sys.exit(1)
print(f"d. ok: the {len(named)} fleetledger_* names used are all on /metrics")
EOF

# e. Graceful shutdown with an event stream open.
curl -sN "$base/v1/events/stream" >"$work/stream.txt" 2>"$work/stream.err" &
stream_pid=$!
open=false
for _ in $(seq 1 50); do
  page="$(curl -sf "$base/metrics" || true)"
  if grep -q '^fleetledger_http_event_streams 1' <<<"$page"; then open=true; break; fi
  sleep 0.1
done
[[ $open == true ]] || fail "e. the event stream did not open"
kill -TERM "$server_pid"
stopped=false
for tenths in $(seq 1 100); do
  sleep 0.1
  if ! kill -0 "$server_pid" 2>/dev/null; then stopped=true; break; fi
done
[[ $stopped == true ]] || fail "e. the server was still running 10 s after SIGTERM"
set +e
wait "$server_pid"
server_status=$?
set -e
server_pid=""
[[ $server_status -eq 0 ]] || { sed 's/^/  serve: /' "$work/serve.err"; fail "e. the server exited with status $server_status after SIGTERM"; }
grep -qx 'stopped\.' "$work/serve.err" || { sed 's/^/  serve: /' "$work/serve.err"; fail 'e. the server did not print "stopped." on stderr'; }
ended=false
for _ in $(seq 1 30); do
  if ! kill -0 "$stream_pid" 2>/dev/null; then ended=true; break; fi
  sleep 0.1
done
[[ $ended == true ]] || fail "e. the event stream was still open after the server stopped"
set +e
wait "$stream_pid"
stream_status=$?
set -e
stream_pid=""
[[ $stream_status -eq 0 ]] || fail "e. the event stream's curl ended with status $stream_status (18: the server cut the stream short)"
echo "e. ok: SIGTERM with an event stream open: the server ended the stream, printed \"stopped.\" and exited 0 within $((tenths / 10)).$((tenths % 10)) s"

echo "serve-check: ok"
