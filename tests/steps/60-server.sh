# The reference backend: builds loyalty-server (release preset), runs its unit tests, then its
# node:test suite against the real binary, on SQLite and again on PostgreSQL (every endpoint,
# auth, races, kill -9 recovery, CORS, limits; the CLI replays the server's ledgers as the
# launcher would). LOYALTY_BUILD_DIR=<dir>
# uses an already configured build directory instead.
set -euo pipefail
build_dir="${LOYALTY_BUILD_DIR:-build/release}"
targets=(--target loyalty_server loyalty_token loyalty_server_tests loyalty_cli)
if [[ "$build_dir" == build/release ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j"$(nproc)" "${targets[@]}"
else
  cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}"
fi
"$build_dir/demo/server/loyalty_server_tests" --gtest_brief=1
export LOYALTY_SERVER="$PWD/$build_dir/demo/server/loyalty-server"
export LOYALTY_CLI="$PWD/$build_dir/src/cli/loyalty"
echo "--- the integration suite on SQLite"
node --test --test-reporter=spec tests/server/
# The same suite again with every server on a PostgreSQL database of its own (tests/run starts
# the throwaway server); without one it is skipped, unless LOYALTY_REQUIRE_POSTGRES=1.
if [[ -n "${LOYALTY_TEST_POSTGRES_URL:-}" ]]; then
  echo "--- the integration suite on PostgreSQL"
  LOYALTY_TEST_STORE=postgres node --test --test-reporter=dot tests/server/
elif [[ "${LOYALTY_REQUIRE_POSTGRES:-}" == 1 ]]; then
  echo "LOYALTY_REQUIRE_POSTGRES=1 but no LOYALTY_TEST_POSTGRES_URL: run through tests/run"
  exit 1
else
  echo "--- no PostgreSQL (run through tests/run): the suite ran on SQLite only"
fi
