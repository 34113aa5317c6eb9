#!/usr/bin/env bash
# Load benchmark of the reference backend with wrk on loopback: requests/s and p99 latency of
# GET /v1/customer (the state read) and POST /v1/redemptions (a write transaction), each at 64
# connections for $DURATION, on each store: SQLite (sync full and normal), PostgreSQL with one
# server process, and PostgreSQL with two processes sharing the database (the connections split
# between them; a throwaway PostgreSQL with fsync on, as tests/support/postgres.sh starts it).
# Targets: >= 10,000 req/s for the read, p99 <= 10 ms for redemption. Prints figures; asserts
# nothing about timing.
#
#   tests/bench/server-load.sh                 # uses build/release (builds it when missing)
#   LOYALTY_BUILD_DIR=build/server SYNC=normal STORES=sqlite tests/bench/server-load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir="${LOYALTY_BUILD_DIR:-build/release}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
low_connections="${LOW_CONNECTIONS:-8}"
customer_count="${CUSTOMERS:-256}"
sync_modes="${SYNC:-full normal}"
stores="${STORES:-sqlite postgres postgres-x2}"
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
server_pids=()
urls=()
source tests/support/postgres.sh
stop_servers() {
  local pid
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  server_pids=()
  urls=()
}
cleanup() {
  stop_servers
  postgres_stop
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

cpu_ticks() {  # user + system clock ticks the servers have used so far
  local pid total=0
  for pid in "${server_pids[@]}"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

client_ticks() {  # user + system clock ticks of this script's finished children (wrk)
  awk '{print $16 + $17}' "/proc/$$/stat"
}

start_server() {  # database [extra flags...]: starts one more server on it
  local log="$work/server-${#server_pids[@]}.txt"
  "$server" --port 0 --db "$1" --secret "$secret" --admin-key bench \
    --program tests/server/fixtures/program.json --seed "$work/seed" \
    --rate-redemptions 0 --threads $((connections / ${2:-1} + 16)) "${@:3}" >"$log" 2>&1 &
  server_pids+=($!)
  for _ in $(seq 100); do
    grep -q "listening on" "$log" && break
    sleep 0.1
  done
  local url
  url=$(awk '/listening on/ {print $4}' "$log")
  [[ -n "$url" ]] || { cat "$log"; exit 1; }
  urls+=("$url")
}

run_wrk() {  # mode label [connections]: the connections split evenly over the servers
  local connections="${3:-$connections}"
  local each=$((connections / ${#urls[@]}))
  local ticks_before client_before index
  ticks_before=$(cpu_ticks)
  client_before=$(client_ticks)
  local waits=()
  for index in "${!urls[@]}"; do
    LOYALTY_TOKENS="$work/tokens.txt" LOYALTY_MODE="$1" \
      wrk -t"$((each < 2 ? each : 2))" -c"$each" -d"$duration" --latency \
      -s tests/bench/server-load.lua "${urls[$index]}" >"$work/wrk-$index.txt" 2>&1 &
    waits+=($!)
  done
  local failed=0
  for index in "${!waits[@]}"; do
    wait "${waits[$index]}" || {
      echo "server-load: wrk failed:" >&2
      cat "$work/wrk-$index.txt" >&2
      failed=1
    }
  done
  ((failed == 0)) || return 1
  if [[ -n "${VERBOSE:-}" ]]; then cat "$work"/wrk-*.txt; fi
  local rps p50 p99 errors requests cpu_us client_us
  # Summed over the servers' wrk runs; latencies are the worst of them.
  requests=$(awk '/requests in/ {sum += $1} END {print sum + 0}' "$work"/wrk-*.txt)
  rps=$(awk '/^Requests\/sec/ {sum += $2} END {printf "%.2f", sum}' "$work"/wrk-*.txt)
  p50=$(awk '$1 == "50%" {print $2}' "$work"/wrk-*.txt | sort -h | tail -1)
  p99=$(awk '$1 == "99%" {print $2}' "$work"/wrk-*.txt | sort -h | tail -1)
  errors=$(awk -F': ' '/^non-2xx or socket errors/ {sum += $2} END {print sum + 0}' "$work"/wrk-*.txt)
  rm -f "$work"/wrk-*.txt
  # Server CPU time per request: steadier than latency on a shared, noisy machine.
  cpu_us=$(( ($(cpu_ticks) - ticks_before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))
  # wrk shares the cores with the server, so its CPU per request counts against the server's.
  client_us=$(( ($(client_ticks) - client_before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))
  printf '%-44s %9s req/s  p50 %8s  p99 %8s  CPU us/req: server %4s, wrk %3s  errors %s\n' \
    "$2" "$rps" "$p50" "$p99" "$cpu_us" "$client_us" "$errors"
}

measure() {  # label
  run_wrk read "GET /v1/customer ($1)"
  run_wrk redeem "POST /v1/redemptions ($1)"
  # Closed-loop load: mean latency = connections / throughput, so also show a lighter load.
  run_wrk redeem "  same at $low_connections connections" "$low_connections"
  local pid
  for pid in "${server_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    echo "server-load: a server died during the run:" >&2
    cat "$work"/server-*.txt >&2
    exit 1
  done
  stop_servers
}

echo "server-load: $connections connections, $duration each, $customer_count customers," \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for store in $stores; do
  case "$store" in
    sqlite)
      for sync in $sync_modes; do
        rm -f "$work"/db*
        start_server "$work/db.sqlite" 1 --sync "$sync"
        measure "SQLite, sync=$sync"
      done
      ;;
    postgres | postgres-x2)
      if [[ -z "${LOYALTY_TEST_POSTGRES_URL:-}" ]]; then
        POSTGRES_FSYNC=on postgres_start >/dev/null || exit 1
      fi
      processes=1
      [[ "$store" == postgres-x2 ]] && processes=2
      database="bench_${processes}_$RANDOM"
      psql "$LOYALTY_TEST_POSTGRES_URL" -qc "CREATE DATABASE $database"
      pg_url="${LOYALTY_TEST_POSTGRES_URL%/*}/$database"
      # The first seeds the customers; the second finds them there.
      for ((p = 0; p < processes; p++)); do start_server "$pg_url" "$processes"; done
      measure "PostgreSQL, $processes process$([[ $processes == 2 ]] && echo es)"
      ;;
    *)
      echo "server-load: unknown store $store (sqlite, postgres, postgres-x2)" >&2
      exit 1
      ;;
  esac
done
echo "targets: GET /v1/customer >= 10000 req/s; POST /v1/redemptions p99 <= 10 ms"
