# The native CLI's `view` on every demo customer (demo/programs/*/customers/*.json), each output
# validated against include/loyalty/schema/v1/view.schema.json, then the CLI's exit statuses and
# streams (tests/node/cli.test.mjs), and every demo customer's replay against the copy recorded
# before issue 11 (tests/node/sample-outputs.test.mjs).
set -euo pipefail
# Step 10 builds the CLI; build it here when this step runs alone.
if [ ! -x build/dev/src/cli/loyalty ]; then
  cmake --preset dev >/dev/null
  cmake --build --preset dev -j"$(nproc)" --target loyalty_cli
fi
node --test --test-reporter=spec tests/node/view-schema.test.mjs tests/node/cli.test.mjs \
  tests/node/sample-outputs.test.mjs tests/node/time-zone.test.mjs
