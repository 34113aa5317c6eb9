#include "loyalty/time.hpp"

#include <algorithm>

namespace loyalty {

namespace {

// Division that rounds toward negative infinity, so dates before 1970 land on the right day.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

constexpr std::int64_t kDaysPer400Years = 146097;
constexpr std::int64_t kDaysPer100Years = 36524;
constexpr std::int64_t kDaysPer4Years = 1461;
// Days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar.
constexpr std::int64_t kDaysFromYear1To1970 = 719162;

// Days in all years before `year` counted from 0001-01-01 (negative for year < 1).
std::int64_t days_before_year(std::int64_t year) {
  const std::int64_t y = year - 1;
  return y * 365 + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400);
}

std::int64_t days_before_month(std::int32_t year, unsigned month) {
  static constexpr unsigned kCumulative[12] = {0,   31,  59,  90,  120, 151,
                                               181, 212, 243, 273, 304, 334};
  std::int64_t days = kCumulative[month - 1];
  if (month > 2 && is_leap_year(year)) ++days;
  return days;
}

// A small cursor over the text being parsed: every read checks bounds.
struct Cursor {
  std::string_view text;
  std::size_t pos = 0;

  bool at_end() const { return pos >= text.size(); }
  char peek() const { return at_end() ? '\0' : text[pos]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  // Exactly `count` ASCII digits.
  std::optional<int> digits(int count) {
    if (pos + static_cast<std::size_t>(count) > text.size()) return std::nullopt;
    int value = 0;
    for (int i = 0; i < count; ++i) {
      const char c = text[pos + static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(count);
    return value;
  }
};

std::optional<CivilDate> parse_date_part(Cursor& in) {
  const auto year = in.digits(4);
  if (!year || !in.take('-')) return std::nullopt;
  const auto month = in.digits(2);
  if (!month || !in.take('-')) return std::nullopt;
  const auto day = in.digits(2);
  if (!day) return std::nullopt;
  if (*month < 1 || *month > 12) return std::nullopt;
  CivilDate date{*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
  if (*day < 1 || date.day > days_in_month(date.year, date.month)) return std::nullopt;
  return date;
}

}  // namespace

bool is_leap_year(std::int32_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(std::int32_t year, unsigned month) {
  static constexpr unsigned kLengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap_year(year)) return 29;
  return kLengths[month - 1];
}

std::int64_t days_from_civil(CivilDate date) {
  return days_before_year(date.year) - kDaysFromYear1To1970 +
         days_before_month(date.year, date.month) + (static_cast<std::int64_t>(date.day) - 1);
}

CivilDate civil_from_days(std::int64_t days) {
  // Count from 0001-01-01 and peel off 400-, 100-, 4- and 1-year blocks. The last block of each
  // kind is one day longer (leap day at its end), hence the clamps to 3.
  std::int64_t n = days + kDaysFromYear1To1970;
  const std::int64_t cycles400 = floor_div(n, kDaysPer400Years);
  n -= cycles400 * kDaysPer400Years;
  std::int64_t centuries = n / kDaysPer100Years;
  if (centuries == 4) centuries = 3;
  n -= centuries * kDaysPer100Years;
  const std::int64_t quads = n / kDaysPer4Years;
  n -= quads * kDaysPer4Years;
  std::int64_t years = n / 365;
  if (years == 4) years = 3;
  n -= years * 365;

  CivilDate date;
  date.year = static_cast<std::int32_t>(cycles400 * 400 + centuries * 100 + quads * 4 + years + 1);
  unsigned month = 1;
  while (month < 12 && n >= days_in_month(date.year, month)) {
    n -= days_in_month(date.year, month);
    ++month;
  }
  date.month = month;
  date.day = static_cast<unsigned>(n + 1);
  return date;
}

CivilDate local_date(EpochSeconds epoch, int offset_minutes) {
  // Split before adding the offset so that no input overflows.
  std::int64_t days = floor_div(epoch, kSecondsPerDay);
  const std::int64_t seconds =
      floor_mod(epoch, kSecondsPerDay) + static_cast<std::int64_t>(offset_minutes) * 60;
  days += floor_div(seconds, kSecondsPerDay);
  return civil_from_days(days);
}

EpochSeconds local_midnight(CivilDate date, int offset_minutes) {
  return days_from_civil(date) * kSecondsPerDay - static_cast<std::int64_t>(offset_minutes) * 60;
}

int offset_at(const TimeZone& zone, EpochSeconds epoch) {
  const auto after =
      std::upper_bound(zone.changes.begin(), zone.changes.end(), epoch,
                       [](EpochSeconds at, const OffsetChange& change) { return at < change.at; });
  return after == zone.changes.begin() ? zone.offset_minutes : std::prev(after)->offset_minutes;
}

CivilDate local_date(EpochSeconds epoch, const TimeZone& zone) {
  return local_date(epoch, offset_at(zone, epoch));
}

std::int64_t local_seconds_of_day(EpochSeconds epoch, const TimeZone& zone) {
  const std::int64_t offset = static_cast<std::int64_t>(offset_at(zone, epoch)) * 60;
  return floor_mod(floor_mod(epoch, kSecondsPerDay) + offset, kSecondsPerDay);
}

EpochSeconds local_time(CivilDate date, std::int64_t seconds_of_day, const TimeZone& zone) {
  const EpochSeconds wall = days_from_civil(date) * kSecondsPerDay + seconds_of_day;
  if (zone.changes.empty()) return wall - static_cast<std::int64_t>(zone.offset_minutes) * 60;
  // Offsets stay within 18 hours, so only the stretches of the zone that overlap the 36 hours
  // around the wall time can show it: the first that does gives the earliest instant.
  constexpr EpochSeconds kReach = 18 * 3600;
  const auto& changes = zone.changes;
  auto next =
      std::upper_bound(changes.begin(), changes.end(), wall - kReach,
                       [](EpochSeconds at, const OffsetChange& change) { return at < change.at; });
  for (;; ++next) {
    const bool first = next == changes.begin();
    const std::int64_t offset =
        static_cast<std::int64_t>(first ? zone.offset_minutes : std::prev(next)->offset_minutes) *
        60;
    const EpochSeconds candidate = wall - offset;
    const bool after_start = first || candidate >= std::prev(next)->at;
    const bool before_end = next == changes.end() || candidate < next->at;
    if (after_start && before_end) return candidate;
    if (next == changes.end()) break;
    // The clock jumps past the wall time at this change: the time is skipped, and happens then.
    if (candidate >= next->at && next->at + next->offset_minutes * std::int64_t{60} > wall)
      return next->at;
    if (next->at > wall + kReach) break;
  }
  return wall - static_cast<std::int64_t>(offset_at(zone, wall)) * 60;
}

bool is_time_zone_name(std::string_view name) {
  // IANA names: "UTC", "America/Los_Angeles", "America/Argentina/Buenos_Aires", "Etc/GMT+5".
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  char previous = '/';
  for (char c : name) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !digit && c != '/' && c != '_' && c != '-' && c != '+') return false;
    if (c == '/' && previous == '/') return false;
    if (previous == '/' && !letter) return false;  // no "." or ".." parts, no empty ones
    previous = c;
  }
  return true;
}

EpochSeconds local_midnight(CivilDate date, const TimeZone& zone) {
  return local_time(date, 0, zone);
}

CivilDate add_months(CivilDate date, int months) {
  const std::int64_t index = static_cast<std::int64_t>(date.year) * 12 + (date.month - 1) + months;
  CivilDate out;
  out.year = static_cast<std::int32_t>(floor_div(index, 12));
  out.month = static_cast<unsigned>(floor_mod(index, 12) + 1);
  const unsigned length = days_in_month(out.year, out.month);
  out.day = date.day > length ? length : date.day;
  return out;
}

std::optional<CivilDate> parse_date(std::string_view text) {
  Cursor in{text};
  const auto date = parse_date_part(in);
  if (!date || !in.at_end()) return std::nullopt;
  return date;
}

std::optional<ZonedInstant> parse_instant(std::string_view text) {
  Cursor in{text};
  const auto date = parse_date_part(in);
  if (!date) return std::nullopt;
  // RFC 3339 allows a lower-case "t" and "z".
  if (!in.take('T') && !in.take('t')) return std::nullopt;
  const auto hour = in.digits(2);
  if (!hour || !in.take(':')) return std::nullopt;
  const auto minute = in.digits(2);
  if (!minute) return std::nullopt;
  int second = 0;
  if (in.take(':')) {
    const auto s = in.digits(2);
    if (!s) return std::nullopt;
    second = *s;
    if (in.take('.')) {
      // Fractional seconds: at least one digit, truncated (points never depend on sub-seconds).
      if (!in.digits(1)) return std::nullopt;
      while (in.peek() >= '0' && in.peek() <= '9') ++in.pos;
    }
  }
  if (*hour > 23 || *minute > 59 || second > 60) return std::nullopt;
  // A leap second (23:59:60) is clamped to :59 so it stays on the day it was written for.
  if (second == 60) second = 59;

  int offset_minutes = 0;
  if (in.take('Z') || in.take('z')) {
    offset_minutes = 0;
  } else {
    int sign = 0;
    if (in.take('+'))
      sign = 1;
    else if (in.take('-'))
      sign = -1;
    else
      return std::nullopt;  // the offset is required
    const auto oh = in.digits(2);
    if (!oh || !in.take(':')) return std::nullopt;
    const auto om = in.digits(2);
    if (!om || *om > 59) return std::nullopt;
    offset_minutes = *oh * 60 + *om;
    if (offset_minutes > 18 * 60) return std::nullopt;
    offset_minutes *= sign;
  }
  if (!in.at_end()) return std::nullopt;

  ZonedInstant out;
  out.offset_minutes = offset_minutes;
  out.epoch = local_midnight(*date, offset_minutes) + *hour * 3600 + *minute * 60 + second;
  return out;
}

std::string format_instant(EpochSeconds epoch, int offset_minutes) {
  const CivilDate date = local_date(epoch, offset_minutes);
  const std::int64_t local_seconds =
      floor_mod(floor_mod(epoch, kSecondsPerDay) + static_cast<std::int64_t>(offset_minutes) * 60,
                kSecondsPerDay);
  const int hour = static_cast<int>(local_seconds / 3600);
  const int minute = static_cast<int>(local_seconds / 60 % 60);
  const int second = static_cast<int>(local_seconds % 60);

  // Written by hand: snprintf dominated the view's time (two calls per instant shown).
  auto two_digits = [](std::string& out, unsigned value) {
    out += static_cast<char>('0' + value / 10 % 10);
    out += static_cast<char>('0' + value % 10);
  };
  std::string out;
  out.reserve(25);
  if (date.year >= 0 && date.year <= 9999) {
    two_digits(out, static_cast<unsigned>(date.year) / 100);
    two_digits(out, static_cast<unsigned>(date.year) % 100);
  } else {
    out += std::to_string(date.year);  // outside RFC 3339, but never silently wrong
  }
  out += '-';
  two_digits(out, date.month);
  out += '-';
  two_digits(out, date.day);
  out += 'T';
  two_digits(out, static_cast<unsigned>(hour));
  out += ':';
  two_digits(out, static_cast<unsigned>(minute));
  out += ':';
  two_digits(out, static_cast<unsigned>(second));
  if (offset_minutes == 0) {
    out += 'Z';
  } else {
    const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    out += offset_minutes < 0 ? '-' : '+';
    two_digits(out, static_cast<unsigned>(magnitude / 60));
    out += ':';
    two_digits(out, static_cast<unsigned>(magnitude % 60));
  }
  return out;
}

}  // namespace loyalty
