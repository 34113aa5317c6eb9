// The merchant's program: contract version 1. Parsed and validated by parse_program().
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/customer.hpp"
#include "loyalty/money.hpp"
#include "loyalty/result.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

/// Merchant text: one string, or translations keyed by BCP 47 tag ({"en": "...", "lv": "..."}).
struct LocalizedText {
  /// Pairs of (locale tag, text). A plain JSON string is stored with an empty tag.
  std::vector<std::pair<std::string, std::string>> variants;

  bool empty() const { return variants.empty(); }
  /// Exact tag, then the language part ("zh-Hant-TW" -> "zh-Hant" -> "zh"), then the plain
  /// string, then "en", then the first variant; "" when empty.
  std::string resolve(std::string_view locale) const;
};

enum class EarnType {
  signup,
  order,
  birthday,
  review,
  social_follow,
  social_share,
  referral,
  custom
};
enum class ClaimLimit { once, per_day, per_week, per_month, per_year, unlimited };
enum class SocialPlatform { facebook, instagram, x, tiktok, pinterest, youtube };
/// What an order's points are computed from. Default: items after discounts, without shipping
/// and tax.
enum class OrderBasis { subtotal_after_discounts, subtotal, total };
/// How an order's base points are rounded ("10 points per $4" on a $7.00 order):
/// proportional floor(700 * 10 / 400) = 17; whole_steps floor(700 / 400) * 10 = 10;
/// half_up round(17.5) = 18.
enum class EarnRounding { proportional, whole_steps, half_up };
/// Which side of a partial refund is rounded down: the points taken back (the shopper keeps the
/// odd point) or the points kept (the shop takes it back).
enum class RefundRounding { taken_back, kept };

/// What an order rule does not earn on, when the order gives its lines.
struct Exclusions {
  std::vector<std::string> products;
  std::vector<std::string> collections;
  std::vector<LineKind> kinds = {LineKind::gift_card};  // gift cards never earn by default
};

struct EarnRule {
  std::string id;
  EarnType type = EarnType::custom;
  LocalizedText name;  // required for custom; optional display override for the others
  bool enabled = true;
  /// Points awarded. For `order`: points per `per` minor units of the basis.
  Points points = 0;
  MinorUnits per = 0;  // order only, > 0
  OrderBasis basis = OrderBasis::subtotal_after_discounts;
  MinorUnits min_order = 0;  // order only: basis amount below which nothing is earned
  EarnRounding rounding = EarnRounding::proportional;           // order only
  RefundRounding refund_rounding = RefundRounding::taken_back;  // order only
  Exclusions exclude;                                           // order only
  int pending_days = 0;   // order only: days the points are held (a returns window) before use
  int wait_days = 0;      // birthday: days after the birthday is first entered before it pays
  int cooldown_days = 0;  // birthday: > 0 replaces "once per calendar year" with N days between
  std::optional<SocialPlatform> platform;  // social_follow / social_share
  std::string url;                         // social / custom: the merchant page to open (http(s))
  ClaimLimit limit = ClaimLimit::once;     // review / social / custom
};

enum class RewardType { amount_off, percent_off, free_shipping, free_product, store_credit };

/// "$1 off per 100 points": the shopper picks how many points, in steps.
struct IncrementalCost {
  Points points_per_step = 0;
  MinorUnits amount_per_step = 0;
  Points min_points = 0;  // at least one step
  Points max_points = 0;  // 0 = no cap beyond the balance
};

struct Reward {
  std::string id;
  RewardType type = RewardType::amount_off;
  LocalizedText name;  // optional; the web layer words the reward from type and value otherwise
  Points cost = 0;     // fixed cost (> 0) unless `incremental` is set
  std::optional<IncrementalCost> incremental;  // amount_off and store_credit only
  MinorUnits amount = 0;   // amount_off / store_credit; free_shipping: cap (0 = any shipping)
  int percent = 0;         // percent_off: 1..100
  std::string product_id;  // free_product
  LocalizedText product_name;
  MinorUnits min_order = 0;           // the coupon's minimum order
  std::vector<std::string> tier_ids;  // only these tiers may redeem; empty = everyone
  int coupon_days = 0;                // days the issued coupon is valid; 0 = no expiry
};

/// Caps on every redemption, on top of each reward's own `min_order` (0 = no cap).
struct RedemptionLimits {
  Points min_points = 0;            // the least one redemption may spend
  Points max_points_per_order = 0;  // the most one order may take, with points already applied
  int max_order_percent = 0;        // 1..100: the most of the order subtotal points may pay
};

enum class ExpiryMode { none, inactivity, lots };
/// The calendar period a lot ends with: points earned in one expire together at its end.
enum class ExpiryPeriod { month, quarter, year };
/// What resets the inactivity clock: any earn or redemption, earning only, or orders only.
enum class ExpiryActivity { any, earning, purchases };

struct ExpiryPolicy {
  ExpiryMode mode = ExpiryMode::none;
  /// inactivity: the whole balance expires this long after the last activity, in days or (when
  /// inactivity_months > 0) calendar months at the same local time of day.
  int inactivity_days = 0;
  int inactivity_months = 0;
  ExpiryActivity activity = ExpiryActivity::any;
  /// lots: points expire at the end of the Nth period after the period earned (month: N =
  /// lot_months; quarter and year: N = lot_periods, 0 = the end of the period earned).
  ExpiryPeriod lot_period = ExpiryPeriod::month;
  int lot_months = 0;
  int lot_periods = 0;
  int warning_days = 30;  // how early the launcher warns
};

enum class TierMetric { points_earned, amount_spent, orders };
enum class TierWindow { lifetime, calendar_year, rolling };
/// next_period: a tier reached in one window is kept until the end of the following window.
enum class TierRetention { none, next_period };

struct Tier {
  std::string id;
  LocalizedText name;
  std::int64_t threshold = 0;        // in the metric's unit: points, minor units or orders
  int multiplier_permille = 1000;    // 1.5x earning = 1500
  std::vector<LocalizedText> perks;  // merchant text
  Points entry_points = 0;           // awarded once on first reaching the tier
  /// The tier's own expiry policy ("none" or the program's mode with other figures), for points
  /// earned while it is held (lots) or activity while it is held (inactivity).
  std::optional<ExpiryPolicy> expiry;
};

/// What an order adds to `amount_spent`: the earn rule's basis (default) or a basis of its own.
enum class SpendBasis { earn_basis, subtotal_after_discounts, subtotal, total };
/// Entry points: once per customer ever, or each time the tier is entered from below.
enum class EntryPointsRepeat { once, each_time };

struct TierProgram {
  TierMetric metric = TierMetric::points_earned;
  TierWindow window = TierWindow::lifetime;
  int rolling_days = 365;
  TierRetention retention = TierRetention::none;
  SpendBasis spend_basis = SpendBasis::earn_basis;
  bool spend_net_of_refunds = true;  // refunds and cancellations lower `amount_spent`
  EntryPointsRepeat entry_points_repeat = EntryPointsRepeat::once;
  /// A refund or cancellation that drops the shopper below a tier takes its entry points back.
  bool entry_points_take_back = false;
  /// Pending order points count toward points_earned tiers when earned (default) or only once
  /// they become available.
  bool count_pending = true;
  std::vector<Tier> tiers;  // ascending thresholds; empty = no VIP program
};

enum class ShareChannel {
  facebook,
  messenger,
  pinterest,
  telegram,
  x,
  whatsapp,
  email,
  copy,
  native
};

/// What the referred friend gets on the first order.
struct FriendReward {
  RewardType type = RewardType::percent_off;
  MinorUnits amount = 0;
  int percent = 0;
  MinorUnits min_order = 0;
};

struct ReferralProgram {
  bool enabled = false;
  Points advocate_points = 0;      // advocate reward as points ...
  std::string advocate_reward_id;  // ... or as a coupon for one of the program's rewards
  FriendReward friend_reward;
  MinorUnits min_friend_order = 0;  // the friend's order must reach this to qualify
  std::vector<ShareChannel> channels;
  std::string landing_url;       // http(s); "{code}" is replaced, else ?ref=<code> is appended
  LocalizedText message;         // placeholders: {firstName} {shop} {link} {code} {friendReward}
  std::string messenger_app_id;  // Facebook app id, needed by the Messenger share dialog
};

/// How a promotion's multiplier meets the tier's: add both bonuses to the base (2x event + 1.5x
/// tier = 2.5x), multiply (3x), or take the greater rate (2x).
enum class PromotionCombine { add, multiply, greater };

/// A time-boxed boost such as a double-points weekend.
struct Promotion {
  std::string id;
  LocalizedText name;
  EpochSeconds starts = 0;  // inclusive
  EpochSeconds ends = 0;    // exclusive
  int multiplier_permille = 1000;
  Points bonus_points = 0;  // added once per qualifying earn
  PromotionCombine combine = PromotionCombine::add;
  std::vector<std::string> rule_ids;  // earn rules it applies to; empty = all
};

enum class LauncherPosition { right, left };

struct Branding {
  std::string accent = "#5b3df5";  // CSS hex colour, validated
  LauncherPosition position = LauncherPosition::right;
  LocalizedText launcher_label;
  std::string icon = "gift";  // gift | star | heart | crown | coffee
};

/// The CLDR plural categories a language can pick for a whole number (Intl.PluralRules).
enum class PluralCategory { zero, one, two, few, many, other };
inline constexpr int kPluralCategoryCount = 6;

/// One language's forms of the points name by plural category, for languages that need more
/// than singular and plural: Latvian {"zero": "punktu", "one": "punkts", "other": "punkti"}.
struct PointsForms {
  std::string tag;  // BCP 47, as written in the program
  /// Indexed by PluralCategory; "" where the merchant gave no form.
  std::array<std::string, kPluralCategoryCount> forms;
};

struct Program {
  int version = 1;
  std::string id;
  LocalizedText name;  // the shop or program name
  Currency currency;
  LocalizedText points_singular;          // "point", "star"
  LocalizedText points_plural;            // "points", "stars"
  std::vector<PointsForms> points_forms;  // per language; see points_names()
  // The shop's zone for calendar days, weeks, months and years, birthdays and expiry: the fixed
  // `utcOffset`, or the offsets of the IANA zone `time_zone_name` when the context gives them.
  int utc_offset_minutes = 0;
  std::string time_zone_name;
  TimeZone zone;
  Branding branding;
  std::map<std::string, LocalizedText> labels;  // overrides of the web layer's message keys
  std::vector<EarnRule> earning;
  std::vector<Reward> rewards;
  RedemptionLimits redemption;
  TierProgram tiers;
  ReferralProgram referral;
  ExpiryPolicy expiry;
  std::vector<Promotion> promotions;

  const EarnRule* find_rule(std::string_view id) const;
  const EarnRule* find_rule_of_type(EarnType type) const;
  const Reward* find_reward(std::string_view id) const;
  /// Index into tiers.tiers, or -1.
  int tier_index(std::string_view id) const;
  /// The expiry policy for tier `tier_index` (-1 = none held): the tier's own, else the program's.
  const ExpiryPolicy& expiry_for_tier(int tier_index) const;
  /// The points name in every plural category for `locale`, indexed by PluralCategory. The
  /// forms written for the locale (exact tag, then its language: "lv-LV" -> "lv"; never
  /// another language's) win; a category without one is `singular` for `one` and `plural` for
  /// the rest, those resolved like any merchant text (and overridden by the locale's own `one`
  /// and `other`).
  std::array<std::string, kPluralCategoryCount> points_names(std::string_view locale) const;
};

/// Parses and validates a program. Collects every error, each with its JSON Pointer;
/// unknown fields become warnings.
Result<Program> parse_program(std::string_view json_text);

/// Enum <-> contract spelling, shared by parser, view and CLI.
std::string_view to_string(EarnType);
std::string_view to_string(ClaimLimit);
std::string_view to_string(SocialPlatform);
std::string_view to_string(OrderBasis);
std::string_view to_string(LineKind);
std::string_view to_string(EarnRounding);
std::string_view to_string(RefundRounding);
std::string_view to_string(PromotionCombine);
std::string_view to_string(PluralCategory);
std::string_view to_string(RewardType);
std::string_view to_string(TierMetric);
std::string_view to_string(TierWindow);
std::string_view to_string(TierRetention);
std::string_view to_string(SpendBasis);
std::string_view to_string(EntryPointsRepeat);
std::string_view to_string(ShareChannel);
std::string_view to_string(ExpiryMode);
std::string_view to_string(ExpiryPeriod);
std::string_view to_string(ExpiryActivity);
std::string_view to_string(LauncherPosition);

}  // namespace loyalty
