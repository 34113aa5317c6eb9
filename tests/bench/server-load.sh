#!/usr/bin/env bash
# Load benchmark of the reference backend with wrk on loopback: requests/s and p99 latency of
# GET /v1/customer (the state read) and POST /v1/redemptions (a write transaction), each at 64
# connections for $DURATION. Targets: >= 10,000 req/s for the read, p99 <= 10 ms for redemption.
# Prints figures; asserts nothing about timing.
#
#   tests/bench/server-load.sh                 # uses build/release (builds it when missing)
#   LOYALTY_BUILD_DIR=build/server SYNC=normal tests/bench/server-load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir="${LOYALTY_BUILD_DIR:-build/release}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
low_connections="${LOW_CONNECTIONS:-8}"
customer_count="${CUSTOMERS:-256}"
sync_modes="${SYNC:-full normal}"
server="$build_dir/demo/server/loyalty-server"
token_tool="$build_dir/demo/server/loyalty-token"
if [[ ! -x "$server" || ! -x "$token_tool" ]]; then
  if [[ "$build_dir" == build/release ]]; then
    cmake --preset release >/dev/null
    cmake --build --preset release -j"$(nproc)" --target loyalty_server loyalty_token
  else
    echo "server-load: $server not built" >&2
    exit 1
  fi
fi
command -v wrk >/dev/null || { echo "server-load: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

secret="bench-secret-0123456789"
# Seed customers with a large balance so no redemption is refused for points.
mkdir -p "$work/seed"
: >"$work/tokens.txt"
for ((i = 1; i <= customer_count; i++)); do
  id="bench-$i"
  cat >"$work/seed/$id.json" <<JSON
{"version": 1, "id": "$id", "firstName": "Bench", "status": "member",
 "email": "$id@example.com", "joinedAt": "2026-01-01T00:00:00Z",
 "ledger": [{"id": "seed", "type": "adjust", "at": "2026-01-01T00:00:00Z",
             "points": 1000000000, "reason": "benchmark balance"}]}
JSON
  echo "$id $("$token_tool" --secret "$secret" --customer "$id" --expires-in 86400)" >>"$work/tokens.txt"
done

cpu_ticks() {  # user + system clock ticks the server has used so far
  awk '{print $14 + $15}' "/proc/$server_pid/stat"
}

client_ticks() {  # user + system clock ticks of this script's finished children (wrk)
  awk '{print $16 + $17}' "/proc/$$/stat"
}

run_wrk() {  # mode label [connections]
  local connections="${3:-$connections}"
  local ticks_before client_before
  ticks_before=$(cpu_ticks)
  client_before=$(client_ticks)
  LOYALTY_TOKENS="$work/tokens.txt" LOYALTY_MODE="$1" \
    wrk -t"$((connections < 2 ? connections : 2))" -c"$connections" -d"$duration" --latency \
    -s tests/bench/server-load.lua "$url" >"$work/wrk.txt" 2>&1 || {
    echo "server-load: wrk failed:" >&2
    cat "$work/wrk.txt" >&2
    return 1
  }
  if [[ -n "${VERBOSE:-}" ]]; then cat "$work/wrk.txt"; fi
  local rps p50 p99 errors requests cpu_us client_us
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  requests=${requests:-0}
  # Server CPU time per request: steadier than latency on a shared, noisy machine.
  cpu_us=$(( ($(cpu_ticks) - ticks_before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))
  # wrk shares the cores with the server, so its CPU per request counts against the server's.
  client_us=$(( ($(client_ticks) - client_before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  errors=$(awk -F': ' '/^non-2xx or socket errors/ {print $2}' "$work/wrk.txt")
  printf '%-36s %9s req/s  p50 %8s  p99 %8s  CPU us/req: server %4s, wrk %3s  errors %s\n' \
    "$2" "$rps" "$p50" "$p99" "$cpu_us" "$client_us" "$errors"
}

echo "server-load: $connections connections, $duration each, $customer_count customers," \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for sync in $sync_modes; do
  rm -f "$work"/db*
  "$server" --port 0 --db "$work/db.sqlite" --secret "$secret" --admin-key bench \
    --program tests/server/fixtures/program.json --seed "$work/seed" --sync "$sync" \
    --rate-redemptions 0 --threads $((connections + 16)) >"$work/server.txt" 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do
    grep -q "listening on" "$work/server.txt" && break
    sleep 0.1
  done
  url=$(awk '/listening on/ {print $4}' "$work/server.txt")
  [[ -n "$url" ]] || { cat "$work/server.txt"; exit 1; }
  run_wrk read "GET /v1/customer (sync=$sync)"
  run_wrk redeem "POST /v1/redemptions (sync=$sync)"
  # Closed-loop load: mean latency = connections / throughput, so also show a lighter load.
  run_wrk redeem "  same at $low_connections connections" "$low_connections"
  if ! kill "$server_pid" 2>/dev/null; then
    echo "server-load: the server died during the run:" >&2
    cat "$work/server.txt" >&2
    exit 1
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
done
echo "targets: GET /v1/customer >= 10000 req/s; POST /v1/redemptions p99 <= 10 ms"
