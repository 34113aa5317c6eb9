// The view as compact JSON text, shared by view_to_json and the text API.
#pragma once

#include "json_write.hpp"
#include "loyalty/view.hpp"

namespace loyalty::detail {

/// Writes the view object of CONTRACT.md "View (out)" as compact JSON text with its keys
/// sorted, exactly as nlohmann's dump() would write the same tree.
void write_view_json(JsonWriter& out, const LauncherView& view);

}  // namespace loyalty::detail
