# libFuzzer with AddressSanitizer + UBSan on the view path (tests/fuzz/view_fuzz.cpp) for about
# 30 seconds, seeded from demo/programs, then on the backend's request-body readers
# (tests/fuzz/server_body_fuzz.cpp) for about 20 seconds, seeded from tests/fuzz/server-bodies;
# fails on any crash, leak or sanitizer report.
set -euo pipefail
build_dir="${LOYALTY_FUZZ_BUILD_DIR:-build/fuzz}"
seconds="${LOYALTY_FUZZ_SECONDS:-30}"
server_seconds="${LOYALTY_FUZZ_SERVER_SECONDS:-20}"
cmake --preset fuzz -B "$build_dir" >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target view_fuzz server_body_fuzz

# The seed corpus lives in the build dir: program, customer and context joined by NUL bytes.
corpus="$build_dir/tests/fuzz/corpus"
artifacts="$build_dir/tests/fuzz/artifacts"
mkdir -p "$corpus" "$artifacts"
for program in demo/programs/*/program.json; do
  [ -e "$program" ] || continue
  dir=$(dirname "$program")
  for customer in "$dir"/customers/*.json; do
    [ -e "$customer" ] || continue
    seed="$corpus/seed-$(basename "$dir")-$(basename "$customer" .json)"
    { cat "$program"; printf '\0'; cat "$customer"; printf '\0'; cat "$dir/context.json"; } >"$seed"
  done
done
# -entropic=0: with the ~30k coverage features of nlohmann + the core, libFuzzer 14's entropic
# scheduler spends most of its time in UpdateFeatureFrequency (measured: 5x fewer executions).
echo "fuzzing view_json for ${seconds}s from $(find "$corpus" -type f | wc -l) corpus files"
"$build_dir/tests/fuzz/view_fuzz" "$corpus" -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -entropic=0 -print_final_stats=1 -artifact_prefix="$artifacts/"

# New inputs go to the build dir's corpus (the first one); the committed seeds are only read.
body_corpus="$build_dir/tests/fuzz/server-body-corpus"
mkdir -p "$body_corpus"
echo "fuzzing the server's body readers for ${server_seconds}s from" \
  "$(find tests/fuzz/server-bodies "$body_corpus" -type f | wc -l) corpus files"
"$build_dir/tests/fuzz/server_body_fuzz" "$body_corpus" tests/fuzz/server-bodies \
  -max_total_time="$server_seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/server-body-"
