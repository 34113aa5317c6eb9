// JSON building shared by view_to_json and the text API, so that both write one JSON tree type
// and the wasm carries one serialiser.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loyalty/result.hpp"
#include "loyalty/view.hpp"

namespace loyalty::detail {

/// The view object of CONTRACT.md "View (out)".
nlohmann::json view_to_json_value(const LauncherView& view);

/// {"points": n} | {"money": n, "currency": c} | ... as in CONTRACT.md.
nlohmann::json message_to_json(const Message& message);

/// {"money": n, "currency": "USD"}.
nlohmann::json money_to_json(MinorUnits amount, std::string_view currency);

/// Appends {"source", "path", "message"} for each diagnostic of the given severity.
void append_diagnostics(nlohmann::json& list, const std::vector<Diagnostic>& diagnostics,
                        Severity severity, std::string_view source);

/// Compact, deterministic text (keys sorted, integers only); invalid UTF-8 replaced.
std::string dump_json(const nlohmann::json& value);

}  // namespace loyalty::detail
