#include "loyalty/view.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "earn_rules.hpp"
#include "loyalty/account.hpp"
#include "loyalty/engine.hpp"
#include "loyalty/money.hpp"
#include "loyalty/share.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

MessageParam MessageParam::points(Points points) {
  MessageParam param;
  param.kind = Kind::points;
  param.value = points;
  return param;
}

MessageParam MessageParam::money(MinorUnits amount, std::string currency) {
  MessageParam param;
  param.kind = Kind::money;
  param.value = amount;
  param.text = std::move(currency);
  return param;
}

MessageParam MessageParam::date(std::string instant) {
  MessageParam param;
  param.kind = Kind::date;
  param.text = std::move(instant);
  return param;
}

MessageParam MessageParam::number(std::int64_t number) {
  MessageParam param;
  param.kind = Kind::number;
  param.value = number;
  return param;
}

MessageParam MessageParam::plain_text(std::string text) {
  MessageParam param;
  param.kind = Kind::text;
  param.text = std::move(text);
  return param;
}

MessageParam MessageParam::message(Message message) {
  MessageParam param;
  param.kind = Kind::message;
  param.nested.push_back(std::move(message));
  return param;
}

Message Message::text(std::string text) {
  return Message{"text", {{"text", MessageParam::plain_text(std::move(text))}}};
}

namespace {

// Views, not strings: the strings are made here once, not at each of the many call sites.
Message keyed(std::string_view key) { return Message{std::string(key), {}}; }

Message keyed(std::string_view key, std::string_view param_name, MessageParam param) {
  Message message{std::string(key), {}};
  message.params.emplace_back(std::string(param_name), std::move(param));
  return message;
}

std::string_view platform_brand(SocialPlatform platform) {
  switch (platform) {
    case SocialPlatform::facebook:
      return "Facebook";
    case SocialPlatform::instagram:
      return "Instagram";
    case SocialPlatform::x:
      return "X";
    case SocialPlatform::tiktok:
      return "TikTok";
    case SocialPlatform::pinterest:
      return "Pinterest";
    case SocialPlatform::youtube:
      return "YouTube";
  }
  return "";
}

/// floor(1000 * part / whole), clamped to 0..1000; 1000 when there is nothing to reach.
int permille(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return 1000;
  auto value = mul_div_floor(std::max<std::int64_t>(part, 0), 1000, whole);
  if (!value || *value >= 1000) return 1000;
  return static_cast<int>(*value);
}

std::int64_t to_go(std::int64_t have, std::int64_t need) {
  auto missing = checked_sub(need, have);
  return missing && *missing > 0 ? *missing : 0;
}

/// The least an incremental redemption spends: the minimum, raised to at least one whole step.
Points incremental_min_cost(const IncrementalCost& cost) {
  if (cost.points_per_step <= 0) return cost.min_points;
  Points least = std::max(cost.min_points, cost.points_per_step);
  Points steps = least / cost.points_per_step + (least % cost.points_per_step != 0 ? 1 : 0);
  return checked_mul(steps, cost.points_per_step).value_or(least);
}

Points incremental_max_affordable(const IncrementalCost& cost, Points balance) {
  if (cost.points_per_step <= 0) return 0;
  Points cap = cost.max_points > 0 ? std::min(balance, cost.max_points) : balance;
  Points spend = cap / cost.points_per_step * cost.points_per_step;
  return spend >= incremental_min_cost(cost) ? spend : 0;
}

class ViewBuilder {
 public:
  ViewBuilder(const Program& program, const Customer& customer, const Context& context)
      : program_(program),
        customer_(customer),
        context_(context),
        locale_(context.locale),
        currency_(program.currency.code),
        member_(customer.member) {}

  LauncherView build() {
    if (member_) account_ = replay(program_, customer_, context_.now);
    balance_ = member_ ? account_.balance : 0;
    view_.state = member_ ? ViewState::member : ViewState::guest;
    view_.locale = context_.locale;
    view_.now = instant(context_.now);
    add_shop();
    add_rewards();
    add_ways_to_earn();
    add_promotions();
    add_cart_preview();
    if (member_) {
      view_.customer.emplace(CustomerView{customer_.id, customer_.first_name});
      view_.balance.emplace(BalanceView{account_.balance, account_.owed, account_.pending,
                                        account_.lifetime_earned, account_.spent});
      for (const PendingPoints& held : account_.pending_points)
        view_.pending.push_back({held.order_id, held.points, instant(held.available_at)});
      add_next_reward();
      add_tier();
      add_referral();
      add_expiring();
      add_activity();
      view_.warnings = account_.diagnostics;
    } else {
      add_join();
    }
    add_friend_offer();
    for (auto& warning : warnings_) view_.warnings.push_back(std::move(warning));
    return std::move(view_);
  }

 private:
  std::string instant(EpochSeconds at) const {
    return format_instant(at, context_.now_offset_minutes);
  }
  std::string text(const LocalizedText& text) const { return text.resolve(locale_); }
  MessageParam money(MinorUnits amount) const { return MessageParam::money(amount, currency_); }

  void add_shop() {
    view_.shop =
        ShopView{text(program_.name), program_.currency.code, program_.currency.minor_units};
    view_.points.forms = program_.points_names(locale_);
    view_.points.singular = view_.points.forms[static_cast<std::size_t>(PluralCategory::one)];
    view_.points.plural = view_.points.forms[static_cast<std::size_t>(PluralCategory::other)];
    view_.branding.accent = program_.branding.accent;
    view_.branding.position = program_.branding.position;
    view_.branding.launcher_label = text(program_.branding.launcher_label);
    view_.branding.icon = program_.branding.icon;
    for (const auto& [key, label] : program_.labels) view_.labels.emplace_back(key, text(label));
  }

  // ----- rewards -----

  Message reward_title(const Reward& reward) const {
    if (!reward.name.empty()) return Message::text(text(reward.name));
    if (reward.incremental) {
      Message message =
          keyed("reward.incremental", "amount", money(reward.incremental->amount_per_step));
      message.params.emplace_back("points",
                                  MessageParam::points(reward.incremental->points_per_step));
      return message;
    }
    std::string product;
    if (reward.type == RewardType::free_product) {
      product = text(reward.product_name);
      if (product.empty()) product = reward.product_id;
    }
    return value_title(reward, std::move(product));
  }

  /// A reward as a message parameter: its merchant name as text, else its worded title.
  MessageParam reward_param(std::string_view reward_id) const {
    const Reward* reward = program_.find_reward(reward_id);
    if (!reward) return MessageParam::plain_text(std::string(reward_id));
    if (!reward->name.empty()) return MessageParam::plain_text(text(reward->name));
    return MessageParam::message(reward_title(*reward));
  }

  /// The worded value of a reward by its type ("$5.00 off", "20% off", "Free shipping", ...);
  /// `product` names a free product.
  template <class RewardLike>
  Message value_title(const RewardLike& reward, std::string product) const {
    switch (reward.type) {
      case RewardType::amount_off:
        return keyed("reward.amountOff", "amount", money(reward.amount));
      case RewardType::percent_off:
        return keyed("reward.percentOff", "percent", MessageParam::number(reward.percent));
      case RewardType::free_shipping:
        if (reward.amount > 0)
          return keyed("reward.freeShippingUpTo", "amount", money(reward.amount));
        return keyed("reward.freeShipping");
      case RewardType::free_product:
        return keyed("reward.freeProduct", "product", MessageParam::plain_text(std::move(product)));
      case RewardType::store_credit:
        return keyed("reward.storeCredit", "amount", money(reward.amount));
    }
    return keyed("reward.freeShipping");
  }

  std::string tier_name(std::string_view tier_id) const {
    int index = program_.tier_index(tier_id);
    if (index < 0) return std::string(tier_id);
    return text(program_.tiers.tiers[static_cast<std::size_t>(index)].name);
  }

  /// The tier restriction that keeps the member from redeeming, if any.
  std::optional<Message> tier_lock(const Reward& reward) const {
    if (reward.tier_ids.empty()) return std::nullopt;
    int current = account_.tier.index;
    if (current >= 0 && static_cast<std::size_t>(current) < program_.tiers.tiers.size()) {
      const std::string& id = program_.tiers.tiers[static_cast<std::size_t>(current)].id;
      if (std::find(reward.tier_ids.begin(), reward.tier_ids.end(), id) != reward.tier_ids.end())
        return std::nullopt;
    }
    std::string names;
    for (const auto& id : reward.tier_ids) {
      if (!names.empty()) names += ", ";
      names += tier_name(id);
    }
    return keyed("reward.lockedTier", "tiers", MessageParam::plain_text(std::move(names)));
  }

  // ----- redemption caps -----

  std::optional<MinorUnits> cart_subtotal() const {
    if (!context_.cart) return std::nullopt;
    return context_.cart->amounts.subtotal;
  }
  Points cart_points_applied() const { return context_.cart ? context_.cart->points_applied : 0; }

  // The least an incremental redemption spends, raised to redemption.minPoints in whole steps.
  Points capped_min_cost(const IncrementalCost& cost) const {
    IncrementalCost raised = cost;
    raised.min_points = std::max(cost.min_points, program_.redemption.min_points);
    return incremental_min_cost(raised);
  }

  // Whole steps within the balance, the reward's own maximum and the program's order caps (for
  // the context's cart, when there is one); 0 when that is below the least it spends.
  Points capped_max_affordable(const IncrementalCost& cost) const {
    Points spendable = balance_;
    if (const auto cap = order_points_cap(program_, cost, cart_subtotal(), cart_points_applied()))
      spendable = std::min(spendable, *cap);
    const Points most = incremental_max_affordable(cost, spendable);
    return most >= capped_min_cost(cost) ? most : 0;
  }

  // A reward the caps refuse whatever the balance: the refusal, worded. The share cap needs the
  // cart, so without one only the points caps can lock a reward.
  std::optional<Message> cap_lock(const Reward& reward, const RewardView& item) const {
    if (item.incremental) {
      if (item.incremental->max_affordable_points > 0 || item.points_to_go > 0) return std::nullopt;
      if (!order_points_cap(program_, *reward.incremental, cart_subtotal(), cart_points_applied()))
        return std::nullopt;
    }
    RedeemRequest request{reward.id, std::nullopt, cart_subtotal(), cart_points_applied()};
    if (item.incremental) request.points = item.cost;
    Account rich;  // the caps only: a balance and tier that never refuse
    rich.balance = kMaxSafeInteger;
    rich.tier = account_.tier;
    const RedeemDecision decision = check_redeem(program_, rich, request, context_.now);
    return cap_message(decision.refusal);
  }

  std::optional<Message> cap_message(const std::string& refusal) const {
    const RedemptionLimits& limits = program_.redemption;
    if (refusal == "redeem.belowMinimumPoints")
      return keyed(refusal, "points", MessageParam::points(limits.min_points));
    if (refusal == "redeem.overOrderPoints")
      return keyed(refusal, "points", MessageParam::points(limits.max_points_per_order));
    if (refusal == "redeem.overOrderShare")
      return keyed(refusal, "percent", MessageParam::number(limits.max_order_percent));
    return std::nullopt;
  }

  void add_redemption_caps() {
    const RedemptionLimits& limits = program_.redemption;
    if (limits.max_order_percent > 0)
      view_.redemption_caps.push_back(
          keyed("redeem.capShare", "percent", MessageParam::number(limits.max_order_percent)));
    if (limits.max_points_per_order > 0)
      view_.redemption_caps.push_back(
          keyed("redeem.capPerOrder", "points", MessageParam::points(limits.max_points_per_order)));
    if (limits.min_points > 0)
      view_.redemption_caps.push_back(
          keyed("redeem.capMinimum", "points", MessageParam::points(limits.min_points)));
  }

  void add_rewards() {
    add_redemption_caps();
    view_.rewards.reserve(program_.rewards.size());
    for (const Reward& reward : program_.rewards) {
      RewardView item;
      item.id = reward.id;
      item.type = reward.type;
      item.title = reward_title(reward);
      item.cost = reward.incremental ? incremental_min_cost(*reward.incremental) : reward.cost;
      if (reward.incremental) {
        const IncrementalCost& cost = *reward.incremental;
        item.cost = capped_min_cost(cost);
        item.incremental =
            IncrementalView{cost.points_per_step, MoneyView{cost.amount_per_step, currency_},
                            cost.min_points, cost.max_points, capped_max_affordable(cost)};
      }
      if (reward.min_order > 0) item.min_order.emplace(MoneyView{reward.min_order, currency_});
      item.coupon_days = reward.coupon_days;
      item.points_to_go = to_go(balance_, item.cost);
      item.progress_permille = permille(balance_, item.cost);
      if (!member_) {
        item.state = RewardState::locked;
        item.locked_reason.emplace(keyed("reward.joinToRedeem"));
      } else if (auto lock = tier_lock(reward)) {
        item.state = RewardState::locked;
        item.locked_reason.emplace(std::move(*lock));
      } else if (auto cap = cap_lock(reward, item)) {
        item.state = RewardState::locked;
        item.locked_reason.emplace(std::move(*cap));
      } else {
        item.state = item.points_to_go == 0 ? RewardState::available : RewardState::insufficient;
      }
      if (item.state == RewardState::available) view_.affordable_reward_ids.push_back(reward.id);
      view_.rewards.push_back(std::move(item));
    }
  }

  void add_next_reward() {
    const RewardView* next = nullptr;
    for (const RewardView& reward : view_.rewards) {
      if (reward.state != RewardState::insufficient) continue;
      if (!next || reward.cost < next->cost) next = &reward;
    }
    if (!next) return;
    view_.next_reward.emplace(NextRewardView{next->id, next->title, next->cost, next->points_to_go,
                                             next->progress_permille});
  }

  // ----- ways to earn -----

  Message rule_title(const EarnRule& rule) const {
    if (!rule.name.empty()) return Message::text(text(rule.name));
    switch (rule.type) {
      case EarnType::signup:
        return keyed("earn.signup");
      case EarnType::order: {
        const bool steps = rule.rounding == EarnRounding::whole_steps;
        Message message = keyed(steps ? "earn.orderSteps" : "earn.order", "points",
                                MessageParam::points(rule.points));
        message.params.emplace_back("amount", money(rule.per));
        return message;
      }
      case EarnType::birthday:
        return keyed("earn.birthday");
      case EarnType::review:
        return keyed("earn.review");
      case EarnType::social_follow:
      case EarnType::social_share: {
        std::string brand(rule.platform ? platform_brand(*rule.platform) : "");
        return keyed(
            rule.type == EarnType::social_follow ? "earn.socialFollow" : "earn.socialShare",
            "platform", MessageParam::plain_text(std::move(brand)));
      }
      case EarnType::referral:
        return keyed("earn.referral");
      case EarnType::custom:
        return Message::text(rule.id);
    }
    return Message::text(rule.id);
  }

  static ClaimLimit effective_limit(const EarnRule& rule) {
    switch (rule.type) {
      case EarnType::signup:
        return ClaimLimit::once;
      case EarnType::order:
      case EarnType::referral:
        return ClaimLimit::unlimited;
      case EarnType::birthday:
        return ClaimLimit::per_year;
      default:
        return rule.limit;
    }
  }

  int tier_multiplier() const {
    int index = account_.tier.index;
    if (!member_ || index < 0 || static_cast<std::size_t>(index) >= program_.tiers.tiers.size())
      return 1000;
    return program_.tiers.tiers[static_cast<std::size_t>(index)].multiplier_permille;
  }

  void add_ways_to_earn() {
    for (const EarnRule& rule : program_.earning) {
      if (!rule.enabled) continue;
      WayToEarnView item;
      item.id = rule.id;
      item.type = rule.type;
      item.title = rule_title(rule);
      item.points = rule.type == EarnType::referral && rule.points == 0
                        ? program_.referral.advocate_points
                        : rule.points;
      item.platform = rule.platform;
      item.url = rule.url;
      item.limit = effective_limit(rule);
      item.multiplier_permille = tier_multiplier();
      if (!member_) {
        item.state = EarnState::locked;
      } else if (rule.type != EarnType::order && rule.type != EarnType::referral) {
        EarnBreakdown earn = earn_for_rule(program_, account_, rule, context_.now);
        item.multiplier_permille = earn.tier_multiplier_permille;
        if (earn.refusal.empty()) {
          item.state = EarnState::available;
        } else if (earn.refusal == "rule.alreadyDone") {
          item.state = EarnState::done;
        } else if (earn.refusal == "rule.limitReached") {
          item.state = EarnState::limit_reached;
        } else {
          item.state = EarnState::waiting;
        }
        if (item.state != EarnState::available && item.state != EarnState::done &&
            earn.next_eligible_at)
          item.next_eligible_at = instant(*earn.next_eligible_at);
      }
      bool opens_a_page = rule.type == EarnType::social_follow ||
                          rule.type == EarnType::social_share ||
                          (rule.type == EarnType::custom && !rule.url.empty());
      item.claimable = member_ && item.state == EarnState::available && opens_a_page;
      view_.ways_to_earn.push_back(std::move(item));
    }
  }

  // ----- tier -----

  TierLevelView tier_level(std::size_t index, int current) const {
    const Tier& tier = program_.tiers.tiers[index];
    TierLevelView level;
    level.id = tier.id;
    level.name = text(tier.name);
    level.threshold = tier.threshold;
    level.multiplier_permille = tier.multiplier_permille;
    for (const auto& perk : tier.perks) level.perks.push_back(text(perk));
    auto position = static_cast<int>(index);
    level.state = position < current ? "achieved" : position == current ? "current" : "upcoming";
    if (tier.expiry) level.expiry.emplace(expiry_message(*tier.expiry));
    return level;
  }

  static Message expiry_message(const ExpiryPolicy& policy) {
    const auto counted = [](const char* key, int count) {
      return keyed(key, "count", MessageParam::number(count));
    };
    switch (policy.mode) {
      case ExpiryMode::inactivity:
        return policy.inactivity_months > 0
                   ? counted("tier.expiry.inactivityMonths", policy.inactivity_months)
                   : counted("tier.expiry.inactivityDays", policy.inactivity_days);
      case ExpiryMode::lots:
        switch (policy.lot_period) {
          case ExpiryPeriod::quarter:
            return counted("tier.expiry.lotQuarters", policy.lot_periods);
          case ExpiryPeriod::year:
            return counted("tier.expiry.lotYears", policy.lot_periods);
          case ExpiryPeriod::month:
            break;
        }
        return counted("tier.expiry.lotMonths", policy.lot_months);
      case ExpiryMode::none:
        break;
    }
    return keyed("tier.expiry.none");
  }

  void add_tier() {
    const auto& levels = program_.tiers.tiers;
    if (levels.empty()) return;
    TierView tier;
    tier.metric = program_.tiers.metric;
    tier.window = program_.tiers.window;
    int current = account_.tier.index;
    if (current >= static_cast<int>(levels.size())) current = static_cast<int>(levels.size()) - 1;
    for (std::size_t i = 0; i < levels.size(); ++i) tier.all.push_back(tier_level(i, current));
    if (current >= 0) tier.current.emplace(tier.all[static_cast<std::size_t>(current)]);
    auto next_index = static_cast<std::size_t>(current + 1);
    tier.progress = account_.tier.progress;
    tier.currency = currency_;
    if (next_index < levels.size()) {
      tier.next.emplace(tier.all[next_index]);
      tier.to_go = to_go(tier.progress, tier.next->threshold);
      tier.progress_permille = permille(tier.progress, tier.next->threshold);
    } else {
      tier.progress_permille = 1000;
    }
    // A rolling window slides with `now`, so it has no end date worth showing.
    if (account_.tier.window_end && tier.window == TierWindow::calendar_year)
      tier.window_end = instant(*account_.tier.window_end);
    if (account_.tier.retained_until) tier.retained_until = instant(*account_.tier.retained_until);
    view_.tier.emplace(std::move(tier));
  }

  // ----- referral -----

  void add_referral() {
    const ReferralProgram& referral = program_.referral;
    if (!referral.enabled || customer_.referral_code.empty()) return;
    auto link = referral_link(referral.landing_url, customer_.referral_code);
    if (!link) {
      warnings_.push_back({"/referral/landingUrl",
                           "is not an http(s) URL with this shopper's code, so no referral card "
                           "is shown",
                           Severity::warning});
      return;
    }
    ReferralView card;
    card.code = customer_.referral_code;
    card.link = *link;
    const std::string shop = text(program_.name);
    card.message = fill_share_message(
        text(referral.message),
        {customer_.first_name, shop, card.link, card.code, context_.friend_reward_text});
    if (referral.advocate_points == 0 && !referral.advocate_reward_id.empty()) {
      card.advocate_reward =
          keyed("referral.advocateReward", "reward", reward_param(referral.advocate_reward_id));
    } else {
      card.advocate_reward = keyed("referral.advocatePoints", "points",
                                   MessageParam::points(referral.advocate_points));
    }
    card.friend_reward = value_title(referral.friend_reward, "");
    for (auto& share :
         share_links(referral.channels, {card.link, card.message, shop, referral.messenger_app_id}))
      card.shares.push_back({share.channel, std::move(share.url)});
    view_.referral.emplace(std::move(card));
  }

  /// A visitor who came through a referral link is offered the friend's reward, unless they are
  /// the advocate or already a customer who ordered (the backend refuses those too).
  void add_friend_offer() {
    const ReferralProgram& referral = program_.referral;
    if (!referral.enabled) return;
    if (!context_.page_url.empty())
      view_.referral_code_in_page = referral_code_in_url(referral.landing_url, context_.page_url);
    if (!context_.referred_by) return;
    const ReferredBy& referred = *context_.referred_by;
    if (member_) {
      if (customer_.referral_code == referred.code) return;
      for (const LedgerEntry& entry : customer_.ledger)
        if (entry.type == EntryType::order_placed) return;
    }
    FriendOfferView offer;
    offer.code = referred.code;
    offer.advocate_first_name = referred.advocate_first_name;
    offer.reward = value_title(referral.friend_reward, "");
    if (referral.friend_reward.min_order > 0)
      offer.min_order.emplace(MoneyView{referral.friend_reward.min_order, currency_});
    view_.friend_offer.emplace(std::move(offer));
  }

  // ----- expiry, promotions, activity -----

  void add_expiring() {
    if (!account_.next_expiry) return;
    const ExpiringPoints& expiring = *account_.next_expiry;
    if (expiring.points <= 0 || expiring.at <= context_.now) return;
    std::int64_t seconds_left = expiring.at - context_.now;
    auto window = checked_mul(std::max(program_.expiry.warning_days, 0), kSecondsPerDay);
    if (!window || seconds_left > *window) return;
    view_.expiring =
        ExpiringView{expiring.points, instant(expiring.at), seconds_left / kSecondsPerDay};
  }

  void add_promotions() {
    for (const Promotion& promotion : program_.promotions) {
      if (promotion.ends <= context_.now) continue;
      view_.promotions.push_back(PromotionView{
          promotion.id, text(promotion.name), instant(promotion.starts), instant(promotion.ends),
          promotion.multiplier_permille, promotion.bonus_points, promotion.starts <= context_.now});
    }
  }

  Message activity_title(const Activity& activity, const std::string& reason) const {
    switch (activity.type) {
      case EntryType::order_placed:
        return keyed("activity.orderPlaced", "order", MessageParam::plain_text(activity.order_id));
      case EntryType::order_refunded:
        return keyed("activity.orderRefunded", "order",
                     MessageParam::plain_text(activity.order_id));
      case EntryType::order_cancelled:
        return keyed("activity.orderCancelled", "order",
                     MessageParam::plain_text(activity.order_id));
      case EntryType::earn: {
        const EarnRule* rule = program_.find_rule(activity.rule_id);
        if (!rule)
          return keyed("activity.earn", "rule", MessageParam::plain_text(activity.rule_id));
        if (!rule->name.empty())
          return keyed("activity.earn", "rule", MessageParam::plain_text(text(rule->name)));
        return keyed("activity.earn", "rule", MessageParam::message(rule_title(*rule)));
      }
      case EntryType::redeem:
        return keyed("activity.redeem", "reward", reward_param(activity.reward_id));
      case EntryType::expire:
        return keyed("activity.expire");
      case EntryType::adjust:
        return keyed("activity.adjust", "reason", MessageParam::plain_text(reason));
      case EntryType::referral:
        return keyed("activity.referral");
      case EntryType::tier_change:
        return keyed("activity.tierChange", "tier",
                     MessageParam::plain_text(tier_name(activity.tier_id)));
    }
    return keyed("activity.earn");
  }

  void add_activity() {
    const auto& applied = account_.activity;
    std::size_t count = std::min(applied.size(), kMaxActivity);
    std::vector<const Activity*> shown;
    shown.reserve(count);
    for (std::size_t i = 0; i < count; ++i) shown.push_back(&applied[applied.size() - 1 - i]);
    // Adjustments show their reason, which only the ledger holds: one pass for all of them.
    std::vector<std::string> reasons(count);
    bool any_adjust = std::any_of(shown.begin(), shown.end(), [](const Activity* activity) {
      return activity->type == EntryType::adjust;
    });
    if (any_adjust) {
      for (const LedgerEntry& entry : customer_.ledger) {
        if (entry.type != EntryType::adjust) continue;
        for (std::size_t i = 0; i < count; ++i)
          if (shown[i]->type == EntryType::adjust && shown[i]->entry_id == entry.id)
            reasons[i] = entry.reason;
      }
    }
    for (std::size_t i = 0; i < count; ++i) {
      const Activity& activity = *shown[i];
      ActivityView item{activity.entry_id,
                        activity.type,
                        instant(activity.at),
                        activity.points,
                        activity_title(activity, reasons[i]),
                        std::nullopt};
      if (activity.pending_until) item.pending_until = instant(*activity.pending_until);
      view_.activity.push_back(std::move(item));
    }
  }

  // ----- cart preview and join -----

  void add_cart_preview() {
    if (!context_.cart) return;
    const EarnRule* rule = find_order_rule(program_);
    if (!rule) return;
    const Cart& cart = *context_.cart;
    if (!cart.currency.empty() && cart.currency != currency_) {
      warnings_.push_back({"/cart/currency",
                           "the cart is in " + cart.currency + " but the program counts " +
                               currency_ + ", so no points preview is shown",
                           Severity::warning});
      return;
    }
    // The cart's items as order lines, so the rule's exclusions apply as they will to the order.
    std::vector<OrderLine> lines;
    lines.reserve(cart.items.size());
    for (const CartItem& item : cart.items)
      lines.push_back({item.product_id, item.collections, item.quantity,
                       checked_mul(item.price, item.quantity).value_or(kMaxSafeInteger),
                       item.kind});
    EarnBreakdown earn = earn_for_order(program_, account_, cart.amounts, lines, context_.now);
    CartPreviewView preview;
    preview.points = earn.total;
    preview.base = earn.base;
    preview.tier_bonus = earn.tier_bonus;
    preview.promotion_bonus = earn.promotion_bonus;
    preview.basis =
        MoneyView{order_basis(rule, eligible_amounts(*rule, cart.amounts, lines)), currency_};
    if (!earn.refusal.empty()) {
      if (earn.refusal == "order.belowMinimum")
        preview.refusal.emplace(keyed(earn.refusal, "amount", money(rule->min_order)));
      else
        preview.refusal.emplace(keyed(earn.refusal));
    }
    view_.cart_preview.emplace(std::move(preview));
  }

  void add_join() {
    JoinView join;
    const EarnRule* signup = program_.find_rule_of_type(EarnType::signup);
    if (signup && signup->enabled) join.signup_points = signup->points;
    join.ways_to_earn = static_cast<std::int64_t>(view_.ways_to_earn.size());
    join.rewards = static_cast<std::int64_t>(view_.rewards.size());
    const RewardView* cheapest = nullptr;
    for (const RewardView& reward : view_.rewards)
      if (!cheapest || reward.cost < cheapest->cost) cheapest = &reward;
    if (cheapest) join.top_reward.emplace(cheapest->title);
    view_.join.emplace(std::move(join));
  }

  const Program& program_;
  const Customer& customer_;
  const Context& context_;
  const std::string& locale_;
  const std::string& currency_;
  const bool member_;
  Account account_;
  Points balance_ = 0;
  LauncherView view_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace

LauncherView build_view(const Program& program, const Customer& customer, const Context& context) {
  return ViewBuilder(program, customer, context).build();
}

}  // namespace loyalty
