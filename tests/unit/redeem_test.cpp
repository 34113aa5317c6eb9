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

}  // namespace
}  // namespace loyalty
