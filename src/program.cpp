#include "loyalty/program.hpp"

#include "loyalty/customer.hpp"

namespace loyalty {
namespace {

// Language tags compare case-insensitively ("zh-hant" finds "zh-Hant").
bool same_tag(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The first of `items` whose tag(item) is `locale` or, dropping subtags from the right, one of
// its parents ("zh-Hant-TW" -> "zh-Hant" -> "zh"); null when none is.
template <class Item, class Tag>
const Item* find_for_locale(const std::vector<Item>& items, std::string_view locale, Tag tag) {
  std::string_view candidate = locale;
  while (!candidate.empty()) {
    for (const Item& item : items)
      if (same_tag(tag(item), candidate)) return &item;
    const auto dash = candidate.rfind('-');
    if (dash == std::string_view::npos) break;
    candidate = candidate.substr(0, dash);
  }
  return nullptr;
}

}  // namespace

std::string LocalizedText::resolve(std::string_view locale) const {
  if (variants.empty()) return {};
  using Variant = std::pair<std::string, std::string>;
  const auto tag_of = [](const Variant& variant) -> const std::string& { return variant.first; };
  if (const Variant* own = find_for_locale(variants, locale, tag_of)) return own->second;
  auto find = [&](std::string_view tag) -> const std::string* {
    for (const auto& [variant_tag, text] : variants)
      if (same_tag(variant_tag, tag)) return &text;
    return nullptr;
  };
  if (const std::string* plain = find("")) return *plain;
  if (const std::string* english = find("en")) return *english;
  return variants.front().second;
}

const EarnRule* Program::find_rule(std::string_view id) const {
  for (const auto& rule : earning)
    if (rule.id == id) return &rule;
  return nullptr;
}

const EarnRule* Program::find_rule_of_type(EarnType type) const {
  for (const auto& rule : earning)
    if (rule.type == type) return &rule;
  return nullptr;
}

const Reward* Program::find_reward(std::string_view id) const {
  for (const auto& reward : rewards)
    if (reward.id == id) return &reward;
  return nullptr;
}

int Program::tier_index(std::string_view id) const {
  for (std::size_t i = 0; i < tiers.tiers.size(); ++i)
    if (tiers.tiers[i].id == id) return static_cast<int>(i);
  return -1;
}

std::array<std::string, kPluralCategoryCount> Program::points_names(std::string_view locale) const {
  constexpr auto one = static_cast<std::size_t>(PluralCategory::one);
  constexpr auto other = static_cast<std::size_t>(PluralCategory::other);
  const auto tag_of = [](const PointsForms& forms) -> const std::string& { return forms.tag; };
  // Another language's forms never stand in: its categories are not this locale's.
  const PointsForms* own = find_for_locale(points_forms, locale, tag_of);
  std::string singular = points_singular.empty() ? "point" : points_singular.resolve(locale);
  std::string plural = points_plural.empty() ? "points" : points_plural.resolve(locale);
  if (own && !own->forms[one].empty()) singular = own->forms[one];
  if (own && !own->forms[other].empty()) plural = own->forms[other];
  std::array<std::string, kPluralCategoryCount> names;
  for (std::size_t category = 0; category < names.size(); ++category) {
    if (own && !own->forms[category].empty())
      names[category] = own->forms[category];
    else
      names[category] = category == one ? singular : plural;
  }
  return names;
}

std::string_view to_string(EarnType type) {
  switch (type) {
    case EarnType::signup:
      return "signup";
    case EarnType::order:
      return "order";
    case EarnType::birthday:
      return "birthday";
    case EarnType::review:
      return "review";
    case EarnType::social_follow:
      return "social_follow";
    case EarnType::social_share:
      return "social_share";
    case EarnType::referral:
      return "referral";
    case EarnType::custom:
      return "custom";
  }
  return "custom";
}

std::string_view to_string(ClaimLimit limit) {
  switch (limit) {
    case ClaimLimit::once:
      return "once";
    case ClaimLimit::per_day:
      return "per_day";
    case ClaimLimit::per_week:
      return "per_week";
    case ClaimLimit::per_month:
      return "per_month";
    case ClaimLimit::per_year:
      return "per_year";
    case ClaimLimit::unlimited:
      return "unlimited";
  }
  return "once";
}

std::string_view to_string(SocialPlatform platform) {
  switch (platform) {
    case SocialPlatform::facebook:
      return "facebook";
    case SocialPlatform::instagram:
      return "instagram";
    case SocialPlatform::x:
      return "x";
    case SocialPlatform::tiktok:
      return "tiktok";
    case SocialPlatform::pinterest:
      return "pinterest";
    case SocialPlatform::youtube:
      return "youtube";
  }
  return "facebook";
}

std::string_view to_string(OrderBasis basis) {
  switch (basis) {
    case OrderBasis::subtotal_after_discounts:
      return "subtotal_after_discounts";
    case OrderBasis::subtotal:
      return "subtotal";
    case OrderBasis::total:
      return "total";
  }
  return "subtotal_after_discounts";
}

std::string_view to_string(ExpiryPeriod period) {
  switch (period) {
    case ExpiryPeriod::month:
      return "month";
    case ExpiryPeriod::quarter:
      return "quarter";
    case ExpiryPeriod::year:
      return "year";
  }
  return "month";
}

std::string_view to_string(ExpiryActivity activity) {
  switch (activity) {
    case ExpiryActivity::any:
      return "any";
    case ExpiryActivity::earning:
      return "earning";
    case ExpiryActivity::purchases:
      return "purchases";
  }
  return "any";
}

const ExpiryPolicy& Program::expiry_for_tier(int index) const {
  if (index >= 0 && static_cast<std::size_t>(index) < tiers.tiers.size()) {
    const auto& own = tiers.tiers[static_cast<std::size_t>(index)].expiry;
    if (own) return *own;
  }
  return expiry;
}

std::string_view to_string(SpendBasis basis) {
  switch (basis) {
    case SpendBasis::earn_basis:
      return "earn_basis";
    case SpendBasis::subtotal_after_discounts:
      return "subtotal_after_discounts";
    case SpendBasis::subtotal:
      return "subtotal";
    case SpendBasis::total:
      return "total";
  }
  return "earn_basis";
}

std::string_view to_string(EntryPointsRepeat repeat) {
  return repeat == EntryPointsRepeat::each_time ? "each_time" : "once";
}

std::string_view to_string(LineKind kind) {
  switch (kind) {
    case LineKind::product:
      return "product";
    case LineKind::gift_card:
      return "gift_card";
    case LineKind::shipping:
      return "shipping";
    case LineKind::tax:
      return "tax";
    case LineKind::tip:
      return "tip";
  }
  return "product";
}

std::string_view to_string(EarnRounding rounding) {
  switch (rounding) {
    case EarnRounding::proportional:
      return "proportional";
    case EarnRounding::whole_steps:
      return "whole_steps";
    case EarnRounding::half_up:
      return "half_up";
  }
  return "proportional";
}

std::string_view to_string(RefundRounding rounding) {
  return rounding == RefundRounding::kept ? "kept" : "taken_back";
}

std::string_view to_string(PromotionCombine combine) {
  switch (combine) {
    case PromotionCombine::add:
      return "add";
    case PromotionCombine::multiply:
      return "multiply";
    case PromotionCombine::greater:
      return "greater";
  }
  return "add";
}

std::string_view to_string(PluralCategory category) {
  switch (category) {
    case PluralCategory::zero:
      return "zero";
    case PluralCategory::one:
      return "one";
    case PluralCategory::two:
      return "two";
    case PluralCategory::few:
      return "few";
    case PluralCategory::many:
      return "many";
    case PluralCategory::other:
      return "other";
  }
  return "other";
}

std::string_view to_string(RewardType type) {
  switch (type) {
    case RewardType::amount_off:
      return "amount_off";
    case RewardType::percent_off:
      return "percent_off";
    case RewardType::free_shipping:
      return "free_shipping";
    case RewardType::free_product:
      return "free_product";
    case RewardType::store_credit:
      return "store_credit";
  }
  return "amount_off";
}

std::string_view to_string(TierMetric metric) {
  switch (metric) {
    case TierMetric::points_earned:
      return "points_earned";
    case TierMetric::amount_spent:
      return "amount_spent";
    case TierMetric::orders:
      return "orders";
  }
  return "points_earned";
}

std::string_view to_string(TierWindow window) {
  switch (window) {
    case TierWindow::lifetime:
      return "lifetime";
    case TierWindow::calendar_year:
      return "calendar_year";
    case TierWindow::rolling:
      return "rolling";
  }
  return "lifetime";
}

std::string_view to_string(TierRetention retention) {
  switch (retention) {
    case TierRetention::none:
      return "none";
    case TierRetention::next_period:
      return "next_period";
  }
  return "none";
}

std::string_view to_string(ShareChannel channel) {
  switch (channel) {
    case ShareChannel::facebook:
      return "facebook";
    case ShareChannel::messenger:
      return "messenger";
    case ShareChannel::pinterest:
      return "pinterest";
    case ShareChannel::telegram:
      return "telegram";
    case ShareChannel::x:
      return "x";
    case ShareChannel::whatsapp:
      return "whatsapp";
    case ShareChannel::email:
      return "email";
    case ShareChannel::copy:
      return "copy";
    case ShareChannel::native:
      return "native";
  }
  return "copy";
}

std::string_view to_string(ExpiryMode mode) {
  switch (mode) {
    case ExpiryMode::none:
      return "none";
    case ExpiryMode::inactivity:
      return "inactivity";
    case ExpiryMode::lots:
      return "lots";
  }
  return "none";
}

std::string_view to_string(LauncherPosition position) {
  switch (position) {
    case LauncherPosition::right:
      return "right";
    case LauncherPosition::left:
      return "left";
  }
  return "right";
}

std::string_view to_string(EntryType type) {
  switch (type) {
    case EntryType::order_placed:
      return "order_placed";
    case EntryType::order_refunded:
      return "order_refunded";
    case EntryType::order_cancelled:
      return "order_cancelled";
    case EntryType::earn:
      return "earn";
    case EntryType::redeem:
      return "redeem";
    case EntryType::expire:
      return "expire";
    case EntryType::adjust:
      return "adjust";
    case EntryType::referral:
      return "referral";
    case EntryType::tier_change:
      return "tier_change";
  }
  return "earn";
}

}  // namespace loyalty
