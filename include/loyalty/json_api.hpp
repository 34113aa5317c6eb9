// Text in, text out: the one surface the CLI, the WebAssembly binding and the backend call.
// Every function returns a JSON envelope and never throws:
//   {"ok": true,  "<payload>": {...}, "warnings": [...]}
//   {"ok": false, "errors": [{"source": "program", "path": "/rewards/2/cost", "message": "..."}],
//    "warnings": [...]}
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "loyalty/time.hpp"

namespace loyalty {

/// The deepest nesting of objects and arrays any JSON input may have (CONTRACT.md, "General
/// rules"). Deeper input is refused before anything recursive reads it, with the JSON Pointer
/// where the limit is crossed: "/a/0/b: nested deeper than 64 levels, ...". The reference
/// backend's request bodies and the web layer's mapping use the same limit.
constexpr std::size_t kMaxJsonDepth = 64;

/// {"ok", "errors", "warnings"} for a program document.
std::string validate_program_json(std::string_view program);

/// {"ok", "errors", "warnings"} for a customer document.
std::string validate_customer_json(std::string_view customer);

/// The launcher view: {"ok": true, "view": {...}}. See include/loyalty/CONTRACT.md.
std::string view_json(std::string_view program, std::string_view customer,
                      std::string_view context);

/// The replayed account: {"ok": true, "account": {...}} (balance, lots, tier, activity).
std::string replay_json(std::string_view program, std::string_view customer,
                        std::string_view context);

/// Points an event would earn now: {"ok": true, "earn": {"base", "tierBonus", ...}}.
/// event: {"type": "order", "amounts": {...}} or {"type": "rule", "ruleId": "review"}.
std::string earn_json(std::string_view program, std::string_view customer, std::string_view context,
                      std::string_view event);

/// A redemption decision: {"ok": true, "redeem": {"ok": bool, "refusal", "points", ...}}.
/// request: {"rewardId": "r5", "points": 300, "orderTotal": 5000}.
std::string redeem_json(std::string_view program, std::string_view customer,
                        std::string_view context, std::string_view request);

/// The context's "timeZone" value for a zone (CONTRACT.md, "Time zones"): what the server and the
/// CLI put in a context when they read a program's zone from the system's time-zone data.
std::string time_zone_json(const NamedTimeZone& zone);

}  // namespace loyalty
