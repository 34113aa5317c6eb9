// The browser's door to the core: pure functions, JSON text in, JSON text out.
// No class_ handles (they leak without .delete()) and no JS callbacks (re-entry is unsafe with
// -sDYNAMIC_EXECUTION=0). Parsing, validation and error envelopes all live in src/json_api.cpp.
//
//   import createLoyaltyCore from './loyalty-core.js';
//   const core = await createLoyaltyCore();
//   const {ok, view, errors} = JSON.parse(core.viewJson(programText, customerText, contextText));
//
// The same functions also take their texts through buffers the core owns (web/src/core.js):
// Embind's std::string conversion walks every byte in JavaScript, which cost a fifth of a view,
// while TextEncoder.encodeInto and TextDecoder copy natively.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "loyalty/json_api.hpp"

namespace {

// Embind converts JS strings to std::string (UTF-8), not to std::string_view.
std::string viewJson(const std::string& program, const std::string& customer,
                     const std::string& context) {
  return loyalty::view_json(program, customer, context);
}

std::string validateProgramJson(const std::string& program) {
  return loyalty::validate_program_json(program);
}

std::string validateCustomerJson(const std::string& customer) {
  return loyalty::validate_customer_json(customer);
}

std::string earnJson(const std::string& program, const std::string& customer,
                     const std::string& context, const std::string& event) {
  return loyalty::earn_json(program, customer, context, event);
}

std::string redeemJson(const std::string& program, const std::string& customer,
                       const std::string& context, const std::string& request) {
  return loyalty::redeem_json(program, customer, context, request);
}

// ----- buffered calls -----

constexpr unsigned kInputSlots = 4;
std::string inputs[kInputSlots];
std::string answer;  // read by the page before its next call

using Texts = std::string_view[kInputSlots];

/// The operations callBuffered runs, by the same names as the string functions above. The page
/// calls them by name, so neither side depends on an order the other must repeat.
struct Operation {
  std::string_view name;
  std::string (*run)(const Texts& text);
};
constexpr Operation kOperations[] = {
    {"viewJson", [](const Texts& t) { return loyalty::view_json(t[0], t[1], t[2]); }},
    {"validateProgramJson", [](const Texts& t) { return loyalty::validate_program_json(t[0]); }},
    {"validateCustomerJson", [](const Texts& t) { return loyalty::validate_customer_json(t[0]); }},
    {"earnJson", [](const Texts& t) { return loyalty::earn_json(t[0], t[1], t[2], t[3]); }},
    {"redeemJson", [](const Texts& t) { return loyalty::redeem_json(t[0], t[1], t[2], t[3]); }},
};

emscripten::val bytes_view(std::string& bytes) {
  return emscripten::val(
      emscripten::typed_memory_view(bytes.size(), reinterpret_cast<unsigned char*>(bytes.data())));
}

/// A Uint8Array of `bytes` into which the page writes the UTF-8 text of argument `slot` (0-3).
/// Valid until the next call into the core, which may move memory.
emscripten::val inputBuffer(unsigned slot, unsigned bytes) {
  if (slot >= kInputSlots) return emscripten::val::null();
  inputs[slot].resize(bytes);
  return bytes_view(inputs[slot]);
}

/// Runs the operation named `operation` ("viewJson", "redeemJson", ...: the string functions'
/// names) on the first `length0..3` bytes of the input buffers and returns its answer as a
/// Uint8Array of UTF-8, valid until the next call.
emscripten::val callBuffered(const std::string& operation, unsigned length0, unsigned length1,
                             unsigned length2, unsigned length3) {
  const unsigned lengths[kInputSlots] = {length0, length1, length2, length3};
  Texts text;
  for (unsigned slot = 0; slot < kInputSlots; ++slot)
    text[slot] = std::string_view(inputs[slot]).substr(0, lengths[slot]);
  const auto* found = std::find_if(std::begin(kOperations), std::end(kOperations),
                                   [&](const Operation& op) { return op.name == operation; });
  answer =
      found != std::end(kOperations)
          ? found->run(text)
          : R"({"errors":[{"message":"is not an operation of this core","path":"","source":"call"}],)"
            R"("ok":false,"warnings":[]})";
  return bytes_view(answer);
}

}  // namespace

EMSCRIPTEN_BINDINGS(loyalty_core) {
  emscripten::function("viewJson", &viewJson);
  emscripten::function("validateProgramJson", &validateProgramJson);
  emscripten::function("validateCustomerJson", &validateCustomerJson);
  emscripten::function("earnJson", &earnJson);
  emscripten::function("redeemJson", &redeemJson);
  emscripten::function("inputBuffer", &inputBuffer);
  emscripten::function("callBuffered", &callBuffered);
}
