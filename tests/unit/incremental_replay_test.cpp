// IncrementalReplay must give exactly what replay() of the longer ledger gives, for every entry
// type, across expiry and tier windows, and refuse what it can't apply incrementally.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.hpp"
#include "loyalty/account.hpp"

namespace loyalty {
namespace {

using namespace fixtures;

void expect_same_lots(const std::vector<Lot>& a, const std::vector<Lot>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].earned_at, b[i].earned_at) << "lot " << i;
    EXPECT_EQ(a[i].expires_at, b[i].expires_at) << "lot " << i;
    EXPECT_EQ(a[i].remaining, b[i].remaining) << "lot " << i;
  }
}

void expect_same_activity(const std::vector<Activity>& a, const std::vector<Activity>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].entry_id, b[i].entry_id) << "activity " << i;
    EXPECT_EQ(a[i].type, b[i].type) << "activity " << i;
    EXPECT_EQ(a[i].at, b[i].at) << "activity " << i;
    EXPECT_EQ(a[i].points, b[i].points) << "activity " << i;
    EXPECT_EQ(a[i].rule_id, b[i].rule_id) << "activity " << i;
    EXPECT_EQ(a[i].reward_id, b[i].reward_id) << "activity " << i;
    EXPECT_EQ(a[i].tier_id, b[i].tier_id) << "activity " << i;
    EXPECT_EQ(a[i].order_id, b[i].order_id) << "activity " << i;
  }
}

/// Every field of the two accounts is equal.
void expect_same(const Account& incremental, const Account& full) {
  EXPECT_EQ(incremental.balance, full.balance);
  EXPECT_EQ(incremental.owed, full.owed);
  EXPECT_EQ(incremental.lifetime_earned, full.lifetime_earned);
  EXPECT_EQ(incremental.spent, full.spent);
  EXPECT_EQ(incremental.expired, full.expired);
  EXPECT_EQ(incremental.amount_spent, full.amount_spent);
  EXPECT_EQ(incremental.orders, full.orders);
  expect_same_lots(incremental.lots, full.lots);
  EXPECT_EQ(incremental.last_activity, full.last_activity);
  ASSERT_EQ(incremental.next_expiry.has_value(), full.next_expiry.has_value());
  if (full.next_expiry) {
    EXPECT_EQ(incremental.next_expiry->points, full.next_expiry->points);
    EXPECT_EQ(incremental.next_expiry->at, full.next_expiry->at);
  }
  EXPECT_EQ(incremental.tier.index, full.tier.index);
  EXPECT_EQ(incremental.tier.progress, full.tier.progress);
  EXPECT_EQ(incremental.tier.window_start, full.tier.window_start);
  EXPECT_EQ(incremental.tier.window_end, full.tier.window_end);
  EXPECT_EQ(incremental.tier.retained_until, full.tier.retained_until);
  EXPECT_EQ(incremental.claims, full.claims);
  expect_same_activity(incremental.activity, full.activity);
  ASSERT_EQ(incremental.diagnostics.size(), full.diagnostics.size());
  for (std::size_t i = 0; i < full.diagnostics.size(); ++i) {
    EXPECT_EQ(incremental.diagnostics[i].path, full.diagnostics[i].path);
    EXPECT_EQ(incremental.diagnostics[i].message, full.diagnostics[i].message);
  }
}

/// Calendar-year tiers (Gold pays 100 entry points) and lots expiring 12 months after the month.
Program lots_program() {
  Program program = maple();
  program.tiers = maple_tiers();
  program.expiry.mode = ExpiryMode::lots;
  program.expiry.lot_months = 12;
  return program;
}

/// Rolling 90-day tiers with retention, and the whole balance expiring after 60 idle days.
Program inactivity_program() {
  Program program = maple();
  program.tiers =
      maple_tiers(TierMetric::points_earned, TierWindow::rolling, TierRetention::next_period);
  program.tiers.rolling_days = 90;
  program.expiry.mode = ExpiryMode::inactivity;
  program.expiry.inactivity_days = 60;
  return program;
}

std::vector<LedgerEntry> history() {
  return {
      earned("e1", "2024-01-02T09:00:00Z", "signup", 100),
      placed("e2", "2024-02-10T12:00:00Z", "1001", 40000),  // 800 points
      placed("e3", "2024-03-10T12:00:00Z", "1002", 10000),  // 200 points: Gold
      redeemed("e4", "2024-03-11T12:00:00Z", "r5", 500),
      refunded("e5", "2024-03-12T12:00:00Z", "1002", 5000),
      adjusted("e6", "2024-03-13T12:00:00Z", -20),
      referred("e7", "2024-03-14T12:00:00Z", 250),
  };
}

/// One entry of every type, each appended to history() on its own.
std::vector<LedgerEntry> one_of_each(std::string_view when) {
  return {placed("n1", when, "2001", 12500),
          refunded("n2", when, "1001", 10000),
          cancelled("n3", when, "1001"),
          earned("n4", when, "review", std::nullopt),
          redeemed("n5", when, "r5", 500),
          swept("n6", when, 300),
          adjusted("n7", when, -5000),
          adjusted("n8", when, 75),
          referred("n9", when, std::nullopt),
          assigned("n10", when, "platinum", at("2024-12-31T00:00:00Z")),
          earned("e1", when, "signup", 100)};  // a repeated id: ignored by both
}

void check_each_type(const Program& program, std::string_view built_at, std::string_view when,
                     std::string_view judged_at) {
  for (const LedgerEntry& next : one_of_each(when)) {
    SCOPED_TRACE(std::string(to_string(next.type)) + " " + next.id);
    IncrementalReplay incremental(program, customer(history()), at(built_at));
    ASSERT_TRUE(incremental.append(next, at(judged_at)));
    Customer longer = customer(history());
    longer.ledger.push_back(next);
    expect_same(incremental.account(), replay(program, longer, at(judged_at)));
    EXPECT_EQ(incremental.entry_count(), longer.ledger.size());
  }
}

TEST(IncrementalReplay, BuiltAloneEqualsReplay) {
  const Program program = lots_program();
  const IncrementalReplay incremental(program, customer(history()), at("2024-06-01T00:00:00Z"));
  expect_same(incremental.account(),
              replay(program, customer(history()), at("2024-06-01T00:00:00Z")));
}

TEST(IncrementalReplay, EachEntryTypeEqualsReplayWithLots) {
  check_each_type(lots_program(), "2024-04-01T00:00:00Z", "2024-04-01T00:00:00Z",
                  "2024-04-01T00:00:00Z");
}

TEST(IncrementalReplay, EachEntryTypeEqualsReplayWithInactivity) {
  check_each_type(inactivity_program(), "2024-04-01T00:00:00Z", "2024-04-01T00:00:00Z",
                  "2024-04-01T00:00:00Z");
}

TEST(IncrementalReplay, EachEntryTypeEqualsReplayAcrossExpiryAndWindows) {
  // Built in March, the entry a year later (past lot expiry, idle expiry, the tier windows),
  // judged later still.
  check_each_type(lots_program(), "2024-03-20T00:00:00Z", "2025-04-15T10:00:00Z",
                  "2025-07-01T00:00:00Z");
  check_each_type(inactivity_program(), "2024-03-20T00:00:00Z", "2024-06-30T10:00:00Z",
                  "2024-09-01T00:00:00Z");
}

TEST(IncrementalReplay, EntryAfterNowIsAppliedAndJudgedAtNow) {
  check_each_type(lots_program(), "2024-04-01T00:00:00Z", "2024-04-02T00:00:00Z",
                  "2024-04-01T12:00:00Z");
}

TEST(IncrementalReplay, ManyAppendsEqualReplayAtEveryStep) {
  // Enough order and entry ids to make both key indexes grow several times.
  for (const Program& program : {lots_program(), inactivity_program()}) {
    Customer longer = customer(history());
    IncrementalReplay incremental(program, longer, at("2024-03-15T00:00:00Z"));
    EpochSeconds when = at("2024-03-15T00:00:00Z");
    for (int i = 0; i < 200; ++i) {
      when += 7 * 3600 + i * 60;
      const std::string id = "s" + std::to_string(i);
      LedgerEntry next;
      switch (i % 5) {
        case 0:
          next = placed(id, "2024-01-01T00:00:00Z", "o" + std::to_string(i), 2500 + i * 10);
          break;
        case 1:
          next = refunded(id, "2024-01-01T00:00:00Z", "o" + std::to_string(i - 1), 1000);
          break;
        case 2:
          next = redeemed(id, "2024-01-01T00:00:00Z", "r5", 500);
          break;
        case 3:
          next = cancelled(id, "2024-01-01T00:00:00Z", "o" + std::to_string(i - 3));
          break;
        default:
          next = adjusted(id, "2024-01-01T00:00:00Z", 40);
          break;
      }
      next.at = when;
      ASSERT_TRUE(incremental.append(next, when + 60));
      longer.ledger.push_back(next);
      if (i % 20 == 19) {
        // Time passes between requests too.
        ASSERT_TRUE(incremental.advance(when + 86400));
        when += 86400;
        SCOPED_TRACE("step " + std::to_string(i));
        expect_same(incremental.account(), replay(program, longer, when));
      }
    }
    expect_same(incremental.account(), replay(program, longer, when));
  }
}

TEST(IncrementalReplay, RefusesWhatOnlyAFullReplayCanApply) {
  const Program program = lots_program();
  IncrementalReplay incremental(program, customer(history()), at("2024-04-01T00:00:00Z"));
  const Points balance = incremental.account().balance;
  // Earlier than the instant already judged: expiry up to then may not have happened.
  EXPECT_FALSE(
      incremental.append(adjusted("late", "2024-03-31T00:00:00Z", 10), at("2024-04-01T00:00:00Z")));
  EXPECT_FALSE(incremental.advance(at("2024-03-31T00:00:00Z")));
  EXPECT_EQ(incremental.account().balance, balance);
  EXPECT_EQ(incremental.entry_count(), history().size());
  // The same instant is fine.
  EXPECT_TRUE(
      incremental.append(adjusted("now", "2024-04-01T00:00:00Z", 10), at("2024-04-01T00:00:00Z")));
  EXPECT_EQ(incremental.account().balance, balance + 10);

  Customer summarized = customer(history());
  summarized.summary = Summary{};
  summarized.summary->balance = 42;
  IncrementalReplay from_summary(program, summarized, at("2024-04-01T00:00:00Z"));
  EXPECT_EQ(from_summary.account().balance, 42);
  EXPECT_FALSE(
      from_summary.append(adjusted("x", "2024-05-01T00:00:00Z", 10), at("2024-05-01T00:00:00Z")));
  EXPECT_FALSE(from_summary.advance(at("2024-05-01T00:00:00Z")));
}

TEST(IncrementalReplay, LateRecordedEntriesEqualReplay) {
  // Each type happening long ago (before the redemption in history()) but recorded now: appended
  // as the newest entry, exactly as a full replay places it.
  for (const Program& program : {lots_program(), inactivity_program()}) {
    for (LedgerEntry next : one_of_each("2024-02-01T00:00:00Z")) {
      SCOPED_TRACE(std::string(to_string(next.type)) + " " + next.id);
      next.recorded_at = at("2024-04-02T00:00:00Z");
      IncrementalReplay incremental(program, customer(history()), at("2024-04-01T00:00:00Z"));
      ASSERT_TRUE(incremental.append(next, at("2024-04-02T00:00:00Z")));
      EXPECT_EQ(incremental.reached(), at("2024-04-02T00:00:00Z"));
      Customer longer = customer(history());
      longer.ledger.push_back(next);
      expect_same(incremental.account(), replay(program, longer, at("2024-04-02T00:00:00Z")));
    }
  }
  // Recorded before an instant already applied: only a full replay can place it.
  IncrementalReplay incremental(lots_program(), customer(history()), at("2024-04-01T00:00:00Z"));
  LedgerEntry early = adjusted("early", "2024-02-01T00:00:00Z", 10);
  early.recorded_at = at("2024-03-31T00:00:00Z");
  EXPECT_FALSE(incremental.append(early, at("2024-04-01T00:00:00Z")));
}

TEST(IncrementalReplay, MovedObjectKeepsWorking) {
  const Program program = inactivity_program();
  IncrementalReplay first(program, customer(history()), at("2024-04-01T00:00:00Z"));
  IncrementalReplay moved = std::move(first);
  ASSERT_TRUE(
      moved.append(placed("m", "2024-04-02T00:00:00Z", "3001", 5000), at("2024-04-02T00:00:00Z")));
  Customer longer = customer(history());
  longer.ledger.push_back(placed("m", "2024-04-02T00:00:00Z", "3001", 5000));
  expect_same(moved.account(), replay(program, longer, at("2024-04-02T00:00:00Z")));
}

}  // namespace
}  // namespace loyalty
