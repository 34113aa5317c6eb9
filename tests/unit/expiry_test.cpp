#include "expiry.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace loyalty {
namespace {

using namespace fixtures;

Program with_lots(int months) {
  Program program = maple();
  program.expiry.mode = ExpiryMode::lots;
  program.expiry.lot_months = months;
  return program;
}

Program with_inactivity(int days) {
  Program program = maple();
  program.expiry.mode = ExpiryMode::inactivity;
  program.expiry.inactivity_days = days;
  return program;
}

TEST(Expiry, LotExpiresAtTheStartOfTheMonthAfterTheNth) {
  ExpiryPolicy policy;
  policy.mode = ExpiryMode::lots;
  policy.lot_months = 12;
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2025-01-15T12:00:00-05:00")),
            at("2026-02-01T00:00:00-05:00"));
  // 23:30 on Jan 31 in the shop is Feb 1 in UTC: the shop's month counts.
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2025-01-31T23:30:00-05:00")),
            at("2026-02-01T00:00:00-05:00"));
  EXPECT_EQ(lot_expiry(policy, TimeZone{0, {}}, at("2025-01-31T23:30:00-05:00")),
            at("2026-03-01T00:00:00Z"));
  EXPECT_EQ(lot_expiry(policy, TimeZone{330, {}}, at("2024-12-01T00:00:00+05:30")),
            at("2026-01-01T00:00:00+05:30"));
  policy.lot_months = 1;
  EXPECT_EQ(lot_expiry(policy, TimeZone{0, {}}, at("2024-01-31T10:00:00Z")),
            at("2024-03-01T00:00:00Z"));
  policy.lot_months = 0;  // the month after the month earned
  EXPECT_EQ(lot_expiry(policy, TimeZone{0, {}}, at("2024-12-31T10:00:00Z")),
            at("2025-01-01T00:00:00Z"));
  policy.lot_months = INT32_MAX;  // absurd, but no overflow
  EXPECT_GT(lot_expiry(policy, TimeZone{0, {}}, at("2024-12-31T10:00:00Z")),
            at("9999-01-01T00:00:00Z"));
  policy.mode = ExpiryMode::inactivity;
  EXPECT_FALSE(lot_expiry(policy, TimeZone{0, {}}, at("2024-01-31T10:00:00Z")));
}

TEST(Expiry, LotQueueIsFirstInFirstOut) {
  LotQueue lots;
  lots.add(10, 100, 50);
  lots.add(11, 100, 25);  // same expiry: merged
  lots.add(20, 200, 40);
  lots.add(30, std::nullopt, 10);
  ASSERT_EQ(lots.remaining().size(), 3u);
  EXPECT_EQ(lots.remaining()[0].remaining, 75);
  EXPECT_EQ(lots.take(80), 80);
  ASSERT_EQ(lots.remaining().size(), 2u);
  EXPECT_EQ(lots.oldest()->remaining, 35);
  EXPECT_EQ(lots.oldest()->earned_at, 20);
  EXPECT_EQ(lots.earliest_expiry(), 200);
  EXPECT_EQ(lots.points_expiring_at(200), 35);
  EXPECT_EQ(lots.drop_expiring_at(200), 35);
  EXPECT_FALSE(lots.earliest_expiry());  // the last lot never expires
  EXPECT_EQ(lots.take(100), 10);
  EXPECT_EQ(lots.oldest(), nullptr);
  EXPECT_EQ(lots.drop_expiring_at(200), 0);
}

TEST(Expiry, LotsOutOfExpiryOrderExpireSoonestFirst) {
  LotQueue lots;
  lots.add(10, std::nullopt, 50);  // a tier whose points never expire
  lots.add(20, 300, 20);
  lots.add(30, 200, 30);  // a later lot under a shorter policy
  lots.add(40, 300, 5);
  EXPECT_EQ(lots.earliest_expiry(), 200);
  EXPECT_EQ(lots.drop_expiring_at(200), 30);
  EXPECT_EQ(lots.earliest_expiry(), 300);
  EXPECT_EQ(lots.points_expiring_at(300), 25);
  EXPECT_EQ(lots.drop_expiring_at(300), 25);
  EXPECT_FALSE(lots.earliest_expiry());
  EXPECT_EQ(lots.take(100), 50);  // spending still takes the oldest first
}

TEST(Expiry, LotsExpireOldestFirstAfterSpending) {
  const Program program = with_lots(12);
  const std::vector<LedgerEntry> ledger = {
      earned("a", "2025-01-15T12:00:00-05:00", "x", 100),
      earned("b", "2025-02-10T12:00:00-05:00", "y", 200),
      earned("c", "2025-02-20T12:00:00-05:00", "z", 50),        // same month: same lot
      redeemed("r", "2025-03-01T12:00:00-05:00", "ship", 150),  // 100 from Jan, 50 from Feb
  };
  Account account = replay(program, customer(ledger), at("2026-01-31T23:59:59-05:00"));
  EXPECT_EQ(account.balance, 200);
  ASSERT_EQ(account.lots.size(), 1u);
  EXPECT_EQ(account.lots[0].remaining, 200);
  EXPECT_EQ(account.lots[0].expires_at, at("2026-03-01T00:00:00-05:00"));
  ASSERT_TRUE(account.next_expiry);
  EXPECT_EQ(account.next_expiry->points, 200);
  EXPECT_EQ(account.next_expiry->at, at("2026-03-01T00:00:00-05:00"));

  account = replay(program, customer(ledger), at("2026-03-01T00:00:00-05:00"));
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.expired, 200);
  EXPECT_FALSE(account.next_expiry);
  ASSERT_EQ(account.activity.back().type, EntryType::expire);
  EXPECT_EQ(account.activity.back().points, -200);
  EXPECT_EQ(account.activity.back().at, at("2026-03-01T00:00:00-05:00"));
}

TEST(Expiry, LotsExpireBetweenEvents) {
  const Program program = with_lots(1);
  const Account account =
      replay(program,
             customer({
                 earned("a", "2025-01-15T12:00:00Z", "x", 100),       // expires 2025-03-01 local
                 earned("b", "2025-02-15T12:00:00Z", "y", 100),       // expires 2025-04-01 local
                 redeemed("r", "2025-03-01T05:00:00Z", "ship", 150),  // = 00:00 local
                 redeemed("s", "2025-03-01T04:59:59Z", "ship", 50),   // a second earlier
             }),
             at("2025-03-15T00:00:00Z"));
  // s sorts first and spends 50 of January's lot; the other 50 expire at local midnight, just
  // before r, which then finds only February's 100.
  EXPECT_EQ(account.spent, 50);
  EXPECT_EQ(account.expired, 50);
  EXPECT_EQ(account.balance, 100);
  EXPECT_EQ(warnings_at(account, "/ledger/2/points"), 1);
  ASSERT_TRUE(account.next_expiry);
  EXPECT_EQ(account.next_expiry->points, 100);
  EXPECT_EQ(account.next_expiry->at, at("2025-04-01T00:00:00-05:00"));
}

TEST(Expiry, ExpiredLotsLeaveOwedAloneAndNewEarningsRepayIt) {
  const Program program = with_lots(1);
  const Account account = replay(program,
                                 customer({
                                     earned("a", "2025-01-15T12:00:00Z", "x", 100),
                                     placed("p", "2025-01-16T12:00:00Z", "1", 5000),      // +100
                                     redeemed("r", "2025-01-17T12:00:00Z", "ship", 150),  // 50 left
                                     cancelled("c", "2025-01-18T12:00:00Z", "1"),   // -100: 50 owed
                                     earned("b", "2025-04-15T12:00:00Z", "y", 80),  // 30 spendable
                                 }),
                                 at("2025-04-20T00:00:00Z"));
  EXPECT_EQ(account.owed, 0);
  EXPECT_EQ(account.balance, 30);
  EXPECT_EQ(account.expired, 0);
  ASSERT_EQ(account.lots.size(), 1u);
  EXPECT_EQ(account.lots[0].expires_at, at("2025-06-01T00:00:00-05:00"));
}

TEST(Expiry, InactivityExpiresTheWholeBalance) {
  const Program program = with_inactivity(365);
  const EpochSeconds last = at("2025-01-15T12:00:00Z");
  const std::vector<LedgerEntry> ledger = {earned("a", "2025-01-10T12:00:00Z", "x", 100),
                                           earned("b", "2025-01-15T12:00:00Z", "y", 50)};
  const EpochSeconds deadline = last + 365 * kSecondsPerDay;
  Account account = replay(program, customer(ledger), deadline - 1);
  EXPECT_EQ(account.balance, 150);
  ASSERT_TRUE(account.next_expiry);
  EXPECT_EQ(account.next_expiry->points, 150);
  EXPECT_EQ(account.next_expiry->at, deadline);
  EXPECT_EQ(account.last_activity, last);

  account = replay(program, customer(ledger), deadline);
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.expired, 150);
  EXPECT_FALSE(account.next_expiry);
  EXPECT_EQ(account.activity.back().type, EntryType::expire);
  EXPECT_EQ(account.activity.back().at, deadline);
  EXPECT_EQ(lot_total(account), 0);
}

TEST(Expiry, ActivityResetsTheInactivityClock) {
  const Program program = with_inactivity(30);
  Account account = replay(program,
                           customer({
                               earned("a", "2025-01-01T00:00:00Z", "x", 100),
                               redeemed("r", "2025-01-25T00:00:00Z", "ship", 10),  // activity
                               adjusted("n", "2025-02-25T00:00:00Z", -5),          // not activity
                               earned("b", "2025-03-10T00:00:00Z", "y", 40),
                           }),
                           at("2025-03-20T00:00:00Z"));
  // Deadline after the redemption: Feb 24. The balance of 90 expired then, before the
  // negative adjustment, which is therefore owed.
  EXPECT_EQ(account.expired, 90);
  EXPECT_EQ(account.balance, 35);
  EXPECT_EQ(account.owed, 0);
  ASSERT_TRUE(account.next_expiry);
  EXPECT_EQ(account.next_expiry->at, at("2025-04-09T00:00:00Z"));
  EXPECT_EQ(account.activity[2].type, EntryType::expire);
  EXPECT_EQ(account.activity[2].at, at("2025-02-24T00:00:00Z"));
  EXPECT_EQ(account.activity[3].type, EntryType::adjust);
  // An order's points count as activity too.
  account = replay(program,
                   customer({earned("a", "2025-01-01T00:00:00Z", "x", 100),
                             placed("p", "2025-01-29T00:00:00Z", "1", 5000)}),
                   at("2025-02-20T00:00:00Z"));
  EXPECT_EQ(account.balance, 200);
  EXPECT_EQ(account.expired, 0);
}

TEST(Expiry, LotsEndingAtTheCalendarQuarterOrYear) {
  ExpiryPolicy policy;
  policy.mode = ExpiryMode::lots;
  policy.lot_period = ExpiryPeriod::quarter;
  policy.lot_periods = 0;  // the end of the quarter earned
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2025-05-15T12:00:00-05:00")),
            at("2025-07-01T00:00:00-05:00"));
  // The last instant of a quarter and the first of the next, in the shop's zone.
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2025-06-30T23:59:59-05:00")),
            at("2025-07-01T00:00:00-05:00"));
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2025-07-01T00:00:00-05:00")),
            at("2025-10-01T00:00:00-05:00"));
  policy.lot_periods = 4;  // a year of quarters after the one earned
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2025-11-30T12:00:00-05:00")),
            at("2027-01-01T00:00:00-05:00"));
  policy.lot_period = ExpiryPeriod::year;
  policy.lot_periods = 1;  // the end of the year after the one earned
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2024-02-29T12:00:00-05:00")),
            at("2026-01-01T00:00:00-05:00"));
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2024-12-31T23:59:59-05:00")),
            at("2026-01-01T00:00:00-05:00"));
  EXPECT_EQ(lot_expiry(policy, TimeZone{-300, {}}, at("2025-01-01T00:00:00-05:00")),
            at("2027-01-01T00:00:00-05:00"));
  policy.lot_periods = INT32_MAX;  // absurd, but no overflow
  EXPECT_GT(lot_expiry(policy, TimeZone{0, {}}, at("2024-12-31T10:00:00Z")),
            at("9999-01-01T00:00:00Z"));
}

TEST(Expiry, InactivityInCalendarMonths) {
  ExpiryPolicy policy;
  policy.mode = ExpiryMode::inactivity;
  policy.inactivity_months = 1;
  EXPECT_EQ(inactivity_deadline(policy, TimeZone{-300, {}}, at("2025-01-31T15:30:00-05:00")),
            at("2025-02-28T15:30:00-05:00"));
  EXPECT_EQ(inactivity_deadline(policy, TimeZone{-300, {}}, at("2024-01-31T15:30:00-05:00")),
            at("2024-02-29T15:30:00-05:00"));  // leap year
  policy.inactivity_months = 12;
  EXPECT_EQ(inactivity_deadline(policy, TimeZone{-300, {}}, at("2024-02-29T08:00:00-05:00")),
            at("2025-02-28T08:00:00-05:00"));
  Program program = with_inactivity(1);
  program.expiry.inactivity_days = 0;
  program.expiry.inactivity_months = 1;
  const std::vector<LedgerEntry> ledger = {earned("a", "2025-01-31T15:30:00-05:00", "x", 100)};
  EXPECT_EQ(replay(program, customer(ledger), at("2025-02-28T15:29:59-05:00")).balance, 100);
  EXPECT_EQ(replay(program, customer(ledger), at("2025-02-28T15:30:00-05:00")).balance, 0);
}

TEST(Expiry, WhatCountsAsActivity) {
  Program program = with_inactivity(30);
  const std::vector<LedgerEntry> ledger = {
      placed("p", "2025-01-01T00:00:00Z", "1", 5000),     // 100 points
      redeemed("r", "2025-01-20T00:00:00Z", "ship", 10),  // a redemption
      earned("e", "2025-01-25T00:00:00Z", "review", 50),  // an earn
      placed("q", "2025-01-28T00:00:00Z", "2", 500),      // an order below the minimum
  };
  const EpochSeconds now = at("2025-02-22T00:00:00Z");
  // any (default): the review on Jan 25 is the last earn or redemption: due Feb 24.
  EXPECT_EQ(replay(program, customer(ledger), now).next_expiry->at, at("2025-02-24T00:00:00Z"));
  // earning: the same here, the redemption alone would not have counted.
  program.expiry.activity = ExpiryActivity::earning;
  EXPECT_EQ(replay(program, customer(ledger), now).next_expiry->at, at("2025-02-24T00:00:00Z"));
  const std::vector<LedgerEntry> spend_only = {placed("p", "2025-01-01T00:00:00Z", "1", 5000),
                                               redeemed("r", "2025-01-20T00:00:00Z", "ship", 10)};
  const EpochSeconds early_february = at("2025-02-10T00:00:00Z");
  EXPECT_EQ(replay(program, customer(spend_only), early_february).balance, 0);  // gone Jan 31
  program.expiry.activity = ExpiryActivity::any;
  EXPECT_EQ(replay(program, customer(spend_only), early_february).balance, 90);  // due Feb 19
  // purchases: only orders, even one that earns nothing: the Jan 28 order.
  program.expiry.activity = ExpiryActivity::purchases;
  const Account account = replay(program, customer(ledger), now);
  EXPECT_EQ(account.next_expiry->at, at("2025-02-27T00:00:00Z"));
  EXPECT_EQ(account.last_activity, at("2025-01-28T00:00:00Z"));
}

TEST(Expiry, ATiersOwnPolicy) {
  // Lots expire after 1 month; Gold's points (1000+ earned) never expire.
  Program program = with_lots(1);
  program.tiers = maple_tiers();
  ExpiryPolicy never;
  never.mode = ExpiryMode::none;
  program.tiers.tiers[1].expiry = never;
  const std::vector<LedgerEntry> ledger = {
      earned("a", "2025-01-10T12:00:00-05:00", "x", 600),  // Silver: expires Mar 1
      earned("b", "2025-01-20T12:00:00-05:00", "y", 500),  // reaches Gold: never
      earned("c", "2025-02-05T12:00:00-05:00", "z", 40),   // Gold: never
  };
  Account account = replay(program, customer(ledger), at("2025-02-28T12:00:00-05:00"));
  ASSERT_TRUE(account.next_expiry);
  EXPECT_EQ(account.next_expiry->points, 600);
  EXPECT_EQ(account.next_expiry->at, at("2025-03-01T00:00:00-05:00"));
  account = replay(program, customer(ledger), at("2025-03-01T00:00:00-05:00"));
  EXPECT_EQ(account.balance, 640);  // 500 + 40 + Gold's 100 entry points
  EXPECT_EQ(account.expired, 600);
  EXPECT_FALSE(account.next_expiry);
  EXPECT_EQ(lot_total(account), account.balance);

  // Inactivity: Gold waits a year instead of 30 days, judged by the tier at the last activity.
  program = with_inactivity(30);
  program.tiers = maple_tiers();
  ExpiryPolicy longer;
  longer.mode = ExpiryMode::inactivity;
  longer.inactivity_days = 365;
  program.tiers.tiers[1].expiry = longer;
  account = replay(program, customer({earned("a", "2025-01-10T12:00:00-05:00", "x", 1200)}),
                   at("2025-06-01T00:00:00-05:00"));
  EXPECT_EQ(account.balance, 1300);  // with Gold's entry points
  EXPECT_EQ(account.next_expiry->at, at("2026-01-10T12:00:00-05:00"));
}

TEST(Expiry, NoExpiryKeepsOneLot) {
  const Account account = replay(maple(),
                                 customer({earned("a", "2020-01-01T00:00:00Z", "x", 100),
                                           earned("b", "2021-01-01T00:00:00Z", "y", 100)}),
                                 at("2030-01-01T00:00:00Z"));
  EXPECT_EQ(account.balance, 200);
  ASSERT_EQ(account.lots.size(), 1u);
  EXPECT_FALSE(account.lots[0].expires_at);
  EXPECT_FALSE(account.next_expiry);
}

}  // namespace
}  // namespace loyalty
