// JSON output shared by view_to_json and the text API: the view is written straight as text,
// the envelopes and other payloads as nlohmann trees through dump_json.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loyalty/result.hpp"
#include "loyalty/view.hpp"

namespace loyalty::detail {

/// Appends the view object of CONTRACT.md "View (out)" as compact JSON text, exactly as
/// dump_json would write it (keys sorted, invalid UTF-8 replaced).
void append_view_json(std::string& out, const LauncherView& view);

/// {"money": n, "currency": "USD"}.
nlohmann::json money_to_json(MinorUnits amount, std::string_view currency);

/// Appends {"source", "path", "message"} for each diagnostic of the given severity.
void append_diagnostics(nlohmann::json& list, const std::vector<Diagnostic>& diagnostics,
                        Severity severity, std::string_view source);

/// Compact, deterministic text (keys sorted, integers only); invalid UTF-8 replaced.
std::string dump_json(const nlohmann::json& value);

}  // namespace loyalty::detail
