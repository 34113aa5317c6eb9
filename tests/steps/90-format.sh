# Formatting drift fails CI: clang-format for C++, prettier for the web side.
set -euo pipefail
mapfile -t cpp < <(git ls-files '*.cpp' '*.hpp' '*.h')
if ((${#cpp[@]})); then
  clang-format --dry-run --Werror "${cpp[@]}"
fi
npx prettier --check --log-level warn web tests demo
echo "format: ${#cpp[@]} C++ files and the web sources are formatted"
