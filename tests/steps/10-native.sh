# Native debug build (warnings as errors) and the GoogleTest suite.
set -euo pipefail
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$(nproc)"
ctest --preset dev -j"$(nproc)"
