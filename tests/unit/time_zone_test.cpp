// Calendar math in zones with daylight saving: a northern zone (Los Angeles), a southern one
// (Sydney) and one whose midnight is skipped (Santiago). The changes are tzdata's for 2024-2026.
#include <gtest/gtest.h>

#include <string>

#include "expiry.hpp"
#include "loyalty/json_api.hpp"
#include "loyalty/time.hpp"
#include "periods.hpp"
#include "view_fixtures.hpp"

namespace loyalty {
namespace {

using namespace view_fixtures;

EpochSeconds at(std::string_view text) {
  const auto parsed = parse_instant(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? parsed->epoch : 0;
}

TimeZone los_angeles() {
  return {-480,
          {{at("2024-03-10T10:00:00Z"), -420},
           {at("2024-11-03T09:00:00Z"), -480},
           {at("2025-03-09T10:00:00Z"), -420},
           {at("2025-11-02T09:00:00Z"), -480},
           {at("2026-03-08T10:00:00Z"), -420},
           {at("2026-11-01T09:00:00Z"), -480}}};
}

TimeZone sydney() {
  return {660,
          {{at("2024-04-06T16:00:00Z"), 600},
           {at("2024-10-05T16:00:00Z"), 660},
           {at("2025-04-05T16:00:00Z"), 600},
           {at("2025-10-04T16:00:00Z"), 660},
           {at("2026-04-04T16:00:00Z"), 600},
           {at("2026-10-03T16:00:00Z"), 660}}};
}

// Chile springs forward at midnight: 2025-09-07 has no 00:00 to 00:59.
TimeZone santiago() {
  return {-180, {{at("2025-04-06T03:00:00Z"), -240}, {at("2025-09-07T04:00:00Z"), -180}}};
}

TEST(TimeZone, OffsetAtEachSideOfAChange) {
  const TimeZone zone = los_angeles();
  EXPECT_EQ(offset_at(zone, at("2024-01-01T00:00:00Z")), -480);
  EXPECT_EQ(offset_at(zone, at("2025-03-09T09:59:59Z")), -480);
  EXPECT_EQ(offset_at(zone, at("2025-03-09T10:00:00Z")), -420);
  EXPECT_EQ(offset_at(zone, at("2025-11-02T08:59:59Z")), -420);
  EXPECT_EQ(offset_at(zone, at("2025-11-02T09:00:00Z")), -480);
  EXPECT_EQ(offset_at(zone, at("2030-07-01T00:00:00Z")), -480);  // past the last change
  EXPECT_EQ(offset_at(TimeZone{330, {}}, at("2025-07-01T00:00:00Z")), 330);
}

TEST(TimeZone, LocalDatesFollowTheOffsetOfTheInstant) {
  const TimeZone zone = los_angeles();
  // 00:30 on Nov 2 is still daylight time (UTC-7); with a fixed UTC-8 it would be Nov 1.
  EXPECT_EQ(local_date(at("2025-11-02T07:30:00Z"), zone).day, 2u);
  EXPECT_EQ(local_date(at("2025-11-02T07:30:00Z"), -480).day, 1u);
  // Southern summer: 23:30 on Dec 31 in UTC is already Jan 1 in Sydney (UTC+11).
  EXPECT_EQ(local_date(at("2025-12-31T13:30:00Z"), sydney()).year, 2026);
  EXPECT_EQ(local_date(at("2025-06-30T13:30:00Z"), sydney()).month, 6u);  // UTC+10 in winter
}

TEST(TimeZone, DaysAroundTheChangesAre23And25HoursLong) {
  const TimeZone zone = los_angeles();
  EXPECT_EQ(local_midnight({2025, 3, 9}, zone), at("2025-03-09T00:00:00-08:00"));
  EXPECT_EQ(local_midnight({2025, 3, 10}, zone), at("2025-03-10T00:00:00-07:00"));
  EXPECT_EQ(local_midnight({2025, 3, 10}, zone) - local_midnight({2025, 3, 9}, zone), 23 * 3600);
  EXPECT_EQ(local_midnight({2025, 11, 3}, zone) - local_midnight({2025, 11, 2}, zone), 25 * 3600);
  // Sydney falls back in April and springs forward in October.
  const TimeZone south = sydney();
  EXPECT_EQ(local_midnight({2025, 4, 6}, south), at("2025-04-06T00:00:00+11:00"));
  EXPECT_EQ(local_midnight({2025, 4, 7}, south) - local_midnight({2025, 4, 6}, south), 25 * 3600);
  EXPECT_EQ(local_midnight({2025, 10, 6}, south) - local_midnight({2025, 10, 5}, south), 23 * 3600);
}

TEST(TimeZone, SkippedTimesHappenWhenTheSkipEndsAndRepeatedOnesTheFirstTime) {
  const TimeZone zone = los_angeles();
  // 02:30 on Mar 9 never shows on a Los Angeles clock: it is 03:00 daylight time then.
  EXPECT_EQ(local_time({2025, 3, 9}, 2 * 3600 + 1800, zone), at("2025-03-09T03:00:00-07:00"));
  EXPECT_EQ(local_time({2025, 3, 9}, 3 * 3600, zone), at("2025-03-09T03:00:00-07:00"));
  EXPECT_EQ(local_time({2025, 3, 9}, 1 * 3600 + 1800, zone), at("2025-03-09T01:30:00-08:00"));
  // 01:30 on Nov 2 shows twice: the first, in daylight time, counts.
  EXPECT_EQ(local_time({2025, 11, 2}, 1 * 3600 + 1800, zone), at("2025-11-02T01:30:00-07:00"));
  EXPECT_EQ(local_time({2025, 11, 2}, 2 * 3600, zone), at("2025-11-02T02:00:00-08:00"));
  // Santiago's Sep 7 starts at 01:00, the change itself.
  EXPECT_EQ(local_midnight({2025, 9, 7}, santiago()), at("2025-09-07T04:00:00Z"));
  EXPECT_EQ(local_date(at("2025-09-07T04:00:00Z"), santiago()).day, 7u);
  // Its Apr 5 has 23:00 twice; Apr 6 starts after the second.
  EXPECT_EQ(local_midnight({2025, 4, 6}, santiago()), at("2025-04-06T00:00:00-04:00"));
  EXPECT_EQ(local_midnight({2025, 4, 6}, santiago()) - local_midnight({2025, 4, 5}, santiago()),
            25 * 3600);
  EXPECT_EQ(local_seconds_of_day(at("2025-04-06T02:30:00Z"), santiago()), 23 * 3600 + 1800);
}

TEST(TimeZone, ClaimPeriodsSpanWholeLocalDaysWeeksAndYears) {
  const TimeZone zone = los_angeles();
  const EpochSeconds noon = at("2025-03-09T12:00:00-07:00");  // a Sunday, 23 hours long
  const Period day = calendar_period(ClaimLimit::per_day, noon, zone);
  EXPECT_EQ(day.start, at("2025-03-09T00:00:00-08:00"));
  EXPECT_EQ(day.end, at("2025-03-10T00:00:00-07:00"));
  const Period week = calendar_period(ClaimLimit::per_week, noon, zone);
  EXPECT_EQ(week.start, at("2025-03-03T00:00:00-08:00"));
  EXPECT_EQ(week.end, at("2025-03-10T00:00:00-07:00"));
  const Period month =
      calendar_period(ClaimLimit::per_month, at("2025-11-15T12:00:00-08:00"), zone);
  EXPECT_EQ(month.start, at("2025-11-01T00:00:00-07:00"));
  EXPECT_EQ(month.end, at("2025-12-01T00:00:00-08:00"));
  // Sydney's calendar year starts and ends in summer time.
  const Period year = calendar_year(at("2025-06-01T12:00:00+10:00"), sydney());
  EXPECT_EQ(year.start, at("2025-01-01T00:00:00+11:00"));
  EXPECT_EQ(year.end, at("2026-01-01T00:00:00+11:00"));
}

TEST(TimeZone, LotsExpireAtLocalMidnightInTheOffsetOfThatDay) {
  ExpiryPolicy policy;
  policy.mode = ExpiryMode::lots;
  policy.lot_months = 0;
  const TimeZone zone = los_angeles();
  EXPECT_EQ(lot_expiry(policy, zone, at("2025-05-15T12:00:00-07:00")),
            at("2025-06-01T00:00:00-07:00"));
  EXPECT_EQ(lot_expiry(policy, zone, at("2025-10-15T12:00:00-07:00")),
            at("2025-11-01T00:00:00-07:00"));
  policy.lot_months = 1;
  EXPECT_EQ(lot_expiry(policy, zone, at("2025-10-15T12:00:00-07:00")),
            at("2025-12-01T00:00:00-08:00"));
  // Southern quarters: a point earned in May expires when October starts, still in winter time.
  policy.lot_period = ExpiryPeriod::quarter;
  policy.lot_periods = 1;
  EXPECT_EQ(lot_expiry(policy, sydney(), at("2025-05-15T12:00:00+10:00")),
            at("2025-10-01T00:00:00+10:00"));
  policy.lot_period = ExpiryPeriod::year;
  policy.lot_periods = 0;
  EXPECT_EQ(lot_expiry(policy, sydney(), at("2025-05-15T12:00:00+10:00")),
            at("2026-01-01T00:00:00+11:00"));
}

TEST(TimeZone, InactivityInMonthsKeepsTheLocalTimeOfDay) {
  ExpiryPolicy policy;
  policy.mode = ExpiryMode::inactivity;
  policy.inactivity_months = 6;
  const TimeZone zone = los_angeles();
  EXPECT_EQ(inactivity_deadline(policy, zone, at("2025-01-15T12:00:00-08:00")),
            at("2025-07-15T12:00:00-07:00"));
  policy.inactivity_months = 1;
  // A month after 02:30 on Feb 9 is a time the clock skips: it comes at 03:00.
  EXPECT_EQ(inactivity_deadline(policy, zone, at("2025-02-09T02:30:00-08:00")),
            at("2025-03-09T03:00:00-07:00"));
}

// ---- documents ----

json zoned_program() {
  json program = sample_program();
  program["utcOffset"] = "-08:00";
  program["timeZone"] = "America/Los_Angeles";
  return program;
}

json zoned_context(const std::string& now) {
  json context = sample_context();
  context["now"] = now;
  context["timeZone"] = json::parse(time_zone_json({"America/Los_Angeles", los_angeles()}));
  return context;
}

json diagnostic(const json& envelope, const char* list, const std::string& source,
                const std::string& path) {
  if (envelope.contains(list))
    for (const auto& item : envelope[list])
      if (item["source"] == source && item["path"] == path) return item;
  return nullptr;
}

TEST(TimeZone, ZoneDocumentRoundTripsThroughTheContext) {
  const json written = json::parse(time_zone_json({"America/Los_Angeles", los_angeles()}));
  EXPECT_EQ(written["name"], "America/Los_Angeles");
  EXPECT_EQ(written["offset"], "-08:00");
  ASSERT_EQ(written["changes"].size(), 6u);
  EXPECT_EQ(written["changes"][0],
            json::parse(R"({"at": "2024-03-10T10:00:00Z", "offset": "-07:00"})"));
  const Context context = context_of(zoned_context("2025-11-02T12:00:00Z"));
  ASSERT_TRUE(context.time_zone.has_value());
  EXPECT_EQ(context.time_zone->name, "America/Los_Angeles");
  EXPECT_EQ(context.time_zone->zone.offset_minutes, -480);
  ASSERT_EQ(context.time_zone->zone.changes.size(), 6u);
  EXPECT_EQ(context.time_zone->zone.changes[3].at, at("2025-11-02T09:00:00Z"));
  EXPECT_EQ(context.time_zone->zone.changes[3].offset_minutes, -480);
}

TEST(TimeZone, ADailyRuleCountsTheLongLocalDayOnce) {
  json program = zoned_program();
  program["earning"].push_back(json::parse(
      R"({"id": "daily", "type": "custom", "name": "Daily visit", "points": 5, "limit": "per_day"})"));
  json customer = sample_customer();
  // 00:30 daylight time on Nov 2, Los Angeles.
  customer["ledger"].push_back(earn_entry("d1", "2025-11-02T07:30:00Z", "daily", 5));
  const std::string event = R"({"type": "rule", "ruleId": "daily"})";
  // 23:30 standard time, still Nov 2 (a 25-hour day): the day's claim is used.
  json zoned = json::parse(earn_json(program.dump(), customer.dump(),
                                     zoned_context("2025-11-03T07:30:00Z").dump(), event));
  ASSERT_EQ(zoned["ok"], true) << zoned.dump();
  EXPECT_EQ(zoned["earn"]["refusal"], "rule.limitReached");
  EXPECT_EQ(zoned["earn"]["total"], 0);
  EXPECT_EQ(zoned["earn"]["nextEligibleAt"], "2025-11-03T08:00:00Z");
  // The fixed UTC-8 alone puts the first claim on Nov 1, so it would pay again.
  json context = sample_context();
  context["now"] = "2025-11-03T07:30:00Z";
  json fixed = json::parse(earn_json(program.dump(), customer.dump(), context.dump(), event));
  ASSERT_EQ(fixed["ok"], true) << fixed.dump();
  EXPECT_EQ(fixed["earn"]["total"], 5);
  EXPECT_FALSE(diagnostic(fixed, "warnings", "program", "/timeZone").is_null()) << fixed.dump();
}

TEST(TimeZone, BadZoneDocumentsNameThePathAndTheProblem) {
  json program = zoned_program();
  json context = zoned_context("2025-11-03T07:30:00Z");
  context["timeZone"]["changes"][2]["at"] = "2024-01-01T00:00:00Z";
  context["timeZone"]["changes"][4]["offset"] = "+25:00";
  json envelope = json::parse(view_json(program.dump(), sample_customer().dump(), context.dump()));
  EXPECT_EQ(envelope["ok"], false);
  EXPECT_FALSE(diagnostic(envelope, "errors", "context", "/timeZone/changes/2/at").is_null());
  EXPECT_FALSE(diagnostic(envelope, "errors", "context", "/timeZone/changes/4/offset").is_null());

  context = zoned_context("2025-11-03T07:30:00Z");
  context["timeZone"]["name"] = "Europe/Riga";
  envelope = json::parse(view_json(program.dump(), sample_customer().dump(), context.dump()));
  EXPECT_EQ(envelope["ok"], false);
  const json mismatch = diagnostic(envelope, "errors", "context", "/timeZone/name");
  ASSERT_FALSE(mismatch.is_null()) << envelope.dump();
  EXPECT_NE(mismatch["message"].get<std::string>().find("America/Los_Angeles"), std::string::npos);

  context["timeZone"]["name"] = "../../etc/passwd";
  envelope = json::parse(view_json(program.dump(), sample_customer().dump(), context.dump()));
  EXPECT_FALSE(diagnostic(envelope, "errors", "context", "/timeZone/name").is_null());

  program["timeZone"] = "Los Angeles";
  envelope = json::parse(validate_program_json(program.dump()));
  EXPECT_FALSE(diagnostic(envelope, "errors", "program", "/timeZone").is_null());
}

TEST(TimeZone, OffsetsForAProgramWithoutAZoneAreIgnoredWithAWarning) {
  json program = sample_program();
  json envelope = json::parse(view_json(program.dump(), sample_customer().dump(),
                                        zoned_context("2025-11-03T07:30:00Z").dump()));
  EXPECT_EQ(envelope["ok"], true);
  EXPECT_FALSE(diagnostic(envelope, "warnings", "context", "/timeZone").is_null());
}

}  // namespace
}  // namespace loyalty
