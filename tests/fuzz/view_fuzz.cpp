// Feeds program, customer and context documents through view_json, the launcher's whole path.
// Input: the three JSON texts separated by NUL bytes (JSON text cannot hold a raw NUL).
// The answer must always be a JSON envelope with a boolean "ok", the same on every call.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loyalty/json_api.hpp"

namespace {

std::string_view next_part(std::string_view& input) {
  std::size_t nul = input.find('\0');
  std::string_view part = input.substr(0, nul);
  input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view program = next_part(input);
  std::string_view customer = next_part(input);
  std::string_view context = next_part(input);

  const std::string answer = loyalty::view_json(program, customer, context);
  const auto envelope = nlohmann::json::parse(answer, nullptr, false);
  if (envelope.is_discarded() || !envelope.is_object()) std::abort();
  const auto ok = envelope.find("ok");
  if (ok == envelope.end() || !ok->is_boolean()) std::abort();
  if (ok->get<bool>() != envelope.contains("view")) std::abort();
  if (!ok->get<bool>() && (!envelope.contains("errors") || envelope["errors"].empty()))
    std::abort();
  // The view is written by hand for speed; it must be exactly what nlohmann would write.
  if (envelope.dump() != answer) std::abort();
  // Deterministic: the wasm build must give the same bytes, so the native one must too.
  if (loyalty::view_json(program, customer, context) != answer) std::abort();
  return 0;
}
