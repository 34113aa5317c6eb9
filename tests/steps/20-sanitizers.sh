# The GoogleTest suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$(nproc)" --target loyalty_tests
ctest --preset asan -j"$(nproc)"
