#include "view_json.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include "json_write.hpp"

namespace loyalty::detail {

namespace {

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

template <class T, class Write>
void write_optional(JsonWriter& out, const std::optional<T>& value, Write write) {
  if (value) {
    write(out, *value);
  } else {
    out.null();
  }
}

void write_text(JsonWriter& out, const std::string& value) { out.text(value); }

void write_strings(JsonWriter& out, const std::vector<std::string>& values) {
  out.begin_array();
  for (const auto& value : values) out.text(value);
  out.end_array();
}

/// Writes name/value pairs as one object in the order nlohmann's std::map keeps them: sorted by
/// name, the last of equal names winning.
template <class Value, class Write>
void write_members(JsonWriter& out, const std::vector<std::pair<std::string, Value>>& members,
                   Write write) {
  using Member = std::pair<std::string, Value>;
  out.begin_object();
  if (members.size() == 1) {
    out.name(members.front().first);
    write(out, members.front().second);
  } else if (members.size() > 1) {
    std::vector<const Member*> order;
    order.reserve(members.size());
    for (const auto& member : members) order.push_back(&member);
    // Insertion sort: stable, small in the wasm, and linear on the usual already-sorted input.
    for (std::size_t i = 1; i < order.size(); ++i) {
      const Member* item = order[i];
      std::size_t j = i;
      for (; j > 0 && item->first < order[j - 1]->first; --j) order[j] = order[j - 1];
      order[j] = item;
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (i + 1 < order.size() && order[i + 1]->first == order[i]->first) continue;
      out.name(order[i]->first);
      write(out, order[i]->second);
    }
  }
  out.end_object();
}

void write_money_view(JsonWriter& out, const MoneyView& money) {
  write_money(out, money.amount, money.currency);
}

void write_message(JsonWriter& out, const Message& message);

void write_param(JsonWriter& out, const MessageParam& param) {
  if (param.kind == MessageParam::Kind::money) {
    write_money(out, param.value, param.text);
    return;
  }
  out.begin_object();
  switch (param.kind) {
    case MessageParam::Kind::points:
      out.key("points");
      out.integer(param.value);
      break;
    case MessageParam::Kind::money:
      break;
    case MessageParam::Kind::date:
      out.key("date");
      out.text(param.text);
      break;
    case MessageParam::Kind::number:
      out.key("number");
      out.integer(param.value);
      break;
    case MessageParam::Kind::text:
      out.key("text");
      out.text(param.text);
      break;
    case MessageParam::Kind::message:
      out.key("message");
      if (param.nested.empty()) {
        out.null();
      } else {
        write_message(out, param.nested.front());
      }
      break;
  }
  out.end_object();
}

void write_message(JsonWriter& out, const Message& message) {
  out.begin_object();
  out.key("key");
  out.text(message.key);
  out.key("params");
  write_members(out, message.params, write_param);
  out.end_object();
}

void write_tier_level(JsonWriter& out, const TierLevelView& level) {
  out.begin_object();
  out.key("expiry");
  write_optional(out, level.expiry, write_message);
  out.key("id");
  out.text(level.id);
  out.key("multiplierPermille");
  out.integer(level.multiplier_permille);
  out.key("name");
  out.text(level.name);
  out.key("perks");
  write_strings(out, level.perks);
  out.key("state");
  out.text(level.state);
  out.key("threshold");
  out.integer(level.threshold);
  out.end_object();
}

void write_reward(JsonWriter& out, const RewardView& reward) {
  out.begin_object();
  out.key("cost");
  out.integer(reward.cost);
  out.key("couponDays");
  out.integer(reward.coupon_days);
  out.key("id");
  out.text(reward.id);
  out.key("incremental");
  write_optional(out, reward.incremental, [](JsonWriter& item, const IncrementalView& step) {
    item.begin_object();
    item.key("amountPerStep");
    write_money_view(item, step.amount_per_step);
    item.key("maxAffordablePoints");
    item.integer(step.max_affordable_points);
    item.key("maxPoints");
    item.integer(step.max_points);
    item.key("minPoints");
    item.integer(step.min_points);
    item.key("pointsPerStep");
    item.integer(step.points_per_step);
    item.end_object();
  });
  out.key("lockedReason");
  write_optional(out, reward.locked_reason, write_message);
  out.key("minOrder");
  write_optional(out, reward.min_order, write_money_view);
  out.key("pointsToGo");
  out.integer(reward.points_to_go);
  out.key("progressPermille");
  out.integer(reward.progress_permille);
  out.key("state");
  out.text(state_name(reward.state));
  out.key("title");
  write_message(out, reward.title);
  out.key("type");
  out.text(to_string(reward.type));
  out.end_object();
}

void write_way_to_earn(JsonWriter& out, const WayToEarnView& way) {
  out.begin_object();
  out.key("claimable");
  out.boolean(way.claimable);
  out.key("id");
  out.text(way.id);
  out.key("limit");
  out.text(to_string(way.limit));
  out.key("multiplierPermille");
  out.integer(way.multiplier_permille);
  out.key("nextEligibleAt");
  write_optional(out, way.next_eligible_at, write_text);
  out.key("platform");
  write_optional(out, way.platform,
                 [](JsonWriter& item, SocialPlatform platform) { item.text(to_string(platform)); });
  out.key("points");
  out.integer(way.points);
  out.key("state");
  out.text(state_name(way.state));
  out.key("title");
  write_message(out, way.title);
  out.key("type");
  out.text(to_string(way.type));
  out.key("url");
  if (way.url.empty()) {
    out.null();
  } else {
    out.text(way.url);
  }
  out.end_object();
}

// A tier amount typed like a message parameter, so the web layer formats it without knowing
// what the metric counts.
void write_metric_amount(JsonWriter& out, TierMetric metric, std::int64_t value,
                         const std::string& currency) {
  switch (metric) {
    case TierMetric::amount_spent:
      write_param(out, MessageParam::money(value, currency));
      return;
    case TierMetric::orders:
      write_param(out, MessageParam::number(value));
      return;
    case TierMetric::points_earned:
      break;
  }
  write_param(out, MessageParam::points(value));
}

void write_tier(JsonWriter& out, const TierView& tier) {
  out.begin_object();
  out.key("all");
  out.begin_array();
  for (const auto& level : tier.all) write_tier_level(out, level);
  out.end_array();
  out.key("current");
  write_optional(out, tier.current, write_tier_level);
  out.key("metric");
  out.text(to_string(tier.metric));
  out.key("next");
  write_optional(out, tier.next, write_tier_level);
  out.key("progress");
  write_metric_amount(out, tier.metric, tier.progress, tier.currency);
  out.key("progressPermille");
  out.integer(tier.progress_permille);
  out.key("retainedUntil");
  write_optional(out, tier.retained_until, write_text);
  out.key("toGo");
  write_metric_amount(out, tier.metric, tier.to_go, tier.currency);
  out.key("window");
  out.text(to_string(tier.window));
  out.key("windowEnd");
  write_optional(out, tier.window_end, write_text);
  out.end_object();
}

void write_referral(JsonWriter& out, const ReferralView& referral) {
  out.begin_object();
  out.key("advocateReward");
  write_message(out, referral.advocate_reward);
  out.key("code");
  out.text(referral.code);
  out.key("friendReward");
  write_message(out, referral.friend_reward);
  out.key("link");
  out.text(referral.link);
  out.key("message");
  out.text(referral.message);
  out.key("shares");
  out.begin_array();
  for (const auto& share : referral.shares) {
    out.begin_object();
    out.key("channel");
    out.text(to_string(share.channel));
    out.key("url");
    out.text(share.url);
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

void write_friend_offer(JsonWriter& out, const FriendOfferView& offer) {
  out.begin_object();
  out.key("advocateFirstName");
  out.text(offer.advocate_first_name);
  out.key("code");
  out.text(offer.code);
  out.key("minOrder");
  write_optional(out, offer.min_order, write_money_view);
  out.key("reward");
  write_message(out, offer.reward);
  out.end_object();
}

void write_cart_preview(JsonWriter& out, const CartPreviewView& preview) {
  out.begin_object();
  out.key("base");
  out.integer(preview.base);
  out.key("basis");
  write_money_view(out, preview.basis);
  out.key("points");
  out.integer(preview.points);
  out.key("promotionBonus");
  out.integer(preview.promotion_bonus);
  out.key("refusal");
  write_optional(out, preview.refusal, write_message);
  out.key("tierBonus");
  out.integer(preview.tier_bonus);
  out.end_object();
}

void write_join(JsonWriter& out, const JoinView& join) {
  out.begin_object();
  out.key("rewards");
  out.integer(join.rewards);
  out.key("signupPoints");
  out.integer(join.signup_points);
  out.key("topReward");
  write_optional(out, join.top_reward, write_message);
  out.key("waysToEarn");
  out.integer(join.ways_to_earn);
  out.end_object();
}

void write_view(JsonWriter& out, const LauncherView& view) {
  out.begin_object();
  out.key("activity");
  out.begin_array();
  for (const auto& entry : view.activity) {
    out.begin_object();
    out.key("at");
    out.text(entry.at);
    out.key("id");
    out.text(entry.id);
    out.key("pendingUntil");
    write_optional(out, entry.pending_until, write_text);
    out.key("points");
    out.integer(entry.points);
    out.key("title");
    write_message(out, entry.title);
    out.key("type");
    out.text(to_string(entry.type));
    out.end_object();
  }
  out.end_array();
  out.key("affordableRewardIds");
  write_strings(out, view.affordable_reward_ids);
  out.key("balance");
  write_optional(out, view.balance, [](JsonWriter& item, const BalanceView& balance) {
    item.begin_object();
    item.key("lifetimeEarned");
    item.integer(balance.lifetime_earned);
    item.key("owed");
    item.integer(balance.owed);
    item.key("pending");
    item.integer(balance.pending);
    item.key("points");
    item.integer(balance.points);
    item.key("spent");
    item.integer(balance.spent);
    item.end_object();
  });
  out.key("branding");
  out.begin_object();
  out.key("accent");
  out.text(view.branding.accent);
  out.key("icon");
  out.text(view.branding.icon);
  out.key("launcherLabel");
  out.text(view.branding.launcher_label);
  out.key("position");
  out.text(to_string(view.branding.position));
  out.end_object();
  out.key("cartPreview");
  write_optional(out, view.cart_preview, write_cart_preview);
  out.key("customer");
  write_optional(out, view.customer, [](JsonWriter& item, const CustomerView& customer) {
    item.begin_object();
    item.key("firstName");
    item.text(customer.first_name);
    item.key("id");
    item.text(customer.id);
    item.end_object();
  });
  out.key("expiring");
  write_optional(out, view.expiring, [](JsonWriter& item, const ExpiringView& expiring) {
    item.begin_object();
    item.key("at");
    item.text(expiring.at);
    item.key("days");
    item.integer(expiring.days);
    item.key("points");
    item.integer(expiring.points);
    item.end_object();
  });
  out.key("friendOffer");
  write_optional(out, view.friend_offer, write_friend_offer);
  out.key("join");
  write_optional(out, view.join, write_join);
  out.key("labels");
  write_members(out, view.labels, write_text);
  out.key("locale");
  out.text(view.locale);
  out.key("nextReward");
  write_optional(out, view.next_reward, [](JsonWriter& item, const NextRewardView& next) {
    item.begin_object();
    item.key("cost");
    item.integer(next.cost);
    item.key("pointsToGo");
    item.integer(next.points_to_go);
    item.key("progressPermille");
    item.integer(next.progress_permille);
    item.key("rewardId");
    item.text(next.reward_id);
    item.key("title");
    write_message(item, next.title);
    item.end_object();
  });
  out.key("now");
  out.text(view.now);
  out.key("pending");
  out.begin_array();
  for (const auto& held : view.pending) {
    out.begin_object();
    out.key("availableAt");
    out.text(held.available_at);
    out.key("orderId");
    out.text(held.order_id);
    out.key("points");
    out.integer(held.points);
    out.end_object();
  }
  out.end_array();
  out.key("points");
  out.begin_object();
  out.key("forms");
  out.begin_object();
  // Keys in byte order, like every object the core writes.
  for (auto category : {PluralCategory::few, PluralCategory::many, PluralCategory::one,
                        PluralCategory::other, PluralCategory::two, PluralCategory::zero}) {
    out.key(to_string(category));
    out.text(view.points.forms[static_cast<std::size_t>(category)]);
  }
  out.end_object();
  out.key("plural");
  out.text(view.points.plural);
  out.key("singular");
  out.text(view.points.singular);
  out.end_object();
  out.key("promotions");
  out.begin_array();
  for (const auto& promotion : view.promotions) {
    out.begin_object();
    out.key("active");
    out.boolean(promotion.active);
    out.key("bonusPoints");
    out.integer(promotion.bonus_points);
    out.key("endsAt");
    out.text(promotion.ends_at);
    out.key("id");
    out.text(promotion.id);
    out.key("multiplierPermille");
    out.integer(promotion.multiplier_permille);
    out.key("name");
    out.text(promotion.name);
    out.key("startsAt");
    out.text(promotion.starts_at);
    out.end_object();
  }
  out.end_array();
  out.key("redemptionCaps");
  out.begin_array();
  for (const auto& cap : view.redemption_caps) write_message(out, cap);
  out.end_array();
  out.key("referral");
  write_optional(out, view.referral, write_referral);
  out.key("referralCodeInPage");
  write_optional(out, view.referral_code_in_page, write_text);
  out.key("rewards");
  out.begin_array();
  for (const auto& reward : view.rewards) write_reward(out, reward);
  out.end_array();
  out.key("shop");
  out.begin_object();
  out.key("currency");
  out.text(view.shop.currency);
  out.key("currencyDigits");
  out.integer(view.shop.currency_digits);
  out.key("name");
  out.text(view.shop.name);
  out.end_object();
  out.key("state");
  out.text(view.state == ViewState::member ? "member" : "guest");
  out.key("tier");
  write_optional(out, view.tier, write_tier);
  out.key("version");
  out.integer(view.version);
  out.key("waysToEarn");
  out.begin_array();
  for (const auto& way : view.ways_to_earn) write_way_to_earn(out, way);
  out.end_array();
  out.end_object();
}

}  // namespace

void write_view_json(JsonWriter& out, const LauncherView& view) { write_view(out, view); }

}  // namespace loyalty::detail

namespace loyalty {

std::string view_to_json(const LauncherView& view) {
  std::string out;
  detail::JsonWriter writer(out);
  detail::write_view_json(writer, view);
  return out;
}

}  // namespace loyalty
