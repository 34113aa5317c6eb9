# The demo end to end: builds what demo/start serves, starts it on a free port, and drives the
# storefront and the merchant preview in Debian's Chromium (tests/browser-demo/).
set -euo pipefail

# The server (dev preset, as step 10 builds it), the wasm core and the bundle.
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$(nproc)" --target loyalty_server
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j"$(nproc)" --target loyalty_wasm
node web/build.mjs >/dev/null

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
work=$(mktemp -d)
# Job control on, so the background demo receives SIGINT like a terminal's Ctrl-C. A shell
# started in the background without job control (as some CI runners start this one) passes
# SIGINT on as ignored, and bash can't take that back: env gives demo/start the default again.
set -m
env --default-signal=INT demo/start --no-build --preset dev --port "$port" \
  --ready-file "$work/ready" >"$work/demo.log" 2>&1 &
demo_pid=$!
set +m
# True once the demo has exited, within $1 seconds; never waits longer.
demo_exited_within() {
  for _ in $(seq 1 $(($1 * 5))); do
    if ! kill -0 "$demo_pid" 2>/dev/null; then
      wait "$demo_pid" 2>/dev/null || true
      return 0
    fi
    sleep 0.2
  done
  return 1
}
cleanup() {
  kill -INT "$demo_pid" 2>/dev/null || true
  # Its own process group (job control): the server goes with it.
  demo_exited_within 30 || kill -KILL -- "-$demo_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 150); do
  [[ -s "$work/ready" ]] && break
  kill -0 "$demo_pid" 2>/dev/null || { cat "$work/demo.log"; exit 1; }
  sleep 0.2
done
[[ -s "$work/ready" ]] || { echo "demo did not start"; cat "$work/demo.log"; exit 1; }

status=0
base=$(cat "$work/ready")
DEMO_URL=$base node --test --test-concurrency=1 --test-reporter=spec \
  tests/browser-demo/*.test.mjs || status=$?

# Ctrl-C must stop the demo and its server cleanly, and soon.
kill -INT "$demo_pid"
if ! demo_exited_within 60; then
  echo "demo/start did not stop within 60 s of SIGINT"
  kill -KILL -- "-$demo_pid" 2>/dev/null || true
  status=1
elif grep -q "demo: stopped" "$work/demo.log" && ! curl -s -o /dev/null "$base/v1/program"; then
  echo "demo/start stopped cleanly on SIGINT (the server no longer answers)"
else
  echo "demo/start did not stop cleanly"; cat "$work/demo.log"; status=1
fi
trap - EXIT
rm -rf "$work"
exit "$status"
