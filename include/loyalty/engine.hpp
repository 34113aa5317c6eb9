// Earning and redemption decisions, shared by the launcher preview and the backend's awards.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/account.hpp"
#include "loyalty/context.hpp"
#include "loyalty/program.hpp"

namespace loyalty {

struct EarnBreakdown {
  Points base = 0;
  Points tier_bonus = 0;       // from the tier multiplier
  Points promotion_bonus = 0;  // multipliers and flat bonuses of active promotions
  Points total = 0;
  int tier_multiplier_permille = 1000;
  std::vector<std::string> promotion_ids;
  /// Why nothing is earned ("order.belowMinimum", "rule.limitReached", ...); empty when earning.
  std::string refusal;
  std::optional<EpochSeconds> next_eligible_at;
};

/// Points an order (or a cart) would earn at `at`: base = floor(basis * points / per), then
/// tier bonus = floor(base * (multiplier - 1000) / 1000), then promotions likewise on the base.
EarnBreakdown earn_for_order(const Program& program, const Account& account,
                             const OrderAmounts& order, EpochSeconds at);
/// The same for an order that gives its lines: the order rule's exclusions apply to them.
EarnBreakdown earn_for_order(const Program& program, const Account& account,
                             const OrderAmounts& order, const std::vector<OrderLine>& lines,
                             EpochSeconds at);

/// Points a one-off rule (sign-up, birthday, review, social, custom) would award now, honouring
/// its claim limit.
EarnBreakdown earn_for_rule(const Program& program, const Account& account, const EarnRule& rule,
                            EpochSeconds at);

struct RedeemRequest {
  std::string reward_id;
  std::optional<Points> points;           // incremental rewards: how many points to spend
  std::optional<MinorUnits> order_total;  // the order subtotal, when known: minimum and share
  Points points_applied = 0;  // points already redeemed on this order (maxPointsPerOrder)
};

struct RedeemDecision {
  bool ok = false;
  std::string refusal;   // message key: "redeem.insufficientPoints", "redeem.tierRestricted", ...
  Points points = 0;     // the cost to deduct
  MinorUnits value = 0;  // money value of the coupon (amount off / credit / shipping cap)
  int percent = 0;
  std::optional<EpochSeconds> coupon_expires_at;
};

/// The most points an incremental reward may spend on one order under the program's caps:
/// maxPointsPerOrder less `points_applied`, and the steps whose value fits maxOrderPercent of
/// `order_total` (when known). nullopt when nothing caps it.
std::optional<Points> order_points_cap(const Program& program, const IncrementalCost& cost,
                                       std::optional<MinorUnits> order_total,
                                       Points points_applied);

RedeemDecision check_redeem(const Program& program, const Account& account,
                            const RedeemRequest& request, EpochSeconds now);

}  // namespace loyalty
