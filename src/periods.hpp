// Calendar periods in the shop's zone: claim limits, tier years, expiry months.
#pragma once

#include "loyalty/program.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

/// [start, end): local midnights in the shop's offset.
struct Period {
  EpochSeconds start = 0;
  EpochSeconds end = 0;
};

/// The calendar day, week (Monday first), month or year holding `at`. Only meaningful for the
/// per_* limits; other limits return the day.
Period calendar_period(ClaimLimit limit, EpochSeconds at, const TimeZone& zone);

/// The local calendar year holding `at`.
Period calendar_year(EpochSeconds at, const TimeZone& zone);

}  // namespace loyalty
