#include "tiers.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace loyalty {
namespace {

using namespace fixtures;

Program with_tiers(TierProgram tiers) {
  Program program = maple();
  program.tiers = std::move(tiers);
  return program;
}

Account replay_at(const Program& program, std::vector<LedgerEntry> ledger, std::string_view now) {
  return replay(program, customer(std::move(ledger)), at(now));
}

TEST(Tiers, TierForValueAtAndJustUnderThresholds) {
  const TierProgram tiers = maple_tiers();
  EXPECT_EQ(tier_for_value(tiers, -1), -1);
  EXPECT_EQ(tier_for_value(tiers, 0), 0);
  EXPECT_EQ(tier_for_value(tiers, 999), 0);
  EXPECT_EQ(tier_for_value(tiers, 1000), 1);
  EXPECT_EQ(tier_for_value(tiers, 2999), 1);
  EXPECT_EQ(tier_for_value(tiers, 3000), 2);
  EXPECT_EQ(tier_for_value(tiers, kMaxSafeInteger), 2);
  EXPECT_EQ(tier_for_value(TierProgram{}, 5000), -1);
}

TEST(Tiers, ThresholdsThroughReplay) {
  const Program program = with_tiers(maple_tiers(TierMetric::points_earned, TierWindow::lifetime));
  EXPECT_EQ(replay_at(program, {adjusted("a", "2025-02-01T00:00:00Z", 999)}, "2025-06-01T00:00:00Z")
                .tier.index,
            0);
  const Account gold =
      replay_at(program, {adjusted("a", "2025-02-01T00:00:00Z", 1000)}, "2025-06-01T00:00:00Z");
  EXPECT_EQ(gold.tier.index, 1);
  EXPECT_EQ(gold.tier.progress, 1000);
  EXPECT_FALSE(gold.tier.window_start);
  EXPECT_FALSE(gold.tier.window_end);
  EXPECT_FALSE(gold.tier.retained_until);
  // Gold's 100 entry points do not count toward platinum: 2950 stays gold.
  const Account near =
      replay_at(program, {adjusted("a", "2025-02-01T00:00:00Z", 2950)}, "2025-06-01T00:00:00Z");
  EXPECT_EQ(near.tier.index, 1);
  EXPECT_EQ(near.tier.progress, 2950);
  EXPECT_EQ(near.balance, 3050);
  EXPECT_EQ(near.lifetime_earned, 3050);
}

TEST(Tiers, CalendarYearEdgeInTheShopsOffset) {
  const Program program = with_tiers(maple_tiers());  // calendar_year, -05:00
  // 23:59:59 on Dec 31 local is already Jan 1 in UTC, but it counts for the old year.
  const LedgerEntry late = adjusted("a", "2025-12-31T23:59:59-05:00", 1000);
  Account account = replay_at(program, {late}, "2025-12-31T23:59:59-05:00");
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(account.tier.progress, 1000);
  EXPECT_EQ(account.tier.window_start, at("2025-01-01T00:00:00-05:00"));
  EXPECT_EQ(account.tier.window_end, at("2026-01-01T00:00:00-05:00"));
  account = replay_at(program, {late}, "2026-01-01T00:00:00-05:00");
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_EQ(account.tier.progress, 0);
  EXPECT_EQ(account.tier.window_start, at("2026-01-01T00:00:00-05:00"));
  EXPECT_FALSE(account.tier.retained_until);
  // Local midnight starts the new year and counts in it.
  account = replay_at(program, {adjusted("a", "2026-01-01T00:00:00-05:00", 1000)},
                      "2026-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.progress, 1000);
  EXPECT_EQ(account.tier.index, 1);
}

TEST(Tiers, NextPeriodRetentionHoldsThroughTheFollowingYear) {
  const Program program = with_tiers(maple_tiers(
      TierMetric::points_earned, TierWindow::calendar_year, TierRetention::next_period));
  const LedgerEntry reach = adjusted("a", "2025-03-01T00:00:00Z", 1200);
  Account account = replay_at(program, {reach}, "2026-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(account.tier.progress, 0);
  EXPECT_EQ(account.tier.retained_until, at("2027-01-01T00:00:00-05:00"));
  account = replay_at(program, {reach}, "2026-12-31T23:59:59-05:00");
  EXPECT_EQ(account.tier.index, 1);
  account = replay_at(program, {reach}, "2027-01-01T00:00:00-05:00");
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_FALSE(account.tier.retained_until);
  // Reached two years ago: nothing is retained.
  account =
      replay_at(program, {adjusted("a", "2024-03-01T00:00:00Z", 1200)}, "2026-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.index, 0);
  // Requalifying in the retained year wins and clears retained_until.
  account = replay_at(program, {reach, adjusted("b", "2026-02-01T00:00:00Z", 1000)},
                      "2026-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_FALSE(account.tier.retained_until);
}

TEST(Tiers, OrdersEarnWithTheTierInForceAtTheirInstant) {
  const std::vector<LedgerEntry> ledger = {
      adjusted("a", "2025-03-01T00:00:00Z", 1000),
      placed("b", "2026-01-01T00:00:00-05:00", "1", 5000),
  };
  const Account kept =
      replay_at(with_tiers(maple_tiers(TierMetric::points_earned, TierWindow::calendar_year,
                                       TierRetention::next_period)),
                ledger, "2026-06-01T00:00:00Z");
  EXPECT_EQ(kept.activity.back().points, 125);
  const Account lost = replay_at(with_tiers(maple_tiers()), ledger, "2026-06-01T00:00:00Z");
  EXPECT_EQ(lost.activity.back().points, 100);
  // One second earlier the order is still in the gold year.
  const Account same_year = replay_at(
      with_tiers(maple_tiers()), {ledger[0], placed("b", "2025-12-31T23:59:59-05:00", "1", 5000)},
      "2026-06-01T00:00:00Z");
  EXPECT_EQ(same_year.activity.back().points, 125);
}

TEST(Tiers, RollingWindowEdge) {
  TierProgram tiers = maple_tiers(TierMetric::points_earned, TierWindow::rolling);
  tiers.rolling_days = 30;
  const Program program = with_tiers(tiers);
  const EpochSeconds earned = at("2025-03-01T12:00:00Z");
  const std::vector<LedgerEntry> ledger = {adjusted("a", "2025-03-01T12:00:00Z", 1000)};
  Account account = replay(program, customer(ledger), earned + 30 * kSecondsPerDay - 1);
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(account.tier.progress, 1000);
  EXPECT_EQ(account.tier.window_start, earned - 1);
  EXPECT_EQ(account.tier.window_end, earned + 30 * kSecondsPerDay - 1);
  account = replay(program, customer(ledger), earned + 30 * kSecondsPerDay);
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_EQ(account.tier.progress, 0);
}

TEST(Tiers, RollingRetentionHoldsForDaysAfterLastQualifying) {
  TierProgram tiers =
      maple_tiers(TierMetric::points_earned, TierWindow::rolling, TierRetention::next_period);
  tiers.rolling_days = 30;
  const Program program = with_tiers(tiers);
  const EpochSeconds earned = at("2025-03-01T12:00:00Z");
  const std::vector<LedgerEntry> ledger = {
      adjusted("a", "2025-03-01T12:00:00Z", 600),
      adjusted("b", "2025-03-11T12:00:00Z", 600),  // gold from here; a leaves on day 30
  };
  const EpochSeconds lost_at = earned + 30 * kSecondsPerDay;
  Account account = replay(program, customer(ledger), lost_at);
  EXPECT_EQ(account.tier.progress, 600);
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(account.tier.retained_until, lost_at + 30 * kSecondsPerDay);
  account = replay(program, customer(ledger), lost_at + 30 * kSecondsPerDay - 1);
  EXPECT_EQ(account.tier.index, 1);
  account = replay(program, customer(ledger), lost_at + 30 * kSecondsPerDay);
  EXPECT_EQ(account.tier.index, 0);
}

TEST(Tiers, MerchantAssignmentHoldsUntilItsEnd) {
  const Program program = with_tiers(maple_tiers(TierMetric::points_earned, TierWindow::lifetime));
  const EpochSeconds until = at("2026-01-01T00:00:00Z");
  const LedgerEntry assign = assigned("t", "2025-03-03T12:00:00Z", "gold", until);
  Account account = replay(program, customer({assign}), until - 1);
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(account.tier.retained_until, until);
  EXPECT_EQ(account.balance, 100);  // gold's entry points, paid on first holding it
  ASSERT_EQ(account.activity.size(), 2u);
  EXPECT_EQ(account.activity[0].type, EntryType::tier_change);
  EXPECT_EQ(account.activity[0].points, 0);
  EXPECT_EQ(account.activity[1].points, 100);
  account = replay(program, customer({assign}), until);
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_FALSE(account.tier.retained_until);

  // No end: for good. A higher computed tier still wins.
  account = replay(program,
                   customer({assigned("t", "2025-03-03T12:00:00Z", "gold"),
                             adjusted("a", "2025-04-01T12:00:00Z", 3000)}),
                   at("2030-01-01T00:00:00Z"));
  EXPECT_EQ(account.tier.index, 2);
  EXPECT_FALSE(account.tier.retained_until);

  account = replay(program, customer({assigned("t", "2025-03-03T12:00:00Z", "diamond")}),
                   at("2026-01-01T00:00:00Z"));
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_EQ(warnings_at(account, "/ledger/0/tierId"), 1);
}

TEST(Tiers, EntryPointsArePaidOncePerTierAndForEachTierPassed) {
  TierProgram tiers = maple_tiers();  // calendar year, no retention
  tiers.tiers[2].entry_points = 300;
  const Program program = with_tiers(tiers);
  const Account account = replay_at(program,
                                    {
                                        adjusted("a", "2025-03-01T00:00:00Z", 3000),  // gold+plat
                                        adjusted("b", "2026-03-01T00:00:00Z", 1000),  // gold again
                                    },
                                    "2026-06-01T00:00:00Z");
  ASSERT_EQ(account.activity.size(), 4u);
  EXPECT_EQ(account.activity[1].tier_id, "gold");
  EXPECT_EQ(account.activity[1].points, 100);
  EXPECT_EQ(account.activity[2].tier_id, "platinum");
  EXPECT_EQ(account.activity[2].points, 300);
  EXPECT_EQ(account.balance, 4400);
  EXPECT_EQ(account.lifetime_earned, 4400);
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(account.tier.progress, 1000);
}

TEST(Tiers, AmountSpentAndOrdersMetrics) {
  Program program = with_tiers(maple_tiers(TierMetric::amount_spent, TierWindow::lifetime));
  Account account = replay_at(program,
                              {placed("a", "2025-03-01T00:00:00Z", "1", 1000),
                               refunded("b", "2025-03-02T00:00:00Z", "1", 1)},
                              "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.progress, 999);
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_EQ(account.amount_spent, 999);

  TierProgram by_orders = maple_tiers(TierMetric::orders, TierWindow::lifetime);
  by_orders.tiers[1].threshold = 2;
  by_orders.tiers[2].threshold = 5;
  program = with_tiers(by_orders);
  account = replay_at(program,
                      {placed("a", "2025-03-01T00:00:00Z", "1", 1000),
                       placed("b", "2025-03-02T00:00:00Z", "2", 1000)},
                      "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.index, 1);
  account = replay_at(
      program,
      {placed("a", "2025-03-01T00:00:00Z", "1", 1000),
       placed("b", "2025-03-02T00:00:00Z", "2", 1000), cancelled("c", "2025-03-03T00:00:00Z", "2")},
      "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_EQ(account.tier.progress, 1);
  EXPECT_EQ(account.orders, 1);
}

TEST(Tiers, EntryPointsEachTimeTheTierIsEnteredAgain) {
  TierProgram tiers = maple_tiers();  // calendar year, no retention
  tiers.entry_points_repeat = EntryPointsRepeat::each_time;
  const Program program = with_tiers(tiers);
  const Account account = replay_at(program,
                                    {
                                        adjusted("a", "2025-03-01T00:00:00Z", 1000),  // gold
                                        adjusted("b", "2025-04-01T00:00:00Z", 500),   // still gold
                                        adjusted("c", "2026-03-01T00:00:00Z", 1000),  // gold again
                                    },
                                    "2026-06-01T00:00:00Z");
  // Gold's 100 are paid in 2025 and again once the year's reset is made up in 2026.
  EXPECT_EQ(account.balance, 2500 + 200);
  ASSERT_EQ(account.activity.size(), 5u);
  EXPECT_EQ(account.activity[4].tier_id, "gold");
  EXPECT_EQ(account.activity[4].points, 100);
}

TEST(Tiers, EntryPointsTakenBackWhenARefundDropsTheTier) {
  TierProgram tiers = maple_tiers(TierMetric::amount_spent, TierWindow::lifetime);
  tiers.entry_points_take_back = true;
  const Program program = with_tiers(tiers);
  // 1000 spent reaches Gold (100 entry points); a 1-cent refund drops below it.
  Account account = replay_at(program,
                              {placed("a", "2025-03-01T00:00:00Z", "1", 1000),
                               refunded("b", "2025-03-02T00:00:00Z", "1", 1)},
                              "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_EQ(account.balance, 20 - 0 + 0);  // 20 order points kept (floor of 0.02 taken), 100 back
  ASSERT_EQ(account.activity.size(), 4u);
  EXPECT_EQ(account.activity[3].tier_id, "gold");
  EXPECT_EQ(account.activity[3].points, -100);
  // Reaching Gold again pays again, since the first payment was taken back.
  account = replay_at(program,
                      {placed("a", "2025-03-01T00:00:00Z", "1", 1000),
                       refunded("b", "2025-03-02T00:00:00Z", "1", 1),
                       placed("c", "2025-03-03T00:00:00Z", "2", 1000)},
                      "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(account.balance, 20 + 20 + 100);
  // Without the option the points stay.
  tiers.entry_points_take_back = false;
  account = replay_at(with_tiers(tiers),
                      {placed("a", "2025-03-01T00:00:00Z", "1", 1000),
                       refunded("b", "2025-03-02T00:00:00Z", "1", 1)},
                      "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.balance, 120);
}

TEST(Tiers, SpendBasisOfItsOwnAndGrossOfRefunds) {
  TierProgram tiers = maple_tiers(TierMetric::amount_spent, TierWindow::lifetime);
  tiers.spend_basis = SpendBasis::total;  // with shipping and tax; points still on the items
  Program program = with_tiers(tiers);
  program.earning[1].min_order = 0;
  // Items 800, shipping 150, tax 50: 1000 counts toward Gold, 16 points on the 800.
  Account account = replay_at(program, {placed("a", "2025-03-01T00:00:00Z", "1", 800, 0, 150, 50)},
                              "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.amount_spent, 1000);
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(account.activity[0].points, 16);
  // A refund of 400 of the 800 items takes floor(1000 * 400 / 800) = 500 of the spend.
  account = replay_at(program,
                      {placed("a", "2025-03-01T00:00:00Z", "1", 800, 0, 150, 50),
                       refunded("b", "2025-03-02T00:00:00Z", "1", 400)},
                      "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.amount_spent, 500);
  EXPECT_EQ(account.tier.index, 0);
  // Gross of refunds: the refund leaves the spend alone; a cancellation still removes it.
  program.tiers.spend_net_of_refunds = false;
  account = replay_at(program,
                      {placed("a", "2025-03-01T00:00:00Z", "1", 800, 0, 150, 50),
                       refunded("b", "2025-03-02T00:00:00Z", "1", 400)},
                      "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.amount_spent, 1000);
  EXPECT_EQ(account.tier.index, 1);
  account = replay_at(program,
                      {placed("a", "2025-03-01T00:00:00Z", "1", 800, 0, 150, 50),
                       cancelled("b", "2025-03-02T00:00:00Z", "1")},
                      "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.amount_spent, 0);
  // Subtotal before discounts.
  program = with_tiers(tiers);
  program.earning[1].min_order = 0;
  program.tiers.spend_basis = SpendBasis::subtotal;
  account = replay_at(program, {placed("a", "2025-03-01T00:00:00Z", "1", 1000, 300)},
                      "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.amount_spent, 1000);
  EXPECT_EQ(account.activity[0].points, 14);  // earned on 700
}

TEST(Tiers, ClawbackInALaterYearCountsWhenItHappens) {
  const Program program = with_tiers(maple_tiers());
  const Account account = replay_at(program,
                                    {
                                        placed("p", "2025-12-20T12:00:00Z", "1", 5000),  // 100
                                        refunded("r", "2026-01-05T12:00:00Z", "1", 5000),
                                    },
                                    "2026-02-01T00:00:00Z");
  // 2026 holds only the -100 clawback: no progress, but still the threshold-0 tier.
  EXPECT_EQ(account.tier.progress, 0);
  EXPECT_EQ(account.tier.index, 0);
  EXPECT_EQ(account.lifetime_earned, 0);
}

TEST(Tiers, NoTiersMeansNoStatus) {
  const Account account =
      replay_at(maple(), {adjusted("a", "2025-03-01T00:00:00Z", 5000)}, "2025-06-01T00:00:00Z");
  EXPECT_EQ(account.tier.index, -1);
  EXPECT_EQ(account.tier.progress, 0);
}

}  // namespace
}  // namespace loyalty
