# The core as WebAssembly: the GoogleTest suite under node, then the shipped module
# (loyalty-core.js + .wasm) against the native CLI, error envelopes, limits, memory and exports.
set -euo pipefail
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j"$(nproc)"
ctest --preset wasm

# The parity test compares with the native CLI of the dev preset (step 10 builds it; this is
# a no-op then). LOYALTY_CLI=<path> compares with another build instead.
if [ -z "${LOYALTY_CLI:-}" ]; then
  cmake --preset dev >/dev/null
  cmake --build --preset dev -j"$(nproc)" --target loyalty_cli
fi
node --test --test-reporter=spec tests/node/wasm-parity.test.mjs
