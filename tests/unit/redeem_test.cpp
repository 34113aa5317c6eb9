#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "loyalty/engine.hpp"

namespace loyalty {
namespace {

using namespace fixtures;

const EpochSeconds kNow = at("2026-11-23T10:00:00-05:00");

Account with_balance(Points balance, int tier_index = -1) {
  Account account;
  account.balance = balance;
  account.tier.index = tier_index;
  return account;
}

RedeemDecision ask(const Program& program, const Account& account, std::string reward_id,
                   std::optional<Points> points = std::nullopt,
                   std::optional<MinorUnits> order_total = std::nullopt) {
  return check_redeem(program, account, {std::move(reward_id), points, order_total}, kNow);
}

TEST(Redeem, FixedRewardsAtAndJustUnderTheCost) {
  const Program program = maple();
  RedeemDecision decision = ask(program, with_balance(500), "r5");
  EXPECT_TRUE(decision.ok);
  EXPECT_TRUE(decision.refusal.empty());
  EXPECT_EQ(decision.points, 500);
  EXPECT_EQ(decision.value, 500);
  EXPECT_FALSE(decision.coupon_expires_at);
  decision = ask(program, with_balance(499), "r5");
  EXPECT_FALSE(decision.ok);
  EXPECT_EQ(decision.refusal, "redeem.insufficientPoints");
  EXPECT_EQ(decision.points, 500);  // so the caller can say how many are missing
}

TEST(Redeem, RewardShapes) {
  Program program = maple();
  program.tiers = maple_tiers();
  const Account rich = with_balance(10000, 1);  // gold
  RedeemDecision decision = ask(program, rich, "r20pct");
  EXPECT_TRUE(decision.ok);
  EXPECT_EQ(decision.percent, 20);
  EXPECT_EQ(decision.value, 0);
  decision = ask(program, rich, "mug");
  EXPECT_TRUE(decision.ok);
  EXPECT_EQ(decision.points, 1500);
  decision = ask(program, rich, "credit");
  EXPECT_TRUE(decision.ok);
  EXPECT_EQ(decision.value, 1000);
  EXPECT_EQ(decision.points, 900);
}

TEST(Redeem, Refusals) {
  Program program = maple();
  program.tiers = maple_tiers();
  EXPECT_EQ(ask(program, with_balance(10000), "nope").refusal, "redeem.unknownReward");
  // "credit" is for gold only.
  EXPECT_EQ(ask(program, with_balance(10000, 0), "credit").refusal, "redeem.tierRestricted");
  EXPECT_EQ(ask(program, with_balance(10000, -1), "credit").refusal, "redeem.tierRestricted");
  EXPECT_EQ(ask(program, with_balance(10000, 2), "credit").refusal, "redeem.tierRestricted");
  EXPECT_TRUE(ask(program, with_balance(10000, 1), "credit").ok);
  // Minimum order only when the order total is known.
  EXPECT_EQ(ask(program, with_balance(10000), "r20pct", std::nullopt, 4999).refusal,
            "redeem.belowMinimum");
  EXPECT_TRUE(ask(program, with_balance(10000), "r20pct", std::nullopt, 5000).ok);
  EXPECT_TRUE(ask(program, with_balance(10000), "r20pct").ok);
  // Tier beats balance: more points would not help.
  EXPECT_EQ(ask(program, with_balance(0, 0), "credit").refusal, "redeem.tierRestricted");
}

TEST(Redeem, IncrementalSteps) {
  const Program program = maple();  // flex: 100 points per 100 cents, 100..5000
  const Account account = with_balance(1250);
  RedeemDecision decision = ask(program, account, "flex", 300);
  EXPECT_TRUE(decision.ok);
  EXPECT_EQ(decision.points, 300);
  EXPECT_EQ(decision.value, 300);
  EXPECT_EQ(ask(program, account, "flex", 100).value, 100);
  EXPECT_EQ(ask(program, account, "flex", 250).refusal, "redeem.invalidPoints");
  EXPECT_EQ(ask(program, account, "flex", 0).refusal, "redeem.invalidPoints");
  EXPECT_EQ(ask(program, account, "flex", -100).refusal, "redeem.invalidPoints");
  EXPECT_EQ(ask(program, account, "flex").refusal, "redeem.invalidPoints");
  EXPECT_EQ(ask(program, account, "flex", 1300).refusal, "redeem.insufficientPoints");
  EXPECT_EQ(ask(program, with_balance(10000), "flex", 5000).value, 5000);
  EXPECT_EQ(ask(program, with_balance(10000), "flex", 5100).refusal, "redeem.invalidPoints");

  Program steps = program;
  steps.rewards[5].incremental = IncrementalCost{250, 100, 500, 0};  // $1 per 250, no cap
  EXPECT_EQ(ask(steps, with_balance(100000), "flex", 250).refusal, "redeem.invalidPoints");
  EXPECT_EQ(ask(steps, with_balance(100000), "flex", 750).value, 300);
  EXPECT_EQ(ask(steps, with_balance(100000), "flex", 100000).value, 40000);
}

TEST(Redeem, IncrementalHugeValuesDoNotOverflow) {
  Program program = maple();
  program.rewards[5].incremental = IncrementalCost{1, kMaxSafeInteger, 1, 0};
  const Account account = with_balance(kMaxSafeInteger);
  EXPECT_EQ(ask(program, account, "flex", 1).value, kMaxSafeInteger);
  EXPECT_EQ(ask(program, account, "flex", 2).refusal, "redeem.invalidPoints");
  EXPECT_EQ(ask(program, account, "flex", kMaxSafeInteger).refusal, "redeem.invalidPoints");
}

TEST(Redeem, CouponExpiry) {
  Program program = maple();
  program.rewards[0].coupon_days = 30;
  const RedeemDecision decision = ask(program, with_balance(500), "r5");
  EXPECT_TRUE(decision.ok);
  EXPECT_EQ(decision.coupon_expires_at, at("2026-12-23T10:00:00-05:00"));
}

TEST(Redeem, FreeShippingCap) {
  Program program = maple();
  program.rewards[2].amount = 800;
  const RedeemDecision decision = ask(program, with_balance(300), "ship");
  EXPECT_TRUE(decision.ok);
  EXPECT_EQ(decision.value, 800);
}

// maple's flex: $1 per 100 points in steps of 100, 100..5000.
TEST(Redeem, ProgramCapsAtJustUnderAndJustOver) {
  Program program = maple();
  program.redemption.min_points = 300;
  EXPECT_EQ(ask(program, with_balance(5000), "flex", 200).refusal, "redeem.belowMinimumPoints");
  EXPECT_TRUE(ask(program, with_balance(5000), "flex", 300).ok);
  EXPECT_TRUE(ask(program, with_balance(5000), "ship").ok);  // costs 300
  program.redemption.min_points = 301;
  EXPECT_EQ(ask(program, with_balance(5000), "ship").refusal, "redeem.belowMinimumPoints");

  program = maple();
  program.redemption.max_points_per_order = 1000;
  EXPECT_TRUE(ask(program, with_balance(5000), "flex", 1000).ok);
  EXPECT_EQ(ask(program, with_balance(5000), "flex", 1100).refusal, "redeem.overOrderPoints");
  // Points already on the order count.
  RedeemDecision decision =
      check_redeem(program, with_balance(5000), {"flex", 600, std::nullopt, 400}, kNow);
  EXPECT_TRUE(decision.ok);
  decision = check_redeem(program, with_balance(5000), {"flex", 700, std::nullopt, 400}, kNow);
  EXPECT_EQ(decision.refusal, "redeem.overOrderPoints");
  // A cap refusal comes before the balance: more points would not help.
  EXPECT_EQ(ask(program, with_balance(0), "mug").refusal, "redeem.overOrderPoints");

  // Points may pay at most 10% of the order: $5.00 of a $50.00 order.
  program = maple();
  program.redemption.max_order_percent = 10;
  EXPECT_TRUE(ask(program, with_balance(5000), "flex", 500, 5000).ok);
  EXPECT_EQ(ask(program, with_balance(5000), "flex", 600, 5000).refusal, "redeem.overOrderShare");
  EXPECT_TRUE(ask(program, with_balance(5000), "r5", std::nullopt, 5000).ok);  // $5 of $50
  EXPECT_EQ(ask(program, with_balance(5000), "r5", std::nullopt, 4999).refusal,
            "redeem.overOrderShare");  // $5 of $49.99: the cap is $4.99
  // 20% off is more than 10% of any order; a free product or shipping has no known value.
  EXPECT_EQ(ask(program, with_balance(5000), "r20pct", std::nullopt, 6000).refusal,
            "redeem.overOrderShare");
  EXPECT_TRUE(ask(program, with_balance(5000), "mug", std::nullopt, 100).ok);
  // Without the order total the share is left to checkout.
  EXPECT_TRUE(ask(program, with_balance(5000), "flex", 5000).ok);
}

TEST(Redeem, OrderPointsCap) {
  Program program = maple();
  const IncrementalCost& flex = *program.find_reward("flex")->incremental;
  EXPECT_FALSE(order_points_cap(program, flex, 5000, 0));
  program.redemption.max_order_percent = 10;
  EXPECT_EQ(order_points_cap(program, flex, 5000, 0), 500);
  EXPECT_EQ(order_points_cap(program, flex, 5099, 0), 500);  // whole steps: $5.09 -> $5
  EXPECT_FALSE(order_points_cap(program, flex, std::nullopt, 0));
  program.redemption.max_points_per_order = 400;
  EXPECT_EQ(order_points_cap(program, flex, 5000, 0), 400);
  EXPECT_EQ(order_points_cap(program, flex, std::nullopt, 300), 100);
  EXPECT_EQ(order_points_cap(program, flex, std::nullopt, 900), 0);
}

}  // namespace
}  // namespace loyalty
