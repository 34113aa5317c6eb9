# Download size of the launcher: raw / gzip / brotli, with budgets (tests/size/report.mjs),
# and the wasm size ladder that shows what each group of link flags saves.
set -euo pipefail
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j"$(nproc)" --target loyalty_wasm loyalty_wasm_size_steps
if [ -f web/build.mjs ]; then
  node web/build.mjs
fi
node tests/size/report.mjs
