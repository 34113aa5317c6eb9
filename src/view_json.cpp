#include "view_json.hpp"

#include <cstdint>
#include <string>

namespace loyalty::detail {

namespace {

using nlohmann::json;

// Every value goes through these few conversions, so the serialiser is instantiated for
// std::int64_t, std::string and bool only.
json json_int(std::int64_t value) { return json(value); }
json json_text(std::string_view value) { return json(std::string(value)); }
json json_bool(bool value) { return json(value); }

template <class T, class Convert>
json optional_value(const std::optional<T>& value, Convert convert) {
  if (!value) return json(nullptr);
  return convert(*value);
}

json string_list(const std::vector<std::string>& values) {
  json list = json::array();
  for (const auto& value : values) list.push_back(json_text(value));
  return list;
}

std::string_view state_name(RewardState state) {
  switch (state) {
    case RewardState::available:
      return "available";
    case RewardState::insufficient:
      return "insufficient";
    case RewardState::locked:
      return "locked";
  }
  return "locked";
}

std::string_view state_name(EarnState state) {
  switch (state) {
    case EarnState::available:
      return "available";
    case EarnState::done:
      return "done";
    case EarnState::limit_reached:
      return "limit_reached";
    case EarnState::waiting:
      return "waiting";
    case EarnState::locked:
      return "locked";
  }
  return "locked";
}

json param_to_json(const MessageParam& param) {
  json out = json::object();
  switch (param.kind) {
    case MessageParam::Kind::points:
      out["points"] = json_int(param.value);
      break;
    case MessageParam::Kind::money:
      out = money_to_json(param.value, param.text);
      break;
    case MessageParam::Kind::date:
      out["date"] = json_text(param.text);
      break;
    case MessageParam::Kind::number:
      out["number"] = json_int(param.value);
      break;
    case MessageParam::Kind::text:
      out["text"] = json_text(param.text);
      break;
    case MessageParam::Kind::message:
      out["message"] = param.nested.empty() ? json(nullptr) : message_to_json(param.nested.front());
      break;
  }
  return out;
}

json money_view(const MoneyView& money) { return money_to_json(money.amount, money.currency); }

json tier_level_to_json(const TierLevelView& level) {
  json out = json::object();
  out["id"] = json_text(level.id);
  out["name"] = json_text(level.name);
  out["threshold"] = json_int(level.threshold);
  out["multiplierPermille"] = json_int(level.multiplier_permille);
  out["perks"] = string_list(level.perks);
  out["state"] = json_text(level.state);
  return out;
}

json reward_to_json(const RewardView& reward) {
  json out = json::object();
  out["id"] = json_text(reward.id);
  out["type"] = json_text(to_string(reward.type));
  out["title"] = message_to_json(reward.title);
  out["cost"] = json_int(reward.cost);
  out["incremental"] = optional_value(reward.incremental, [](const IncrementalView& step) {
    json incremental = json::object();
    incremental["pointsPerStep"] = json_int(step.points_per_step);
    incremental["amountPerStep"] = money_view(step.amount_per_step);
    incremental["minPoints"] = json_int(step.min_points);
    incremental["maxPoints"] = json_int(step.max_points);
    incremental["maxAffordablePoints"] = json_int(step.max_affordable_points);
    return incremental;
  });
  out["minOrder"] = optional_value(reward.min_order, money_view);
  out["couponDays"] = json_int(reward.coupon_days);
  out["state"] = json_text(state_name(reward.state));
  out["pointsToGo"] = json_int(reward.points_to_go);
  out["progressPermille"] = json_int(reward.progress_permille);
  out["lockedReason"] = optional_value(reward.locked_reason, message_to_json);
  return out;
}

json way_to_earn_to_json(const WayToEarnView& way) {
  json out = json::object();
  out["id"] = json_text(way.id);
  out["type"] = json_text(to_string(way.type));
  out["title"] = message_to_json(way.title);
  out["points"] = json_int(way.points);
  out["multiplierPermille"] = json_int(way.multiplier_permille);
  out["platform"] = optional_value(
      way.platform, [](SocialPlatform platform) { return json_text(to_string(platform)); });
  out["url"] = way.url.empty() ? json(nullptr) : json_text(way.url);
  out["limit"] = json_text(to_string(way.limit));
  out["state"] = json_text(state_name(way.state));
  out["nextEligibleAt"] = optional_value(way.next_eligible_at, json_text);
  out["claimable"] = json_bool(way.claimable);
  return out;
}

json tier_to_json(const TierView& tier) {
  json out = json::object();
  out["metric"] = json_text(to_string(tier.metric));
  out["window"] = json_text(to_string(tier.window));
  out["current"] = optional_value(tier.current, tier_level_to_json);
  out["next"] = optional_value(tier.next, tier_level_to_json);
  out["progress"] = json_int(tier.progress);
  out["toGo"] = json_int(tier.to_go);
  out["progressPermille"] = json_int(tier.progress_permille);
  out["windowEnd"] = optional_value(tier.window_end, json_text);
  out["retainedUntil"] = optional_value(tier.retained_until, json_text);
  json all = json::array();
  for (const auto& level : tier.all) all.push_back(tier_level_to_json(level));
  out["all"] = std::move(all);
  return out;
}

json referral_to_json(const ReferralView& referral) {
  json out = json::object();
  out["code"] = json_text(referral.code);
  out["link"] = json_text(referral.link);
  out["message"] = json_text(referral.message);
  out["advocateReward"] = message_to_json(referral.advocate_reward);
  out["friendReward"] = message_to_json(referral.friend_reward);
  json shares = json::array();
  for (const auto& share : referral.shares) {
    json item = json::object();
    item["channel"] = json_text(to_string(share.channel));
    item["url"] = json_text(share.url);
    shares.push_back(std::move(item));
  }
  out["shares"] = std::move(shares);
  return out;
}

json cart_preview_to_json(const CartPreviewView& preview) {
  json out = json::object();
  out["points"] = json_int(preview.points);
  out["base"] = json_int(preview.base);
  out["tierBonus"] = json_int(preview.tier_bonus);
  out["promotionBonus"] = json_int(preview.promotion_bonus);
  out["basis"] = money_view(preview.basis);
  out["refusal"] = optional_value(preview.refusal, message_to_json);
  return out;
}

json join_to_json(const JoinView& join) {
  json out = json::object();
  out["signupPoints"] = json_int(join.signup_points);
  out["waysToEarn"] = json_int(join.ways_to_earn);
  out["rewards"] = json_int(join.rewards);
  out["topReward"] = optional_value(join.top_reward, message_to_json);
  return out;
}

}  // namespace

json money_to_json(MinorUnits amount, std::string_view currency) {
  json out = json::object();
  out["money"] = json_int(amount);
  out["currency"] = json_text(currency);
  return out;
}

json message_to_json(const Message& message) {
  json params = json::object();
  for (const auto& [name, param] : message.params) params[name] = param_to_json(param);
  json out = json::object();
  out["key"] = json_text(message.key);
  out["params"] = std::move(params);
  return out;
}

json view_to_json_value(const LauncherView& view) {
  json out = json::object();
  out["version"] = json_int(view.version);
  out["state"] = json_text(view.state == ViewState::member ? "member" : "guest");
  out["locale"] = json_text(view.locale);
  out["now"] = json_text(view.now);

  json shop = json::object();
  shop["name"] = json_text(view.shop.name);
  shop["currency"] = json_text(view.shop.currency);
  shop["currencyDigits"] = json_int(view.shop.currency_digits);
  out["shop"] = std::move(shop);

  json points = json::object();
  points["singular"] = json_text(view.points.singular);
  points["plural"] = json_text(view.points.plural);
  out["points"] = std::move(points);

  json branding = json::object();
  branding["accent"] = json_text(view.branding.accent);
  branding["position"] = json_text(to_string(view.branding.position));
  branding["launcherLabel"] = json_text(view.branding.launcher_label);
  branding["icon"] = json_text(view.branding.icon);
  out["branding"] = std::move(branding);

  json labels = json::object();
  for (const auto& [key, label] : view.labels) labels[key] = json_text(label);
  out["labels"] = std::move(labels);

  out["customer"] = optional_value(view.customer, [](const CustomerView& customer) {
    json item = json::object();
    item["id"] = json_text(customer.id);
    item["firstName"] = json_text(customer.first_name);
    return item;
  });
  out["balance"] = optional_value(view.balance, [](const BalanceView& balance) {
    json item = json::object();
    item["points"] = json_int(balance.points);
    item["owed"] = json_int(balance.owed);
    item["lifetimeEarned"] = json_int(balance.lifetime_earned);
    item["spent"] = json_int(balance.spent);
    return item;
  });
  out["nextReward"] = optional_value(view.next_reward, [](const NextRewardView& next) {
    json item = json::object();
    item["rewardId"] = json_text(next.reward_id);
    item["title"] = message_to_json(next.title);
    item["cost"] = json_int(next.cost);
    item["pointsToGo"] = json_int(next.points_to_go);
    item["progressPermille"] = json_int(next.progress_permille);
    return item;
  });
  out["affordableRewardIds"] = string_list(view.affordable_reward_ids);

  json rewards = json::array();
  for (const auto& reward : view.rewards) rewards.push_back(reward_to_json(reward));
  out["rewards"] = std::move(rewards);

  json ways = json::array();
  for (const auto& way : view.ways_to_earn) ways.push_back(way_to_earn_to_json(way));
  out["waysToEarn"] = std::move(ways);

  out["tier"] = optional_value(view.tier, tier_to_json);
  out["referral"] = optional_value(view.referral, referral_to_json);
  out["expiring"] = optional_value(view.expiring, [](const ExpiringView& expiring) {
    json item = json::object();
    item["points"] = json_int(expiring.points);
    item["at"] = json_text(expiring.at);
    item["days"] = json_int(expiring.days);
    return item;
  });

  json promotions = json::array();
  for (const auto& promotion : view.promotions) {
    json item = json::object();
    item["id"] = json_text(promotion.id);
    item["name"] = json_text(promotion.name);
    item["startsAt"] = json_text(promotion.starts_at);
    item["endsAt"] = json_text(promotion.ends_at);
    item["multiplierPermille"] = json_int(promotion.multiplier_permille);
    item["bonusPoints"] = json_int(promotion.bonus_points);
    item["active"] = json_bool(promotion.active);
    promotions.push_back(std::move(item));
  }
  out["promotions"] = std::move(promotions);

  json activity = json::array();
  for (const auto& entry : view.activity) {
    json item = json::object();
    item["id"] = json_text(entry.id);
    item["type"] = json_text(to_string(entry.type));
    item["at"] = json_text(entry.at);
    item["points"] = json_int(entry.points);
    item["title"] = message_to_json(entry.title);
    activity.push_back(std::move(item));
  }
  out["activity"] = std::move(activity);

  out["cartPreview"] = optional_value(view.cart_preview, cart_preview_to_json);
  out["join"] = optional_value(view.join, join_to_json);
  return out;
}

void append_diagnostics(json& list, const std::vector<Diagnostic>& diagnostics, Severity severity,
                        std::string_view source) {
  for (const auto& diagnostic : diagnostics) {
    if (diagnostic.severity != severity) continue;
    json item = json::object();
    item["source"] = json_text(source);
    item["path"] = json_text(diagnostic.path);
    item["message"] = json_text(diagnostic.message);
    list.push_back(std::move(item));
  }
}

std::string dump_json(const json& value) {
  // Replacing invalid UTF-8 keeps dump() from throwing (it would abort without exceptions).
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace loyalty::detail

namespace loyalty {

std::string view_to_json(const LauncherView& view) {
  return detail::dump_json(detail::view_to_json_value(view));
}

}  // namespace loyalty
