# The reference backend: builds loyalty-server (release preset), runs its unit tests, then its
# node:test suite against the real binary (every endpoint, auth, races, kill -9 recovery, CORS,
# limits; the CLI replays the server's ledgers as the launcher would). LOYALTY_BUILD_DIR=<dir>
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
LOYALTY_SERVER="$PWD/$build_dir/demo/server/loyalty-server" \
  LOYALTY_CLI="$PWD/$build_dir/src/cli/loyalty" \
  node --test --test-reporter=spec tests/server/
