// Redemption decisions: may this account spend these points on this reward now?
#include <algorithm>

#include "loyalty/engine.hpp"

namespace loyalty {

namespace {

bool tier_allowed(const Program& program, const Account& account, const Reward& reward) {
  if (reward.tier_ids.empty()) return true;
  const int index = account.tier.index;
  if (index < 0 || static_cast<std::size_t>(index) >= program.tiers.tiers.size()) return false;
  const std::string& tier_id = program.tiers.tiers[static_cast<std::size_t>(index)].id;
  return std::find(reward.tier_ids.begin(), reward.tier_ids.end(), tier_id) !=
         reward.tier_ids.end();
}

// The coupon's money value for a fixed-cost reward (the shipping cap for free shipping).
MinorUnits fixed_value(const Reward& reward) {
  switch (reward.type) {
    case RewardType::amount_off:
    case RewardType::store_credit:
    case RewardType::free_shipping:
      return reward.amount;
    case RewardType::percent_off:
    case RewardType::free_product:
      break;
  }
  return 0;
}

// The most money points may pay on an order of `order_total`: floor(total * percent / 100).
std::optional<MinorUnits> order_share_cap(const RedemptionLimits& limits,
                                          std::optional<MinorUnits> order_total) {
  if (limits.max_order_percent <= 0 || !order_total) return std::nullopt;
  return mul_div_floor(std::max<MinorUnits>(*order_total, 0), limits.max_order_percent, 100);
}

// What a redemption takes off the order, for the share cap; nullopt when it has no money value
// the core can know (a free product, shipping).
std::optional<MinorUnits> order_value(const Reward& reward, MinorUnits value,
                                      std::optional<MinorUnits> order_total) {
  switch (reward.type) {
    case RewardType::amount_off:
    case RewardType::store_credit:
      return value;
    case RewardType::percent_off:
      if (!order_total) return std::nullopt;
      return mul_div_floor(std::max<MinorUnits>(*order_total, 0), reward.percent, 100);
    case RewardType::free_shipping:
    case RewardType::free_product:
      break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Points> order_points_cap(const Program& program, const IncrementalCost& cost,
                                       std::optional<MinorUnits> order_total,
                                       Points points_applied) {
  std::optional<Points> cap;
  const RedemptionLimits& limits = program.redemption;
  if (limits.max_points_per_order > 0)
    cap = std::max<Points>(0, limits.max_points_per_order - std::max<Points>(points_applied, 0));
  if (const auto money = order_share_cap(limits, order_total);
      money && cost.amount_per_step > 0 && cost.points_per_step > 0) {
    const Points steps = *money / cost.amount_per_step;
    const Points points = checked_mul(steps, cost.points_per_step).value_or(kMaxSafeInteger);
    cap = cap ? std::min(*cap, points) : points;
  }
  return cap;
}

RedeemDecision check_redeem(const Program& program, const Account& account,
                            const RedeemRequest& request, EpochSeconds now) {
  RedeemDecision decision;
  const Reward* reward = program.find_reward(request.reward_id);
  if (!reward) {
    decision.refusal = "redeem.unknownReward";
    return decision;
  }
  decision.percent = reward->type == RewardType::percent_off ? reward->percent : 0;

  // Order of checks: who may redeem, then the order, then the request, then the balance, so the
  // shopper hears the reason that more points would not fix first.
  if (!tier_allowed(program, account, *reward)) {
    decision.refusal = "redeem.tierRestricted";
    return decision;
  }
  if (request.order_total && *request.order_total < reward->min_order) {
    decision.refusal = "redeem.belowMinimum";
    return decision;
  }

  if (reward->incremental) {
    const IncrementalCost& cost = *reward->incremental;
    const Points points = request.points.value_or(0);
    const bool whole_steps = cost.points_per_step > 0 && points % cost.points_per_step == 0;
    const bool in_range = points > 0 && points >= cost.min_points &&
                          (cost.max_points <= 0 || points <= cost.max_points);
    if (!whole_steps || !in_range) {
      decision.refusal = "redeem.invalidPoints";
      return decision;
    }
    // points / pointsPerStep * amountPerStep, exact because points is a whole number of steps.
    const auto value = mul_div_floor(points, cost.amount_per_step, cost.points_per_step);
    if (!value || *value > kMaxSafeInteger) {
      decision.refusal = "redeem.invalidPoints";
      return decision;
    }
    decision.points = points;
    decision.value = *value;
  } else {
    decision.points = reward->cost;
    decision.value = fixed_value(*reward);
  }

  // The program's caps: they are about the order and the request, so they come before the
  // balance too.
  const RedemptionLimits& limits = program.redemption;
  if (decision.points < limits.min_points) {
    decision.refusal = "redeem.belowMinimumPoints";
    return decision;
  }
  if (limits.max_points_per_order > 0 &&
      saturating_add(decision.points, std::max<Points>(request.points_applied, 0)) >
          limits.max_points_per_order) {
    decision.refusal = "redeem.overOrderPoints";
    return decision;
  }
  if (const auto cap = order_share_cap(limits, request.order_total)) {
    const auto value = order_value(*reward, decision.value, request.order_total);
    if (value && *value > *cap) {
      decision.refusal = "redeem.overOrderShare";
      return decision;
    }
  }

  if (decision.points > account.balance) {
    decision.refusal = "redeem.insufficientPoints";
    return decision;
  }
  if (reward->coupon_days > 0)
    decision.coupon_expires_at =
        saturating_add(now, static_cast<std::int64_t>(reward->coupon_days) * kSecondsPerDay);
  decision.ok = true;
  return decision;
}

}  // namespace loyalty
