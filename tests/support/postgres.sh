# A throwaway PostgreSQL for the tests: Debian's server binaries, a cluster in a temporary
# folder owned by `postgres` (it refuses to run as root), on a free port of 127.0.0.1 and a
# socket in that folder. Source this file, then:
#   postgres_start   # exports LOYALTY_TEST_POSTGRES_URL; returns non-zero when it can't start
#   postgres_stop    # stops the server and deletes the folder (safe to call twice)
# Nothing is left behind: the caller traps postgres_stop on every exit path.

postgres_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/pg_ctl" ]] && echo "$dir"
  done | sort -V | tail -1
}

# A port nobody listens on now (the kernel picks it; a tiny race with other starters remains,
# which pg_ctl's failure to bind reports).
postgres_free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Runs a PostgreSQL tool as the unprivileged `postgres` user when we are root.
postgres_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

postgres_start() {
  local bin
  bin=$(postgres_bin)
  if [[ -z "$bin" ]]; then
    echo "postgres: no server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2
    return 1
  fi
  LOYALTY_TEST_POSTGRES_DIR=$(mktemp -d /tmp/loyalty-pg.XXXXXX)
  [[ $(id -u) -eq 0 ]] && chown postgres: "$LOYALTY_TEST_POSTGRES_DIR"
  local dir=$LOYALTY_TEST_POSTGRES_DIR port
  port=$(postgres_free_port)
  if ! postgres_as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync \
    >"$dir/initdb.log" 2>&1; then
    echo "postgres: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    return 1
  fi
  # fsync off: a test cluster is thrown away, so durability costs time for nothing. Crash
  # tests kill the server process, not PostgreSQL. A benchmark sets POSTGRES_FSYNC=on to measure
  # what a real installation pays. Every server thread may hold a connection: room for several.
  if ! postgres_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${POSTGRES_FSYNC:-off} \
        -c max_connections=500" \
    start >/dev/null; then
    echo "postgres: the server did not start:" >&2
    cat "$dir/server.log" >&2
    return 1
  fi
  if ! postgres_as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres loyalty; then
    echo "postgres: createdb failed" >&2
    return 1
  fi
  export LOYALTY_TEST_POSTGRES_DIR
  export LOYALTY_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/loyalty"
  echo "postgres: throwaway server on 127.0.0.1:$port ($dir)"
}

postgres_stop() {
  local dir=${LOYALTY_TEST_POSTGRES_DIR:-}
  [[ -n "$dir" && -d "$dir" ]] || return 0
  local bin
  bin=$(postgres_bin)
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    postgres_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  unset LOYALTY_TEST_POSTGRES_DIR LOYALTY_TEST_POSTGRES_URL
}
