// Builders for programs, customers and ledger entries in C++, for the engine's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "loyalty/account.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/engine.hpp"
#include "loyalty/program.hpp"
#include "loyalty/time.hpp"

namespace loyalty::fixtures {

/// An RFC 3339 instant as epoch seconds; fails the test on a typo.
inline EpochSeconds at(std::string_view text) {
  const auto parsed = parse_instant(text);
  EXPECT_TRUE(parsed.has_value()) << "bad instant in test: " << text;
  return parsed ? parsed->epoch : 0;
}

inline LocalizedText text(std::string value) { return LocalizedText{{{"", std::move(value)}}}; }

inline EarnRule order_rule(Points points = 5, MinorUnits per = 250, MinorUnits min_order = 1000,
                           OrderBasis basis = OrderBasis::subtotal_after_discounts) {
  EarnRule rule;
  rule.id = "orders";
  rule.type = EarnType::order;
  rule.points = points;
  rule.per = per;
  rule.min_order = min_order;
  rule.basis = basis;
  return rule;
}

inline EarnRule rule(std::string id, EarnType type, Points points,
                     ClaimLimit limit = ClaimLimit::once) {
  EarnRule out;
  out.id = std::move(id);
  out.type = type;
  out.points = points;
  out.limit = limit;
  return out;
}

inline Tier tier(std::string id, std::int64_t threshold, int multiplier_permille = 1000,
                 Points entry_points = 0) {
  Tier out;
  out.id = std::move(id);
  out.name = text(out.id);
  out.threshold = threshold;
  out.multiplier_permille = multiplier_permille;
  out.entry_points = entry_points;
  return out;
}

inline Reward fixed_reward(std::string id, RewardType type, Points cost, MinorUnits amount = 0) {
  Reward out;
  out.id = std::move(id);
  out.type = type;
  out.cost = cost;
  out.amount = amount;
  return out;
}

/// The contract's example program ("Maple & Co", -05:00), without tiers, promotions or expiry
/// unless a test adds them.
inline Program maple() {
  Program program;
  program.id = "maple";
  program.name = text("Maple & Co");
  program.utc_offset_minutes = -300;
  program.zone = loyalty::TimeZone{-300, {}};
  program.earning = {
      rule("signup", EarnType::signup, 100),
      order_rule(),
      [] {
        EarnRule birthday = rule("birthday", EarnType::birthday, 200);
        birthday.wait_days = 30;
        return birthday;
      }(),
      rule("review", EarnType::review, 50, ClaimLimit::unlimited),
      rule("ig-follow", EarnType::social_follow, 25, ClaimLimit::once),
      rule("fb-share", EarnType::social_share, 10, ClaimLimit::per_week),
      rule("referral", EarnType::referral, 500),
      rule("profile", EarnType::custom, 50, ClaimLimit::once),
  };
  Reward flex;
  flex.id = "flex";
  flex.type = RewardType::amount_off;
  flex.incremental = IncrementalCost{100, 100, 100, 5000};
  Reward percent = fixed_reward("r20pct", RewardType::percent_off, 1000);
  percent.percent = 20;
  percent.min_order = 5000;
  Reward credit = fixed_reward("credit", RewardType::store_credit, 900, 1000);
  credit.tier_ids = {"gold"};
  Reward mug = fixed_reward("mug", RewardType::free_product, 1500);
  mug.product_id = "sku-mug";
  program.rewards = {fixed_reward("r5", RewardType::amount_off, 500, 500),
                     percent,
                     fixed_reward("ship", RewardType::free_shipping, 300),
                     mug,
                     credit,
                     flex};
  return program;
}

/// Silver 0, Gold 1000 (1.25x, 100 entry points), Platinum 3000 (1.5x).
inline TierProgram maple_tiers(TierMetric metric = TierMetric::points_earned,
                               TierWindow window = TierWindow::calendar_year,
                               TierRetention retention = TierRetention::none) {
  TierProgram tiers;
  tiers.metric = metric;
  tiers.window = window;
  tiers.retention = retention;
  tiers.tiers = {tier("silver", 0), tier("gold", 1000, 1250, 100), tier("platinum", 3000, 1500)};
  return tiers;
}

inline LedgerEntry entry(std::string id, EntryType type, std::string_view when) {
  LedgerEntry out;
  out.id = std::move(id);
  out.type = type;
  out.at = at(when);
  return out;
}

inline LedgerEntry placed(std::string id, std::string_view when, std::string order_id,
                          MinorUnits subtotal, MinorUnits discount = 0, MinorUnits shipping = 0,
                          MinorUnits tax = 0) {
  LedgerEntry out = entry(std::move(id), EntryType::order_placed, when);
  out.order_id = std::move(order_id);
  out.amounts = {subtotal, discount, shipping, tax};
  return out;
}

inline LedgerEntry placed_with_points(std::string id, std::string_view when, std::string order_id,
                                      MinorUnits subtotal, Points points) {
  LedgerEntry out = placed(std::move(id), when, std::move(order_id), subtotal);
  out.points = points;
  return out;
}

inline LedgerEntry refunded(std::string id, std::string_view when, std::string order_id,
                            MinorUnits amount) {
  LedgerEntry out = entry(std::move(id), EntryType::order_refunded, when);
  out.order_id = std::move(order_id);
  out.amount = amount;
  return out;
}

inline LedgerEntry cancelled(std::string id, std::string_view when, std::string order_id) {
  LedgerEntry out = entry(std::move(id), EntryType::order_cancelled, when);
  out.order_id = std::move(order_id);
  return out;
}

inline LedgerEntry earned(std::string id, std::string_view when, std::string rule_id,
                          std::optional<Points> points) {
  LedgerEntry out = entry(std::move(id), EntryType::earn, when);
  out.rule_id = std::move(rule_id);
  out.points = points;
  return out;
}

inline LedgerEntry redeemed(std::string id, std::string_view when, std::string reward_id,
                            Points points) {
  LedgerEntry out = entry(std::move(id), EntryType::redeem, when);
  out.reward_id = std::move(reward_id);
  out.points = points;
  return out;
}

inline LedgerEntry adjusted(std::string id, std::string_view when, Points points) {
  LedgerEntry out = entry(std::move(id), EntryType::adjust, when);
  out.points = points;
  out.reason = "test";
  return out;
}

inline LedgerEntry swept(std::string id, std::string_view when, Points points) {
  LedgerEntry out = entry(std::move(id), EntryType::expire, when);
  out.points = points;
  return out;
}

inline LedgerEntry referred(std::string id, std::string_view when, std::optional<Points> points) {
  LedgerEntry out = entry(std::move(id), EntryType::referral, when);
  out.points = points;
  return out;
}

inline LedgerEntry assigned(std::string id, std::string_view when, std::string tier_id,
                            std::optional<EpochSeconds> until = std::nullopt) {
  LedgerEntry out = entry(std::move(id), EntryType::tier_change, when);
  out.tier_id = std::move(tier_id);
  out.until = until;
  return out;
}

inline Customer customer(std::vector<LedgerEntry> ledger) {
  Customer out;
  out.id = "c-1001";
  out.first_name = "Ada";
  out.ledger = std::move(ledger);
  return out;
}

/// Number of warnings whose path is exactly `path`.
inline int warnings_at(const Account& account, std::string_view path) {
  int count = 0;
  for (const Diagnostic& d : account.diagnostics)
    if (d.path == path && d.severity == Severity::warning) ++count;
  return count;
}

/// Sum of lot remainders; must equal the balance.
inline Points lot_total(const Account& account) {
  Points total = 0;
  for (const Lot& lot : account.lots) total += lot.remaining;
  return total;
}

}  // namespace loyalty::fixtures
