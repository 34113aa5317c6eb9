#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "loyalty/account.hpp"

namespace loyalty {
namespace {

using namespace fixtures;

const EpochSeconds kNow = at("2025-06-01T00:00:00Z");

TEST(Replay, ContractExampleLedger) {
  const Program program = maple();
  const Customer ada = customer({
      earned("e1", "2025-01-02T09:00:00Z", "signup", 100),
      placed("e2", "2025-02-10T12:00:00Z", "1001", 5400, 400, 500, 300),  // basis 5000 -> 100
      refunded("e3", "2025-02-12T12:00:00Z", "1001", 2500),  // floor(100 * 2500 / 5000) = 50
      redeemed("e4", "2025-03-01T12:00:00Z", "r5", 500),     // 150 < 500: skipped
      adjusted("e5", "2025-03-02T12:00:00Z", -20),
  });
  const Account account = replay(program, ada, kNow);
  EXPECT_EQ(account.balance, 130);
  EXPECT_EQ(account.owed, 0);
  EXPECT_EQ(account.lifetime_earned, 150);  // 100 + 100 - 50; the adjustment is not "earned"
  EXPECT_EQ(account.spent, 0);
  EXPECT_EQ(account.amount_spent, 2500);
  EXPECT_EQ(account.orders, 1);
  EXPECT_EQ(lot_total(account), account.balance);
  EXPECT_EQ(warnings_at(account, "/ledger/3/points"), 1);
  ASSERT_EQ(account.activity.size(), 4u);
  EXPECT_EQ(account.activity[1].type, EntryType::order_placed);
  EXPECT_EQ(account.activity[1].points, 100);
  EXPECT_EQ(account.activity[1].order_id, "1001");
  EXPECT_EQ(account.activity[2].points, -50);
  EXPECT_EQ(account.activity[3].points, -20);
  EXPECT_EQ(account.last_activity, at("2025-02-10T12:00:00Z"));
  ASSERT_EQ(account.claims.count("signup"), 1u);
  EXPECT_EQ(account.claims.at("signup").front(), at("2025-01-02T09:00:00Z"));
}

TEST(Replay, GivenOrderPointsWinOverComputed) {
  const Account account = replay(
      maple(), customer({placed_with_points("o", "2025-02-10T12:00:00Z", "1", 5000, 7)}), kNow);
  EXPECT_EQ(account.balance, 7);
  EXPECT_EQ(account.amount_spent, 5000);
}

TEST(Replay, OrderRoundingAndMinimum) {
  const Program program = maple();  // 5 points per 250, minimum 1000
  const Account account = replay(program,
                                 customer({placed("a", "2025-02-01T12:00:00Z", "1", 999),
                                           placed("b", "2025-02-02T12:00:00Z", "2", 1000),
                                           placed("c", "2025-02-03T12:00:00Z", "3", 1249)}),
                                 kNow);
  ASSERT_EQ(account.activity.size(), 3u);
  EXPECT_EQ(account.activity[0].points, 0);   // below the minimum
  EXPECT_EQ(account.activity[1].points, 20);  // 1000 * 5 / 250
  EXPECT_EQ(account.activity[2].points, 24);  // floor(24.98)
  EXPECT_EQ(account.balance, 44);
  EXPECT_EQ(account.orders, 3);
  EXPECT_EQ(account.amount_spent, 999 + 1000 + 1249);
}

TEST(Replay, OrderBasisVariants) {
  Program program = maple();
  program.earning[1] = order_rule(1, 100, 0, OrderBasis::total);
  // total = 5400 - 400 + 500 + 300 = 5800 -> 58
  Account account = replay(
      program, customer({placed("a", "2025-02-01T12:00:00Z", "1", 5400, 400, 500, 300)}), kNow);
  EXPECT_EQ(account.balance, 58);
  EXPECT_EQ(account.amount_spent, 5800);
  program.earning[1] = order_rule(1, 100, 0, OrderBasis::subtotal);
  account = replay(program,
                   customer({placed("a", "2025-02-01T12:00:00Z", "1", 5400, 400, 500, 300)}), kNow);
  EXPECT_EQ(account.balance, 54);
  // Discount larger than the subtotal: the basis floors at 0.
  program.earning[1] = order_rule(1, 100, 0);
  account = replay(program, customer({placed("a", "2025-02-01T12:00:00Z", "1", 500, 900)}), kNow);
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.amount_spent, 0);
}

TEST(Replay, PartialRefundsAddUpToTheFullClawback) {
  // basis 3333 earns floor(3333 * 5 / 250) = 66.
  const Account partial = replay(maple(),
                                 customer({
                                     placed("p", "2025-02-01T12:00:00Z", "1", 3333),
                                     refunded("r1", "2025-02-02T12:00:00Z", "1", 1000),
                                     refunded("r2", "2025-02-03T12:00:00Z", "1", 1000),
                                     refunded("r3", "2025-02-04T12:00:00Z", "1", 1333),
                                 }),
                                 kNow);
  ASSERT_EQ(partial.activity.size(), 4u);
  EXPECT_EQ(partial.activity[0].points, 66);
  EXPECT_EQ(partial.activity[1].points, -19);  // floor(66 * 1000 / 3333) = 19
  EXPECT_EQ(partial.activity[2].points, -20);  // floor(66 * 2000 / 3333) = 39, minus 19
  EXPECT_EQ(partial.activity[3].points, -27);  // 66 - 39
  EXPECT_EQ(partial.balance, 0);
  EXPECT_EQ(partial.lifetime_earned, 0);
  EXPECT_EQ(partial.amount_spent, 0);
  EXPECT_EQ(partial.orders, 1);  // refunded, not cancelled

  const Account full = replay(maple(),
                              customer({
                                  placed("p", "2025-02-01T12:00:00Z", "1", 3333),
                                  refunded("r", "2025-02-02T12:00:00Z", "1", 3333),
                              }),
                              kNow);
  EXPECT_EQ(full.activity[1].points, -66);
  EXPECT_EQ(full.balance, partial.balance);
}

TEST(Replay, RefundBeyondTheBasisTakesNoMore) {
  const Account account = replay(maple(),
                                 customer({
                                     earned("s", "2025-01-01T12:00:00Z", "signup", 100),
                                     placed("p", "2025-02-01T12:00:00Z", "1", 5000),
                                     refunded("r1", "2025-02-02T12:00:00Z", "1", 4000),
                                     refunded("r2", "2025-02-03T12:00:00Z", "1", 4000),
                                 }),
                                 kNow);
  EXPECT_EQ(account.activity[2].points, -80);
  EXPECT_EQ(account.activity[3].points, -20);
  EXPECT_EQ(account.balance, 100);
  EXPECT_EQ(account.amount_spent, 0);
}

TEST(Replay, CancelAfterPartialRefundTakesTheRest) {
  const Account account = replay(maple(),
                                 customer({
                                     earned("s", "2025-01-01T12:00:00Z", "signup", 100),
                                     placed("p", "2025-02-01T12:00:00Z", "1", 5000),
                                     refunded("r", "2025-02-02T12:00:00Z", "1", 1250),
                                     cancelled("c", "2025-02-03T12:00:00Z", "1"),
                                     refunded("r2", "2025-02-04T12:00:00Z", "1", 1000),
                                     cancelled("c2", "2025-02-05T12:00:00Z", "1"),
                                 }),
                                 kNow);
  ASSERT_EQ(account.activity.size(), 4u);
  EXPECT_EQ(account.activity[2].points, -25);
  EXPECT_EQ(account.activity[3].points, -75);
  EXPECT_EQ(account.balance, 100);
  EXPECT_EQ(account.lifetime_earned, 100);
  EXPECT_EQ(account.orders, 0);
  EXPECT_EQ(account.amount_spent, 0);
  EXPECT_EQ(warnings_at(account, "/ledger/4/orderId"), 1);  // refund after cancel
  EXPECT_EQ(warnings_at(account, "/ledger/5/orderId"), 1);  // second cancel
}

TEST(Replay, RefundRoundingKeptRoundsThePointsKeptDown) {
  // basis 3333 earns 66; with "kept" each partial refund rounds the points kept down.
  Program program = maple();
  program.earning[1].refund_rounding = RefundRounding::kept;
  const Account account = replay(program,
                                 customer({
                                     placed("p", "2025-02-01T12:00:00Z", "1", 3333),
                                     refunded("r1", "2025-02-02T12:00:00Z", "1", 1000),
                                     refunded("r2", "2025-02-03T12:00:00Z", "1", 1000),
                                     refunded("r3", "2025-02-04T12:00:00Z", "1", 1333),
                                 }),
                                 kNow);
  ASSERT_EQ(account.activity.size(), 4u);
  EXPECT_EQ(account.activity[1].points, -20);  // keeps floor(66 * 2333 / 3333) = 46
  EXPECT_EQ(account.activity[2].points, -20);  // keeps floor(66 * 1333 / 3333) = 26
  EXPECT_EQ(account.activity[3].points, -26);  // keeps 0
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.lifetime_earned, 0);

  // One minor unit refunded: "taken_back" takes nothing back, "kept" takes one point.
  const Customer tiny = customer({placed("p", "2025-02-01T12:00:00Z", "1", 3333),
                                  refunded("r", "2025-02-02T12:00:00Z", "1", 1)});
  EXPECT_EQ(replay(program, tiny, kNow).balance, 65);
  EXPECT_EQ(replay(maple(), tiny, kNow).balance, 66);
}

TEST(Replay, RefundAfterARedemptionOwesWhatTheBalanceCannotCover) {
  Program program = maple();
  program.earning[1].refund_rounding = RefundRounding::kept;
  const Account account = replay(program,
                                 customer({
                                     placed("p", "2025-02-01T12:00:00Z", "1", 30000),  // 600
                                     redeemed("x", "2025-02-02T12:00:00Z", "r5", 500),
                                     refunded("r", "2025-02-03T12:00:00Z", "1", 29999),
                                 }),
                                 kNow);
  EXPECT_EQ(account.activity[2].points, -600);  // keeps floor(600 * 1 / 30000) = 0
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.owed, 500);
  EXPECT_EQ(account.activity[1].points, -500);  // the redemption stays
}

TEST(Replay, LimitedRulesPayOnlyWhatTheLimitAllows) {
  const Account account =
      replay(maple(),
             customer({
                 earned("a", "2025-02-01T10:00:00Z", "ig-follow", 25),
                 earned("b", "2025-02-01T10:00:00Z", "ig-follow", 25),  // same second
                 earned("c", "2025-02-03T10:00:00Z", "signup", 100),
                 earned("d", "2025-02-04T10:00:00Z", "signup", 100),
                 earned("e", "2025-02-03T10:00:00-05:00", "fb-share", 10),  // a Monday
                 earned("f", "2025-02-09T23:59:59-05:00", "fb-share", 10),  // same week
                 earned("g", "2025-02-10T00:00:00-05:00", "fb-share", 10),  // next week
                 earned("h", "2025-02-10T10:00:00Z", "review", 50),
                 earned("i", "2025-02-10T10:00:00Z", "review", 50),  // unlimited
             }),
             kNow);
  EXPECT_EQ(account.balance, 25 + 100 + 10 + 10 + 100);
  EXPECT_EQ(account.activity.size(), 6u);
  EXPECT_EQ(warnings_at(account, "/ledger/1/ruleId"), 1);
  EXPECT_EQ(warnings_at(account, "/ledger/3/ruleId"), 1);
  EXPECT_EQ(warnings_at(account, "/ledger/5/ruleId"), 1);
  EXPECT_EQ(warnings_at(account, "/ledger/6/ruleId"), 0);
  EXPECT_EQ(account.claims.at("ig-follow").size(), 1u);
  // The view and replay agree: the follow is done.
  EXPECT_EQ(earn_for_rule(maple(), account, *maple().find_rule("ig-follow"), kNow).refusal,
            "rule.alreadyDone");
}

TEST(Replay, BirthdaysAreLimitedByYearOrCooldown) {
  Program program = maple();
  const Customer twice = customer({
      earned("a", "2025-12-31T10:00:00-05:00", "birthday", 200),
      earned("b", "2026-01-02T10:00:00-05:00", "birthday", 200),  // a new calendar year
      earned("c", "2026-01-05T10:00:00-05:00", "birthday", 200),  // same year
  });
  Account account = replay(program, twice, kNow);
  EXPECT_EQ(account.balance, 400);
  EXPECT_EQ(warnings_at(account, "/ledger/2/ruleId"), 1);
  program.earning[2].cooldown_days = 300;
  account = replay(program, twice, kNow);
  EXPECT_EQ(account.balance, 200);
  EXPECT_EQ(warnings_at(account, "/ledger/1/ruleId"), 1);
  EXPECT_EQ(warnings_at(account, "/ledger/2/ruleId"), 1);
}

TEST(Replay, LimitsCountClaimsInTheOrderTheyWereRecorded) {
  // Recorded later but claimed earlier: the first recorded claim is the one that counts.
  LedgerEntry late = earned("late", "2025-02-01T10:00:00Z", "profile", 50);
  late.recorded_at = at("2025-03-01T10:00:00Z");
  const Account account = replay(
      maple(), customer({late, earned("first", "2025-02-15T10:00:00Z", "profile", 50)}), kNow);
  EXPECT_EQ(account.balance, 50);
  EXPECT_EQ(warnings_at(account, "/ledger/0/ruleId"), 1);
}

TEST(Replay, PendingOrderPointsBecomeSpendableAfterTheWindow) {
  Program program = maple();
  program.earning[1].pending_days = 14;
  const std::vector<LedgerEntry> ledger = {
      earned("s", "2025-02-01T12:00:00Z", "signup", 100),
      placed("p", "2025-02-01T12:00:00Z", "1", 5000),  // 100 points, available Feb 15 12:00
  };
  const EpochSeconds available = at("2025-02-15T12:00:00Z");
  Account account = replay(program, customer(ledger), available - 1);
  EXPECT_EQ(account.balance, 100);
  EXPECT_EQ(account.pending, 100);
  ASSERT_EQ(account.pending_points.size(), 1u);
  EXPECT_EQ(account.pending_points[0].order_id, "1");
  EXPECT_EQ(account.pending_points[0].available_at, available);
  EXPECT_EQ(account.activity[1].points, 100);
  EXPECT_EQ(account.activity[1].pending_until, available);
  EXPECT_EQ(account.lifetime_earned, 100);
  // A redemption can't spend them yet.
  EXPECT_EQ(check_redeem(program, account, {"ship", std::nullopt, std::nullopt}, available - 1).ok,
            false);
  account = replay(program, customer(ledger), available);
  EXPECT_EQ(account.balance, 200);
  EXPECT_EQ(account.pending, 0);
  EXPECT_TRUE(account.pending_points.empty());
  EXPECT_FALSE(account.activity[1].pending_until);
  EXPECT_EQ(account.lifetime_earned, 200);
  EXPECT_EQ(lot_total(account), 200);
}

TEST(Replay, ASummarysPendingPointsWinOverTheLedgers) {
  Program program = maple();
  program.earning[1].pending_days = 14;
  Customer shopper = customer({placed("p", "2025-02-01T12:00:00Z", "1", 5000)});
  const EpochSeconds available = at("2025-02-15T12:00:00Z");
  shopper.summary = Summary{};
  shopper.summary->balance = 40;
  // Without them in the summary, the recent ledger's stand.
  EXPECT_EQ(replay(program, shopper, available - 1).pending, 100);
  // Given, they win (an order older than the recent ledger included), soonest first.
  shopper.summary->pending = 130;
  shopper.summary->pending_points = {{"1", 100, available}, {"0", 30, available - 86400}};
  const Account account = replay(program, shopper, available - 1);
  EXPECT_EQ(account.balance, 40);
  EXPECT_EQ(account.pending, 130);
  ASSERT_EQ(account.pending_points.size(), 2u);
  EXPECT_EQ(account.pending_points[0].order_id, "0");
  EXPECT_EQ(account.pending_points[1].available_at, available);
}

TEST(Replay, RefundsInsideTheWindowTakeFromThePendingPoints) {
  Program program = maple();
  program.earning[1].pending_days = 14;
  // A partial refund inside the window, then a cancellation: the balance never moves.
  Account account = replay(program,
                           customer({placed("p", "2025-02-01T12:00:00Z", "1", 5000),
                                     refunded("r", "2025-02-03T12:00:00Z", "1", 1000),
                                     cancelled("c", "2025-02-05T12:00:00Z", "1")}),
                           at("2025-03-01T00:00:00Z"));
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.owed, 0);
  EXPECT_EQ(account.pending, 0);
  EXPECT_EQ(account.lifetime_earned, 0);
  EXPECT_EQ(account.activity[1].points, -20);
  // A refund inside the window leaves the rest to become available.
  account = replay(program,
                   customer({placed("p", "2025-02-01T12:00:00Z", "1", 5000),
                             refunded("r", "2025-02-03T12:00:00Z", "1", 1000)}),
                   at("2025-03-01T00:00:00Z"));
  EXPECT_EQ(account.balance, 80);
  EXPECT_EQ(account.lifetime_earned, 80);
  // After the window a refund takes from the balance as before (and owes what it can't).
  account = replay(program,
                   customer({placed("p", "2025-02-01T12:00:00Z", "1", 5000),
                             redeemed("x", "2025-02-20T12:00:00Z", "ship", 30),
                             refunded("r", "2025-02-21T12:00:00Z", "1", 5000)}),
                   at("2025-03-01T00:00:00Z"));
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.owed, 30);
}

TEST(Replay, PendingPointsCountTowardTheTierAsTheProgramSays) {
  Program program = maple();
  program.tiers = maple_tiers();  // Gold at 1000 points earned
  program.earning[1].pending_days = 14;
  const std::vector<LedgerEntry> ledger = {placed("p", "2025-02-01T12:00:00Z", "1", 50000)};
  const EpochSeconds inside = at("2025-02-10T00:00:00Z");
  EXPECT_EQ(replay(program, customer(ledger), inside).tier.index, 1);  // 1000 pending count
  program.tiers.count_pending = false;
  EXPECT_EQ(replay(program, customer(ledger), inside).tier.index, 0);
  const Account later = replay(program, customer(ledger), at("2025-02-16T00:00:00Z"));
  EXPECT_EQ(later.tier.index, 1);
  EXPECT_EQ(later.balance, 1100);  // with Gold's entry points
}

TEST(Replay, OrderLinesLimitTheBasisAndItsRefunds) {
  Program program = maple();
  program.earning[1].min_order = 0;
  LedgerEntry order = placed("p", "2025-02-01T12:00:00Z", "1", 6000);
  OrderLine mug;
  mug.product_id = "mug";
  mug.amount = 5000;
  OrderLine gift;
  gift.product_id = "card";
  gift.amount = 1000;
  gift.kind = LineKind::gift_card;
  order.lines = {mug, gift};
  // 50.00 earns 100; a refund of 25.00 of that basis takes half.
  const Account account =
      replay(program, customer({order, refunded("r", "2025-02-02T12:00:00Z", "1", 2500)}), kNow);
  EXPECT_EQ(account.activity[0].points, 100);
  EXPECT_EQ(account.activity[1].points, -50);
  EXPECT_EQ(account.amount_spent, 2500);
}

TEST(Replay, UnknownOrdersAreWarnedAndIgnored) {
  const Account account = replay(maple(),
                                 customer({refunded("r", "2025-02-02T12:00:00Z", "nope", 100),
                                           cancelled("c", "2025-02-03T12:00:00Z", "nope")}),
                                 kNow);
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.orders, 0);
  EXPECT_EQ(warnings_at(account, "/ledger/0/orderId"), 1);
  EXPECT_EQ(warnings_at(account, "/ledger/1/orderId"), 1);
  EXPECT_TRUE(account.activity.empty());
}

TEST(Replay, ClawbackBeyondTheBalanceIsOwedAndRepaidFirst) {
  const Account account = replay(maple(),
                                 customer({
                                     earned("s", "2025-01-01T12:00:00Z", "signup", 100),
                                     placed("p", "2025-02-01T12:00:00Z", "1", 5000),  // +100
                                     redeemed("x", "2025-02-02T12:00:00Z", "ship", 150),
                                     refunded("r", "2025-02-03T12:00:00Z", "1", 5000),  // -100
                                     earned("v1", "2025-02-04T12:00:00Z", "review", 50),
                                     earned("v2", "2025-02-05T12:00:00Z", "review", 30),
                                 }),
                                 kNow);
  EXPECT_EQ(account.balance, 30);  // the 50 paid the 50 owed
  EXPECT_EQ(account.owed, 0);
  EXPECT_EQ(account.spent, 150);
  EXPECT_EQ(account.lifetime_earned, 180);
  EXPECT_EQ(lot_total(account), 30);
}

TEST(Replay, NegativeAdjustmentBeyondTheBalanceIsOwed) {
  const Account account = replay(maple(),
                                 customer({
                                     earned("s", "2025-01-01T12:00:00Z", "signup", 100),
                                     adjusted("a", "2025-02-01T12:00:00Z", -130),
                                     earned("v", "2025-02-04T12:00:00Z", "review", 20),
                                 }),
                                 kNow);
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.owed, 10);
  EXPECT_EQ(account.lifetime_earned, 120);  // negative adjustments never reduce "earned"
  EXPECT_EQ(account.activity[1].points, -130);
}

TEST(Replay, RepeatedIdsApplyOnce) {
  const LedgerEntry order = placed("p", "2025-02-01T12:00:00Z", "1", 5000);
  const Account account = replay(maple(),
                                 customer({
                                     order,
                                     order,
                                     placed("p2", "2025-02-01T13:00:00Z", "1", 5000),
                                     refunded("r", "2025-02-02T12:00:00Z", "1", 2500),
                                     refunded("r", "2025-02-02T12:00:00Z", "1", 2500),
                                 }),
                                 kNow);
  EXPECT_EQ(account.balance, 50);
  EXPECT_EQ(account.orders, 1);
  EXPECT_EQ(warnings_at(account, "/ledger/1"), 1);
  EXPECT_EQ(warnings_at(account, "/ledger/2/orderId"), 1);  // same order, new id
  EXPECT_EQ(warnings_at(account, "/ledger/4"), 1);
  EXPECT_EQ(account.activity.size(), 2u);
}

TEST(Replay, TimeOrderWithStableTies) {
  // Out of document order: the earn at 10:00 comes first, so the redemption succeeds.
  Account account = replay(maple(),
                           customer({redeemed("x", "2025-02-01T11:00:00Z", "ship", 300),
                                     earned("e", "2025-02-01T10:00:00Z", "custom-x", 300)}),
                           kNow);
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.spent, 300);
  EXPECT_EQ(account.activity[0].entry_id, "e");
  // Same instant: document order decides, and the redemption comes first, so it is skipped.
  account = replay(maple(),
                   customer({redeemed("x", "2025-02-01T10:00:00Z", "ship", 300),
                             earned("e", "2025-02-01T10:00:00Z", "custom-x", 300)}),
                   kNow);
  EXPECT_EQ(account.balance, 300);
  EXPECT_EQ(account.spent, 0);
  EXPECT_EQ(warnings_at(account, "/ledger/0/points"), 1);
}

TEST(Replay, UnknownIdsWarnButApplyPoints) {
  const Account account = replay(maple(),
                                 customer({earned("e", "2025-02-01T10:00:00Z", "mystery", 40),
                                           redeemed("x", "2025-02-02T10:00:00Z", "gone", 15)}),
                                 kNow);
  EXPECT_EQ(account.balance, 25);
  EXPECT_EQ(warnings_at(account, "/ledger/0/ruleId"), 1);
  EXPECT_EQ(warnings_at(account, "/ledger/1/rewardId"), 1);
  EXPECT_EQ(account.claims.at("mystery").size(), 1u);
}

TEST(Replay, MissingEarnPointsComeFromTheRule) {
  Program program = maple();
  Promotion promo;
  promo.id = "bonus";
  promo.starts = at("2025-02-01T00:00:00-05:00");
  promo.ends = at("2025-02-02T00:00:00-05:00");
  promo.bonus_points = 10;
  program.promotions = {promo};
  const Account account =
      replay(program,
             customer({earned("a", "2025-02-01T10:00:00-05:00", "review", std::nullopt),
                       earned("b", "2025-02-02T00:00:00-05:00", "review", std::nullopt),
                       referred("c", "2025-02-03T00:00:00-05:00", std::nullopt)}),
             kNow);
  ASSERT_EQ(account.activity.size(), 3u);
  EXPECT_EQ(account.activity[0].points, 60);   // 50 + 10 inside the promotion
  EXPECT_EQ(account.activity[1].points, 50);   // `ends` is exclusive
  EXPECT_EQ(account.activity[2].points, 500);  // the referral rule's points
  EXPECT_EQ(account.lifetime_earned, 610);
}

TEST(Replay, PromotionsScopeToTheirRules) {
  Program program = maple();
  Promotion promo;
  promo.id = "dbl";
  promo.starts = at("2026-11-27T00:00:00-05:00");
  promo.ends = at("2026-11-30T00:00:00-05:00");
  promo.multiplier_permille = 2000;
  promo.rule_ids = {"orders"};
  program.promotions = {promo};
  const Account account =
      replay(program,
             customer({placed("a", "2026-11-26T23:59:59-05:00", "1", 5000),
                       placed("b", "2026-11-27T00:00:00-05:00", "2", 5000),
                       earned("c", "2026-11-28T00:00:00-05:00", "review", std::nullopt),
                       placed("d", "2026-11-30T00:00:00-05:00", "3", 5000)}),
             at("2026-12-01T00:00:00Z"));
  ASSERT_EQ(account.activity.size(), 4u);
  EXPECT_EQ(account.activity[0].points, 100);
  EXPECT_EQ(account.activity[1].points, 200);
  EXPECT_EQ(account.activity[2].points, 50);  // not an order: the promotion does not apply
  EXPECT_EQ(account.activity[3].points, 100);
}

TEST(Replay, OrderPointsUseTheTierHeldAtThatInstant) {
  Program program = maple();
  program.tiers = maple_tiers(TierMetric::points_earned, TierWindow::lifetime);
  const Account account = replay(program,
                                 customer({
                                     placed("a", "2025-02-01T12:00:00Z", "1", 5000),  // 100
                                     adjusted("b", "2025-02-02T12:00:00Z", 900),      // gold
                                     placed("c", "2025-02-03T12:00:00Z", "2", 5000),  // 125
                                 }),
                                 kNow);
  ASSERT_EQ(account.activity.size(), 4u);
  EXPECT_EQ(account.activity[0].points, 100);
  EXPECT_EQ(account.activity[2].type, EntryType::tier_change);  // gold's entry points
  EXPECT_EQ(account.activity[2].tier_id, "gold");
  EXPECT_EQ(account.activity[2].points, 100);
  EXPECT_EQ(account.activity[3].points, 125);  // 100 + floor(100 * 250 / 1000)
  EXPECT_EQ(account.balance, 1225);
  EXPECT_EQ(account.lifetime_earned, 1225);
  EXPECT_EQ(account.tier.progress, 1125);  // entry points are not tier progress
  EXPECT_EQ(account.tier.index, 1);
}

TEST(Replay, SpendingNeverDemotes) {
  Program program = maple();
  program.tiers = maple_tiers(TierMetric::points_earned, TierWindow::lifetime);
  const Account account = replay(program,
                                 customer({
                                     adjusted("a", "2025-02-01T12:00:00Z", 1000),
                                     redeemed("b", "2025-02-02T12:00:00Z", "mug", 1100),
                                 }),
                                 kNow);
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.tier.index, 1);
}

TEST(Replay, ExpireEntriesRemoveOldestFirst) {
  const Account account = replay(maple(),
                                 customer({
                                     earned("a", "2025-01-10T12:00:00Z", "x", 100),
                                     earned("b", "2025-02-10T12:00:00Z", "y", 200),
                                     swept("c", "2025-03-10T12:00:00Z", 120),
                                     swept("d", "2025-03-11T12:00:00Z", 500),
                                 }),
                                 kNow);
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.expired, 300);
  EXPECT_EQ(account.activity[2].points, -120);
  EXPECT_EQ(account.activity[3].points, -180);
  EXPECT_EQ(warnings_at(account, "/ledger/3/points"), 1);
}

TEST(Replay, HugeValuesSaturateInsteadOfOverflowing) {
  Program program = maple();
  program.earning[1] = order_rule(1000, 1, 0, OrderBasis::total);
  const Account account =
      replay(program,
             customer({
                 earned("a", "2025-01-10T12:00:00Z", "x", kMaxSafeInteger),
                 earned("b", "2025-01-11T12:00:00Z", "x", kMaxSafeInteger),
                 placed("c", "2025-01-12T12:00:00Z", "1", INT64_MAX, 0, INT64_MAX, INT64_MAX),
                 refunded("d", "2025-01-13T12:00:00Z", "1", INT64_MAX),
                 refunded("e", "2025-01-14T12:00:00Z", "1", INT64_MAX),
                 adjusted("f", "2025-01-15T12:00:00Z", INT64_MIN),
                 adjusted("g", "2025-01-16T12:00:00Z", INT64_MAX),
                 redeemed("h", "2025-01-17T12:00:00Z", "r5", INT64_MAX),
             }),
             kNow);
  // The full refund took the capped balance to 0, the huge negative adjustment was owed and the
  // huge positive one repaid it; the redemption then found no balance.
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.owed, 0);
  EXPECT_EQ(account.spent, 0);
  EXPECT_LE(account.lifetime_earned, kMaxSafeInteger);
  EXPECT_GE(account.amount_spent, 0);
  EXPECT_EQ(lot_total(account), account.balance);
  EXPECT_GE(warnings_at(account, "/ledger/1"), 1);  // balance capped
  EXPECT_EQ(warnings_at(account, "/ledger/2"), 1);  // order points capped
  EXPECT_EQ(account.activity[2].points, kMaxSafeInteger);
}

TEST(Replay, NearTwoToThe53OrderPointsAreExact) {
  Program program = maple();
  program.earning[1] = order_rule(1, 1, 0);
  program.tiers = maple_tiers(TierMetric::orders, TierWindow::lifetime);
  program.tiers.tiers[0].multiplier_permille = 1001;
  const Points big = 4503599627370496;  // 2^52
  const Account account =
      replay(program, customer({placed("a", "2025-01-12T12:00:00Z", "1", big)}), kNow);
  // 2^52 + floor(2^52 / 1000) exactly, no double rounding.
  EXPECT_EQ(account.balance, big + 4503599627370);
}

TEST(Replay, SummaryWinsForBalancesAndTier) {
  Program program = maple();
  program.tiers = maple_tiers();
  Customer ada = customer({earned("e", "2025-02-01T10:00:00Z", "ig-follow", 25),
                           placed("p", "2025-02-02T10:00:00Z", "1", 5000)});
  Summary summary;
  summary.balance = 1250;
  summary.lifetime_earned = 3100;
  summary.spent = 1850;
  summary.tier_progress = 2100;
  summary.tier_retained_until = at("2026-01-01T00:00:00-05:00");
  summary.expiring = {{300, at("2025-12-05T10:00:00-05:00")},
                      {50, at("2025-07-01T00:00:00Z")},
                      {70, at("2025-01-01T00:00:00Z")}};
  ada.summary = summary;
  Account account = replay(program, ada, kNow);
  EXPECT_EQ(account.balance, 1250);
  EXPECT_EQ(account.lifetime_earned, 3100);
  EXPECT_EQ(account.spent, 1850);
  EXPECT_EQ(account.tier.index, 1);  // derived from 2100
  EXPECT_EQ(account.tier.progress, 2100);
  EXPECT_EQ(account.tier.retained_until, at("2026-01-01T00:00:00-05:00"));
  ASSERT_TRUE(account.next_expiry);
  EXPECT_EQ(account.next_expiry->points, 50);  // the past entry is ignored
  EXPECT_EQ(account.next_expiry->at, at("2025-07-01T00:00:00Z"));
  EXPECT_EQ(lot_total(account), 1250);
  // The ledger still feeds claims and activity.
  EXPECT_EQ(account.claims.at("ig-follow").size(), 1u);
  EXPECT_EQ(account.activity.size(), 2u);

  ada.summary->tier_id = "platinum";
  account = replay(program, ada, kNow);
  EXPECT_EQ(account.tier.index, 2);
  ada.summary->tier_id = "bronze";
  account = replay(program, ada, kNow);
  EXPECT_EQ(account.tier.index, 1);
  EXPECT_EQ(warnings_at(account, "/summary/tierId"), 1);
}

TEST(Replay, SummaryLedgerIsRecentHistoryOnly) {
  // A backend sends its summary with only the newest entries: a redemption or a sweep there is
  // activity, not a data error, even though the partial ledger alone could not cover it.
  Program program = maple();
  Customer ada = customer(
      {redeemed("r", "2025-03-01T10:00:00Z", "r5", 900), swept("x", "2025-03-02T10:00:00Z", 40)});
  Summary summary;
  summary.balance = 205;
  ada.summary = summary;
  const Account account = replay(program, ada, kNow);
  EXPECT_EQ(account.balance, 205);
  EXPECT_TRUE(account.diagnostics.empty());
  ASSERT_EQ(account.activity.size(), 2u);
  EXPECT_EQ(account.activity[0].points, -900);
  EXPECT_EQ(account.activity[1].points, -40);
}

TEST(Replay, ManyEntriesWithRepeatedIds) {
  std::vector<LedgerEntry> ledger;
  EpochSeconds t = at("2025-01-01T00:00:00Z");
  for (int i = 0; i < 3000; ++i) {
    LedgerEntry e = earned("e" + std::to_string(i % 2000), "2025-01-01T00:00:00Z", "review", 1);
    e.at = t + i;
    ledger.push_back(std::move(e));
  }
  for (int i = 0; i < 500; ++i) {
    LedgerEntry order = placed("o" + std::to_string(i), "2025-02-01T00:00:00Z",
                               "order-" + std::to_string(i % 400), 5000);
    order.at += i;
    ledger.push_back(std::move(order));
  }
  const Account account = replay(maple(), customer(std::move(ledger)), kNow);
  EXPECT_EQ(account.balance, 2000 + 400 * 100);
  EXPECT_EQ(account.orders, 400);
  EXPECT_EQ(account.diagnostics.size(), 1000u + 100u);
  EXPECT_EQ(warnings_at(account, "/ledger/2000"), 1);
  EXPECT_EQ(warnings_at(account, "/ledger/3400/orderId"), 1);
}

// A deterministic pseudo-random ledger: whatever happens, the invariants hold.
TEST(Replay, InvariantsOnARandomLedger) {
  Program program = maple();
  program.tiers =
      maple_tiers(TierMetric::points_earned, TierWindow::rolling, TierRetention::next_period);
  program.tiers.rolling_days = 60;
  program.expiry.mode = ExpiryMode::lots;
  program.expiry.lot_months = 2;
  std::uint32_t seed = 7;
  const auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  std::vector<LedgerEntry> ledger;
  EpochSeconds t = at("2024-01-01T00:00:00Z");
  for (int i = 0; i < 4000; ++i) {
    t += 1 + static_cast<EpochSeconds>(next() % 20000);  // distinct instants
    LedgerEntry e = entry("e" + std::to_string(i), EntryType::earn, "2024-01-01T00:00:00Z");
    e.at = t;
    const std::string order_id = std::to_string(next() % 300);
    switch (next() % 8) {
      case 0:
      case 1:
        e.type = EntryType::order_placed;
        e.order_id = order_id;
        e.amounts = {static_cast<MinorUnits>(next() % 30000), 0, 0, 0};
        break;
      case 2:
        e.type = EntryType::order_refunded;
        e.order_id = order_id;
        e.amount = static_cast<MinorUnits>(next() % 10000);
        break;
      case 3:
        e.type = EntryType::order_cancelled;
        e.order_id = order_id;
        break;
      case 4:
        e.rule_id = "review";
        e.points = static_cast<Points>(next() % 300);
        break;
      case 5:
        e.type = EntryType::redeem;
        e.reward_id = "r5";
        e.points = static_cast<Points>(next() % 900 + 1);
        break;
      case 6:
        e.type = EntryType::adjust;
        e.points = static_cast<Points>(next() % 1000) - 500;
        break;
      default:
        e.type = EntryType::expire;
        e.points = static_cast<Points>(next() % 200 + 1);
        break;
    }
    ledger.push_back(std::move(e));
  }
  std::vector<LedgerEntry> reversed(ledger.rbegin(), ledger.rend());
  const Account account = replay(program, customer(ledger), t + 100 * kSecondsPerDay);
  EXPECT_GE(account.balance, 0);
  EXPECT_GE(account.owed, 0);
  EXPECT_EQ(lot_total(account), account.balance);
  EXPECT_GE(account.amount_spent, 0);
  EXPECT_GE(account.orders, 0);
  for (std::size_t i = 1; i < account.activity.size(); ++i)
    ASSERT_LE(account.activity[i - 1].at, account.activity[i].at) << i;
  // Document order does not matter when instants differ.
  const Account again = replay(program, customer(reversed), t + 100 * kSecondsPerDay);
  EXPECT_EQ(again.balance, account.balance);
  EXPECT_EQ(again.owed, account.owed);
  EXPECT_EQ(again.expired, account.expired);
  EXPECT_EQ(again.lifetime_earned, account.lifetime_earned);
  EXPECT_EQ(again.tier.index, account.tier.index);
  EXPECT_EQ(again.activity.size(), account.activity.size());
}

/// A customer parsed from its ledger's JSON entries, as a backend would send it.
Customer from_json(std::string_view ledger_entries) {
  auto parsed = parse_customer(R"({"version": 1, "id": "c-1", "ledger": [)" +
                               std::string(ledger_entries) + "]}");
  EXPECT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.diagnostics.empty());
  return parsed.value.value_or(Customer{});
}

TEST(Replay, BackDatedRefundRecordedAfterARedemptionKeepsItAndOwesTheRest) {
  // 1100 points, two approved redemptions of 500, then a full refund of the order dated before
  // them but recorded after them (issue 9: it used to drop both redemptions).
  const std::string ledger = R"(
    {"id": "s", "type": "earn", "at": "2025-01-01T12:00:00Z", "ruleId": "signup", "points": 100},
    {"id": "o", "type": "order_placed", "at": "2025-02-01T12:00:00Z", "orderId": "1",
     "amounts": {"subtotal": 50000}, "points": 1000},
    {"id": "r1", "type": "redeem", "at": "2025-02-10T12:00:00Z", "rewardId": "r5", "points": 500,
     "code": "A"},
    {"id": "r2", "type": "redeem", "at": "2025-02-11T12:00:00Z",
     "recordedAt": "2025-02-11T12:00:00Z", "rewardId": "r5", "points": 500, "code": "B"},
    {"id": "x", "type": "order_refunded", "at": "2025-02-05T12:00:00Z",
     "recordedAt": "2025-02-12T12:00:00Z", "orderId": "1", "amount": 50000})";
  const Account account = replay(maple(), from_json(ledger), kNow);
  EXPECT_EQ(account.spent, 1000);  // both redemptions stand
  EXPECT_EQ(account.balance, 0);
  EXPECT_EQ(account.owed, 900);  // the clawback of 1000 found 100
  EXPECT_EQ(account.lifetime_earned, 100);
  EXPECT_EQ(warnings_at(account, "/ledger/2/points"), 0);
  EXPECT_EQ(warnings_at(account, "/ledger/3/points"), 0);
  ASSERT_EQ(account.activity.size(), 5u);
  EXPECT_EQ(account.activity[2].entry_id, "r1");
  EXPECT_EQ(account.activity[3].entry_id, "r2");
  EXPECT_EQ(account.activity[4].entry_id, "x");
  EXPECT_EQ(account.activity[4].points, -1000);
  EXPECT_EQ(account.activity[4].at, at("2025-02-05T12:00:00Z"));  // shown when it happened

  // The next order repays what is owed before anything becomes spendable.
  const Account later = replay(maple(), from_json(ledger + R"(,
    {"id": "o2", "type": "order_placed", "at": "2025-03-01T12:00:00Z", "orderId": "2",
     "amounts": {"subtotal": 50000}, "points": 1000})"),
                               kNow);
  EXPECT_EQ(later.owed, 0);
  EXPECT_EQ(later.balance, 100);
  EXPECT_EQ(later.spent, 1000);
}

TEST(Replay, EntriesApplyInTheOrderTheyWereRecorded) {
  // An adjustment that happened on January 10 but was written on March 1 comes after the
  // redemption of February 1; ties in recordedAt keep ledger order.
  const Account account = replay(maple(), from_json(R"(
    {"id": "s", "type": "earn", "at": "2025-01-01T12:00:00Z", "ruleId": "signup", "points": 100},
    {"id": "late", "type": "adjust", "at": "2025-01-10T12:00:00Z",
     "recordedAt": "2025-03-01T00:00:00Z", "points": 50, "reason": "late"},
    {"id": "r", "type": "redeem", "at": "2025-02-01T12:00:00Z", "rewardId": "flex",
     "points": 100, "code": "A"},
    {"id": "tie", "type": "adjust", "at": "2025-03-01T00:00:00Z", "points": 7, "reason": "tie"})"),
                                 kNow);
  ASSERT_EQ(account.activity.size(), 4u);
  EXPECT_EQ(account.activity[0].entry_id, "s");
  EXPECT_EQ(account.activity[1].entry_id, "r");
  EXPECT_EQ(account.activity[2].entry_id, "late");
  EXPECT_EQ(account.activity[2].at, at("2025-01-10T12:00:00Z"));
  EXPECT_EQ(account.activity[3].entry_id, "tie");
  EXPECT_EQ(account.balance, 57);
  // Inactivity and lots count from the recording.
  EXPECT_EQ(account.last_activity, at("2025-03-01T00:00:00Z"));
  ASSERT_FALSE(account.lots.empty());
  EXPECT_EQ(account.lots.back().earned_at, at("2025-03-01T00:00:00Z"));
}

TEST(Replay, TierWindowsCountAnEntryWhereItWasRecorded) {
  // An order of December 31 recorded on January 2 counts in the new year's window.
  Program program = maple();
  program.tiers = maple_tiers();
  const Account account = replay(program, from_json(R"(
    {"id": "o", "type": "order_placed", "at": "2024-12-31T12:00:00Z",
     "recordedAt": "2025-01-02T12:00:00Z", "orderId": "1", "amounts": {"subtotal": 50000},
     "points": 1000})"),
                                 kNow);
  EXPECT_EQ(account.tier.progress, 1000);
  EXPECT_EQ(account.tier.index, 1);  // gold
}

TEST(Replay, EntriesAfterNowStillCount) {
  const Account account =
      replay(maple(), customer({earned("e", "2025-06-01T00:00:05Z", "signup", 100)}), kNow);
  EXPECT_EQ(account.balance, 100);
}

}  // namespace
}  // namespace loyalty
