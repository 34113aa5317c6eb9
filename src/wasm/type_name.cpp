// Embind's __getTypeName (the name an UnboundTypeError shows) formats a type's id with
// sprintf("%p") when there is no RTTI (compiled as musl's integer-only siprintf), and is
// exported, so musl's printf stays in the module for it alone: about 4 KB of wasm. The module
// links with -Wl,--wrap=siprintf, which sends those calls here; "%p" is written as musl writes
// it (lowercase hex after "0x", or "0" for null), and any other format aborts rather than print
// something else.
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int __wrap_siprintf(char* out, const char* format, ...) {
  if (std::strcmp(format, "%p") != 0) std::abort();
  std::va_list arguments;
  va_start(arguments, format);
  auto value = reinterpret_cast<std::uintptr_t>(va_arg(arguments, void*));
  va_end(arguments);
  char digits[2 * sizeof value];
  int count = 0;
  do {
    digits[count++] = "0123456789abcdef"[value & 15];
    value >>= 4;
  } while (value != 0);
  const int prefix = count > 1 || digits[0] != '0' ? 2 : 0;
  std::memcpy(out, "0x", static_cast<std::size_t>(prefix));
  for (int i = 0; i < count; ++i) out[prefix + i] = digits[count - 1 - i];
  out[prefix + count] = '\0';
  return prefix + count;
}
