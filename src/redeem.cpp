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

}  // namespace

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
