# Browser tests: bundles web/ into build/web (with the wasm core from step 30's build/wasm), then
# drives Debian's Chromium through playwright-core against a local server with a strict CSP.
set -euo pipefail
if [ ! -f build/wasm/src/wasm/loyalty-core.wasm ]; then
  echo "50-browser: build/wasm/src/wasm/loyalty-core.wasm is missing (step 30 builds it)" >&2
  exit 1
fi
node web/build.mjs
# One file at a time: each starts its own Chromium, and the machines have 2 cores.
node --test --test-concurrency=1 --test-reporter=spec tests/browser/*.test.mjs
