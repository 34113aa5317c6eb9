# The GoogleTest suites (core and backend) again under AddressSanitizer and
# UndefinedBehaviorSanitizer, then the backend's integration suite against the sanitized server
# (threads, the WAL-gathering VFS, kill -9 recovery); a leak or error fails its clean-exit checks.
set -euo pipefail
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$(nproc)" --target loyalty_tests loyalty_server_tests loyalty_server \
  loyalty_token loyalty_cli
ctest --preset asan -j"$(nproc)"
LOYALTY_SERVER="$PWD/build/asan/demo/server/loyalty-server" \
  LOYALTY_CLI="$PWD/build/asan/src/cli/loyalty" \
  node --test --test-reporter=dot tests/server/
