// The system's time-zone data read into the core's zone input: Debian's tzdata must give the
// changes the time-zone tests write out by hand.
#include "loyalty/zoneinfo.hpp"

#include <gtest/gtest.h>

#include <string>

namespace loyalty {
namespace {

EpochSeconds at(std::string_view text) { return parse_instant(text)->epoch; }

// The changes of `zone` within [from, to).
std::vector<OffsetChange> changes_between(const TimeZone& zone, EpochSeconds from,
                                          EpochSeconds to) {
  std::vector<OffsetChange> out;
  for (const auto& change : zone.changes)
    if (change.at >= from && change.at < to) out.push_back(change);
  return out;
}

void expect_changes(const std::vector<OffsetChange>& actual,
                    const std::vector<std::pair<std::string, int>>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i].at, at(expected[i].first)) << expected[i].first;
    EXPECT_EQ(actual[i].offset_minutes, expected[i].second) << expected[i].first;
  }
}

TEST(Zoneinfo, LosAngelesFromTheSystemData) {
  const auto zone = load_system_time_zone("America/Los_Angeles");
  ASSERT_TRUE(zone.ok()) << zone.diagnostics[0].message;
  EXPECT_EQ(zone.value->name, "America/Los_Angeles");
  expect_changes(
      changes_between(zone.value->zone, at("2025-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")),
      {{"2025-03-09T10:00:00Z", -420},
       {"2025-11-02T09:00:00Z", -480},
       {"2026-03-08T10:00:00Z", -420},
       {"2026-11-01T09:00:00Z", -480}});
  // Nothing from before 1900 (local mean time was -7:52:58).
  ASSERT_FALSE(zone.value->zone.changes.empty());
  EXPECT_GT(zone.value->zone.changes.front().at, kZoneinfoFrom);
  EXPECT_EQ(zone.value->zone.offset_minutes, -480);
}

TEST(Zoneinfo, SydneyFromTheSystemData) {
  const auto zone = load_system_time_zone("Australia/Sydney");
  ASSERT_TRUE(zone.ok());
  expect_changes(
      changes_between(zone.value->zone, at("2025-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")),
      {{"2025-04-05T16:00:00Z", 600},
       {"2025-10-04T16:00:00Z", 660},
       {"2026-04-04T16:00:00Z", 600},
       {"2026-10-03T16:00:00Z", 660}});
}

TEST(Zoneinfo, ZonesWithoutDaylightSavingHaveNoRecentChanges) {
  const auto tokyo = load_system_time_zone("Asia/Tokyo");
  ASSERT_TRUE(tokyo.ok());
  EXPECT_EQ(offset_at(tokyo.value->zone, at("2025-07-01T00:00:00Z")), 540);
  EXPECT_TRUE(
      changes_between(tokyo.value->zone, at("1990-01-01T00:00:00Z"), at("2100-01-01T00:00:00Z"))
          .empty());
  const auto kolkata = load_system_time_zone("Asia/Kolkata");
  ASSERT_TRUE(kolkata.ok());
  EXPECT_EQ(offset_at(kolkata.value->zone, at("2025-07-01T00:00:00Z")), 330);
}

TEST(Zoneinfo, NamesOutsideTheDataAreRefused) {
  for (const char* name : {"../../etc/passwd", "/etc/passwd", "America/../../etc/passwd", "",
                           "America/Nowhere", "America"}) {
    const auto zone = load_system_time_zone(name);
    EXPECT_FALSE(zone.ok()) << name;
    ASSERT_FALSE(zone.diagnostics.empty()) << name;
  }
}

TEST(Zoneinfo, DamagedFilesAreErrorsNotCrashes) {
  EXPECT_FALSE(parse_tzif("X", "").ok());
  EXPECT_FALSE(parse_tzif("X", "TZif2").ok());
  std::string header = "TZif" + std::string(16, '\0');  // version 1
  // timecnt = 1000 but no data follows.
  header += std::string("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x03\xe8\0\0\0\x01\0\0\0\x04", 24);
  const auto truncated = parse_tzif("X", header);
  EXPECT_FALSE(truncated.ok());
  EXPECT_NE(truncated.diagnostics[0].message.find("truncated"), std::string::npos);
}

}  // namespace
}  // namespace loyalty
