#!/usr/bin/env bash
# Polls what Azure reports about a fleet, once, into `fleetledger import`. Run it every minute
# (cron or a systemd timer: see the README); the import stores changes only, so a quiet minute
# appends nothing. Needs the Azure CLI logged in (az login, or a managed identity), curl and jq.
#
#   SUBSCRIPTION=... RESOURCE_GROUP=... HOST_POOL=... LOAD_BALANCER=... RULE=... SCALE_SET=... \
#     poll-azure.sh
#
# Each response is imported with --at: the moment it was fetched, the time of the fields that have
# none of their own (a host's allowNewSession, a rule's health). Leave a variable empty to skip
# that resource.
set -euo pipefail

arm="https://management.azure.com"
base="$arm/subscriptions/$SUBSCRIPTION/resourceGroups/$RESOURCE_GROUP/providers"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# GET with az rest, following nextLink, into one {"value": [...]} body.
get_all() {
  local url="$1" out="$2" page=0
  : > "$work/pages"
  while [ -n "$url" ] && [ "$url" != null ]; do
    az rest --method get --url "$url" > "$work/page.$page.json"
    echo "$work/page.$page.json" >> "$work/pages"
    url="$(jq -r '.nextLink // empty' "$work/page.$page.json")"
    page=$((page + 1))
  done
  jq -s '{value: (map(.value) | add)}' $(cat "$work/pages") > "$out"
}

if [ -n "${HOST_POOL:-}" ]; then
  pool="$base/Microsoft.DesktopVirtualization/hostPools/$HOST_POOL"
  at="$(now)"
  get_all "$pool/sessionHosts?api-version=2024-04-03" "$work/hosts.json"
  fleetledger import --at "$at" "$work/hosts.json"
  # The update status exists only once an update was scheduled (a preview API).
  at="$(now)"
  if az rest --method get --url "$pool/sessionHostManagements/default/sessionHostUpdateStatuses/default?api-version=2025-04-01-preview" \
       > "$work/update.json" 2> /dev/null; then
    fleetledger import --at "$at" "$work/update.json"
  fi
fi

if [ -n "${LOAD_BALANCER:-}" ] && [ -n "${RULE:-}" ]; then
  # The rule's health is a long-running POST: 202 with a Location to poll, which az rest does not
  # follow; curl with a token from the CLI does.
  token="$(az account get-access-token --query accessToken -o tsv)"
  url="$base/Microsoft.Network/loadBalancers/$LOAD_BALANCER/loadBalancingRules/$RULE/health?api-version=2024-05-01"
  at="$(now)"
  location="$(curl -sS -o /dev/null -D - -X POST -H "Authorization: Bearer $token" -H "Content-Length: 0" "$url" \
    | tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')"
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    code="$(curl -sS -o "$work/health.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$location")"
    [ "$code" = 200 ] && break
    sleep 2
  done
  [ "$code" = 200 ] && fleetledger import --lb "$LOAD_BALANCER" --rule "$RULE" --at "$at" "$work/health.json"
fi

if [ -n "${SCALE_SET:-}" ]; then
  at="$(now)"
  get_all "$base/Microsoft.Compute/virtualMachineScaleSets/$SCALE_SET/virtualMachines?\$expand=instanceView&api-version=2024-07-01" \
    "$work/vms.json"
  fleetledger import --at "$at" "$work/vms.json"
fi
