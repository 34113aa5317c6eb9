// A zone's offsets from the system's time-zone data, for the native homes of the core (the CLI
// and the reference backend). The core itself reads no files: this builds the context's
// "timeZone" input, as the browser does with Intl.
#pragma once

#include <string>
#include <string_view>

#include "loyalty/result.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

/// The earliest change kept: loyalty dates start long after 1900, and earlier local mean times
/// have offsets in seconds the core does not take.
constexpr EpochSeconds kZoneinfoFrom = -2208988800;  // 1900-01-01T00:00:00Z

/// Reads a TZif file's bytes (RFC 8536, versions 1 to 4): the offset in force at 1900 and every
/// change after it, offsets truncated to whole minutes, changes that keep the offset dropped.
/// Past the file's last change the last offset holds (Debian's files run to 2037).
Result<NamedTimeZone> parse_tzif(std::string_view name, std::string_view bytes);

/// Loads `name` ("America/Los_Angeles") from `directory`, or from $TZDIR, or from
/// /usr/share/zoneinfo. Errors for a name that is not a zone name or has no file.
Result<NamedTimeZone> load_system_time_zone(std::string_view name, std::string directory = "");

}  // namespace loyalty
