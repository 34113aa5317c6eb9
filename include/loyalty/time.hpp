// Instants and calendar math. The core has no clock: `now` is always an input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// A UTC offset that takes effect at an instant (a daylight-saving change, or a zone's new
/// standard time).
struct OffsetChange {
  EpochSeconds at = 0;
  int offset_minutes = 0;
};

/// The shop's zone as the offsets it takes: `offset_minutes` until the first change, then each
/// change's offset from its instant on. A fixed offset has no changes. The core holds no
/// time-zone database: the changes come in as input (CONTRACT.md, "Time zones").
struct TimeZone {
  int offset_minutes = 0;
  std::vector<OffsetChange> changes;  // strictly ascending `at`
};

/// A zone by its IANA name ("America/Los_Angeles") with the offsets it takes.
struct NamedTimeZone {
  std::string name;
  TimeZone zone;
};

/// The most offset changes one zone document may list: Los Angeles has 186 from 1883 to 2037.
constexpr std::size_t kMaxOffsetChanges = 4000;

/// An IANA zone name ("UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5"): '/'-separated
/// parts of letters, digits, '_', '-' and '+', each starting with a letter; at most 64 bytes.
bool is_time_zone_name(std::string_view name);

/// The offset in effect at `epoch`.
int offset_at(const TimeZone& zone, EpochSeconds epoch);

/// The calendar date of `epoch` in `zone`.
CivilDate local_date(EpochSeconds epoch, const TimeZone& zone);

/// The instant a local wall time happens in `zone`: `seconds_of_day` after the start of `date`
/// on the clock. A time the clock skips (spring forward) happens when the skip ends, so a day
/// whose midnight is skipped starts at the change; a time the clock shows twice (fall back)
/// takes its first occurrence.
EpochSeconds local_time(CivilDate date, std::int64_t seconds_of_day, const TimeZone& zone);

/// The first instant of `date` in `zone`.
EpochSeconds local_midnight(CivilDate date, const TimeZone& zone);

/// Seconds on the clock since the start of the local day holding `epoch`.
std::int64_t local_seconds_of_day(EpochSeconds epoch, const TimeZone& zone);

/// Adds months, clamping the day to the month's length (Jan 31 + 1 month = Feb 28/29).
CivilDate add_months(CivilDate date, int months);

}  // namespace loyalty
