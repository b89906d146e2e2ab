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
# that resource. Each resource is polled on its own: one that fails (throttled, refused) is
# reported on stderr and the others still run; the exit status says whether all went through.
set -uo pipefail

arm="https://management.azure.com"
base="$arm/subscriptions/$SUBSCRIPTION/resourceGroups/$RESOURCE_GROUP/providers"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
failed=0
fail() { echo "poll-azure: $*" >&2; failed=1; }

# GET with az rest, following nextLink, into one {"value": [...]} body.
get_all() {
  local url="$1" out="$2" page=0
  : > "$work/pages"
  while [ -n "$url" ] && [ "$url" != null ]; do
    az rest --method get --url "$url" > "$work/page.$page.json" || return 1
    echo "$work/page.$page.json" >> "$work/pages"
    url="$(jq -r '.nextLink // empty' "$work/page.$page.json")" || return 1
    page=$((page + 1))
  done
  local pages=()
  mapfile -t pages < "$work/pages"
  jq -s '{value: (map(.value) | add // [])}' "${pages[@]}" > "$out"
}

if [ -n "${HOST_POOL:-}" ]; then
  pool="$base/Microsoft.DesktopVirtualization/hostPools/$HOST_POOL"
  at="$(now)"
  if get_all "$pool/sessionHosts?api-version=2024-04-03" "$work/hosts.json"; then
    fleetledger import --at "$at" "$work/hosts.json" || fail "session hosts of $HOST_POOL were not imported"
  else
    fail "session hosts of $HOST_POOL could not be fetched"
  fi
  # The update status exists only once an update was scheduled (a preview API): a 404 is no update.
  at="$(now)"
  if az rest --method get --url "$pool/sessionHostManagements/default/sessionHostUpdateStatuses/default?api-version=2025-04-01-preview" \
       > "$work/update.json" 2> /dev/null; then
    fleetledger import --at "$at" "$work/update.json" || fail "the update status of $HOST_POOL was not imported"
  fi
fi

if [ -n "${LOAD_BALANCER:-}" ] && [ -n "${RULE:-}" ]; then
  # The rule's health is a long-running POST: 202 with a Location to poll, which az rest does not
  # follow; curl with a token from the CLI does.
  token="$(az account get-access-token --query accessToken -o tsv)"
  url="$base/Microsoft.Network/loadBalancers/$LOAD_BALANCER/loadBalancingRules/$RULE/health?api-version=2024-05-01"
  at="$(now)"
  code="$(curl -sS -o "$work/health.json" -D "$work/headers" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $token" -H "Content-Length: 0" "$url")" || code=000
  location="$(tr -d '\r' < "$work/headers" 2> /dev/null | awk 'tolower($1) == "location:" { print $2 }')"
  # 202: poll the Location, waiting what Retry-After asks (2 s when it says nothing), for a minute at most.
  for _ in $(seq 1 30); do
    [ "$code" = 202 ] && [ -n "$location" ] || break
    wait="$(tr -d '\r' < "$work/headers" | awk 'tolower($1) == "retry-after:" { print $2 }')"
    sleep "${wait:-2}"
    code="$(curl -sS -o "$work/health.json" -D "$work/headers" -w '%{http_code}' -H "Authorization: Bearer $token" "$location")" || code=000
  done
  if [ "$code" = 200 ]; then
    fleetledger import --lb "$LOAD_BALANCER" --rule "$RULE" --at "$at" "$work/health.json" || fail "the health of rule $RULE was not imported"
  else
    fail "the health of rule $RULE of $LOAD_BALANCER could not be fetched (HTTP $code)"
  fi
fi

if [ -n "${SCALE_SET:-}" ]; then
  at="$(now)"
  if get_all "$base/Microsoft.Compute/virtualMachineScaleSets/$SCALE_SET/virtualMachines?\$expand=instanceView&api-version=2024-07-01" \
       "$work/vms.json"; then
    fleetledger import --at "$at" "$work/vms.json" || fail "the VMs of $SCALE_SET were not imported"
  else
    fail "the VMs of $SCALE_SET could not be fetched"
  fi
fi
exit "$failed"
