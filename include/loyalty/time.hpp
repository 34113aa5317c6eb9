// Instants and calendar math. The core has no clock: `now` is always an input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty {

/// Seconds since 1970-01-01T00:00:00Z.
using EpochSeconds = std::int64_t;

constexpr EpochSeconds kSecondsPerDay = 86400;

struct CivilDate {
  std::int32_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

/// An instant as written, with the UTC offset it was written in.
struct ZonedInstant {
  EpochSeconds epoch = 0;
  int offset_minutes = 0;
};

/// Parses ISO 8601 / RFC 3339 "YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)". The offset is required
/// because a loyalty date without one means different days to the browser and the server.
/// Fractional seconds are accepted and truncated.
std::optional<ZonedInstant> parse_instant(std::string_view text);

/// Parses "YYYY-MM-DD" (used for birthdays and other calendar-only dates).
std::optional<CivilDate> parse_date(std::string_view text);

/// Formats as "YYYY-MM-DDThh:mm:ss±hh:mm" ("Z" for offset 0).
std::string format_instant(EpochSeconds epoch, int offset_minutes);

/// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t days_from_civil(CivilDate date);
CivilDate civil_from_days(std::int64_t days);

bool is_leap_year(std::int32_t year);
unsigned days_in_month(std::int32_t year, unsigned month);

/// The calendar date of `epoch` in a fixed UTC offset.
CivilDate local_date(EpochSeconds epoch, int offset_minutes);

/// The instant local midnight starts `date` in a fixed UTC offset.
EpochSeconds local_midnight(CivilDate date, int offset_minutes);

/// Adds months, clamping the day to the month's length (Jan 31 + 1 month = Feb 28/29).
CivilDate add_months(CivilDate date, int months);

}  // namespace loyalty
