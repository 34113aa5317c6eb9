#include "loyalty/time.hpp"

#include "loyalty/money.hpp"

#include <gtest/gtest.h>

namespace loyalty {
namespace {

EpochSeconds instant(std::string_view text) {
  const auto parsed = parse_instant(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? parsed->epoch : 0;
}

TEST(Time, ParsesUtcAndOffsets) {
  EXPECT_EQ(instant("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(instant("2026-11-23T10:00:00Z"), 1795428000);
  EXPECT_EQ(instant("2026-11-23T10:00:00-05:00"), 1795428000 + 5 * 3600);
  EXPECT_EQ(instant("2026-11-23T10:00:00+05:30"), 1795428000 - 5 * 3600 - 30 * 60);
  EXPECT_EQ(parse_instant("2026-11-23T10:00:00-05:00")->offset_minutes, -300);
  EXPECT_EQ(parse_instant("2026-11-23T10:00:00+05:45")->offset_minutes, 345);
  EXPECT_EQ(instant("2026-11-23t10:00:00z"), 1795428000);
  EXPECT_EQ(instant("2026-11-23T10:00:00-00:00"), 1795428000);
}

TEST(Time, SecondsOptionalAndFractionsTruncated) {
  EXPECT_EQ(instant("2026-11-23T10:00Z"), 1795428000);
  EXPECT_EQ(instant("2026-11-23T10:00:07.999Z"), 1795428007);
  EXPECT_EQ(instant("2026-11-23T10:00:07.123456789+00:00"), 1795428007);
  EXPECT_FALSE(parse_instant("2026-11-23T10:00:07.Z"));
  EXPECT_FALSE(parse_instant("2026-11-23T10:00.5Z"));
}

TEST(Time, LeapSecondIsClampedToTheSameDay) {
  EXPECT_EQ(instant("2016-12-31T23:59:60Z"), instant("2016-12-31T23:59:59Z"));
  EXPECT_FALSE(parse_instant("2016-12-31T23:59:61Z"));
}

TEST(Time, RejectsMalformedOrOutOfRange) {
  EXPECT_FALSE(parse_instant("2026-11-23T10:00:00"));  // offset required
  EXPECT_FALSE(parse_instant("2026-11-23 10:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-11-23"));
  EXPECT_FALSE(parse_instant("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-00-01T00:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-04-31T00:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-02-29T00:00:00Z"));  // not a leap year
  EXPECT_TRUE(parse_instant("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_instant("1900-02-29T00:00:00Z"));  // century, not leap
  EXPECT_TRUE(parse_instant("2000-02-29T00:00:00Z"));   // 400-year, leap
  EXPECT_FALSE(parse_instant("2026-01-00T00:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-01-01T24:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-01-01T23:60:00Z"));
  EXPECT_FALSE(parse_instant("2026-01-01T23:00:00+18:01"));
  EXPECT_TRUE(parse_instant("2026-01-01T23:00:00+18:00"));
  EXPECT_TRUE(parse_instant("2026-01-01T23:00:00-18:00"));
  EXPECT_FALSE(parse_instant("2026-01-01T23:00:00+05:60"));
  EXPECT_FALSE(parse_instant("2026-01-01T23:00:00+0500"));
  EXPECT_FALSE(parse_instant("2026-01-01T23:00:00Z "));
  EXPECT_FALSE(parse_instant("26-01-01T23:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-1-01T23:00:00Z"));
  EXPECT_FALSE(parse_instant(""));
  EXPECT_FALSE(parse_instant("2026-01-01T2a:00:00Z"));
}

TEST(Time, ParsesDates) {
  const auto date = parse_date("2024-02-29");
  ASSERT_TRUE(date);
  EXPECT_EQ(date->year, 2024);
  EXPECT_EQ(date->month, 2u);
  EXPECT_EQ(date->day, 29u);
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_date("2024-2-9"));
}

TEST(Time, CivilDaysRoundTrip) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({2026, 11, 23}), 20780);
  EXPECT_EQ(days_from_civil({1, 1, 1}), -719162);
  // Every day of a 400-year cycle before year 0 and of one around today round-trips and advances
  // by exactly one day (century and 400-year leap rules included).
  for (const std::int32_t first_year : {-401, 1799}) {
    std::int64_t expected = days_from_civil({first_year, 1, 1});
    for (std::int32_t year = first_year; year <= first_year + 401; ++year) {
      for (unsigned month = 1; month <= 12; ++month) {
        for (unsigned day = 1; day <= days_in_month(year, month); ++day) {
          const std::int64_t days = days_from_civil({year, month, day});
          ASSERT_EQ(days, expected) << year << "-" << month << "-" << day;
          const CivilDate back = civil_from_days(days);
          ASSERT_TRUE(back.year == year && back.month == month && back.day == day) << days;
          ++expected;
        }
      }
    }
  }
}

TEST(Time, LocalDateInFixedOffset) {
  const EpochSeconds new_year_utc = instant("2026-01-01T00:00:00Z");
  const CivilDate in_new_york = local_date(new_year_utc, -300);
  EXPECT_EQ(in_new_york.year, 2025);
  EXPECT_EQ(in_new_york.month, 12u);
  EXPECT_EQ(in_new_york.day, 31u);
  const CivilDate in_tokyo = local_date(new_year_utc - 1, 540);
  EXPECT_EQ(in_tokyo.year, 2026);
  EXPECT_EQ(in_tokyo.day, 1u);
  const CivilDate before_epoch = local_date(-1, 0);
  EXPECT_EQ(before_epoch.year, 1969);
  EXPECT_EQ(before_epoch.day, 31u);
  // The largest instant a document can hold (2^53 - 1 seconds) is about year 285 million.
  const CivilDate far = local_date(kMaxSafeInteger, 18 * 60);
  EXPECT_GT(far.year, 285400000);
  EXPECT_LT(far.year, 285500000);
  EXPECT_EQ(days_from_civil(local_date(kMaxSafeInteger, 0)), 104249991374);  // 07:36:31 UTC
  EXPECT_EQ(days_from_civil(far), 104249991375);  // +18:00 is past midnight
}

TEST(Time, LocalMidnight) {
  EXPECT_EQ(local_midnight({2026, 1, 1}, -300), instant("2026-01-01T00:00:00-05:00"));
  EXPECT_EQ(local_midnight({2026, 1, 1}, -300), instant("2026-01-01T05:00:00Z"));
  EXPECT_EQ(local_midnight({2026, 1, 1}, 60), instant("2025-12-31T23:00:00Z"));
}

TEST(Time, AddMonthsClampsTheDay) {
  auto check = [](CivilDate from, int months, CivilDate want) {
    const CivilDate got = add_months(from, months);
    EXPECT_EQ(got.year, want.year);
    EXPECT_EQ(got.month, want.month);
    EXPECT_EQ(got.day, want.day);
  };
  check({2025, 1, 31}, 1, {2025, 2, 28});
  check({2024, 1, 31}, 1, {2024, 2, 29});
  check({2024, 2, 29}, 12, {2025, 2, 28});
  check({2024, 2, 29}, 48, {2028, 2, 29});
  check({2025, 3, 31}, -1, {2025, 2, 28});
  check({2025, 1, 15}, -1, {2024, 12, 15});
  check({2025, 11, 30}, 2, {2026, 1, 30});
  check({2025, 5, 31}, 0, {2025, 5, 31});
  check({2025, 1, 1}, -25, {2022, 12, 1});
}

TEST(Time, FormatsWithOffset) {
  EXPECT_EQ(format_instant(0, 0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_instant(1795428000, -300), "2026-11-23T05:00:00-05:00");
  EXPECT_EQ(format_instant(1795428000, 345), "2026-11-23T15:45:00+05:45");
  EXPECT_EQ(format_instant(-1, 0), "1969-12-31T23:59:59Z");
  const EpochSeconds t = instant("2025-12-31T23:59:59-05:00");
  EXPECT_EQ(format_instant(t, -300), "2025-12-31T23:59:59-05:00");
  EXPECT_EQ(format_instant(t, 0), "2026-01-01T04:59:59Z");
  // Parse and format agree on a range of offsets.
  for (int offset = -18 * 60; offset <= 18 * 60; offset += 45) {
    const std::string text = format_instant(1795428000 + offset * 7, offset);
    const auto back = parse_instant(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(back->epoch, 1795428000 + offset * 7);
    EXPECT_EQ(back->offset_minutes, offset);
  }
}

}  // namespace
}  // namespace loyalty
