// The browser's door to the core: five pure functions, JSON text in, JSON text out.
// No class_ handles (they leak without .delete()) and no JS callbacks (re-entry is unsafe with
// -sDYNAMIC_EXECUTION=0). Parsing, validation and error envelopes all live in src/json_api.cpp.
//
//   import createLoyaltyCore from './loyalty-core.js';
//   const core = await createLoyaltyCore();
//   const {ok, view, errors} = JSON.parse(core.viewJson(programText, customerText, contextText));
#include <emscripten/bind.h>

#include <string>

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

}  // namespace

EMSCRIPTEN_BINDINGS(loyalty_core) {
  emscripten::function("viewJson", &viewJson);
  emscripten::function("validateProgramJson", &validateProgramJson);
  emscripten::function("validateCustomerJson", &validateCustomerJson);
  emscripten::function("earnJson", &earnJson);
  emscripten::function("redeemJson", &redeemJson);
}
