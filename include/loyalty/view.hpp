// The launcher view: everything the panel shows, computed by the core. The web layer only
// formats it. Field names mirror the JSON of include/loyalty/CONTRACT.md, section "View (out)".
//
//   auto account_view = loyalty::build_view(program, customer, context);
//   std::string json = loyalty::view_to_json(account_view);  // {"version": 1, "state": ...}
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loyalty/context.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"
#include "loyalty/result.hpp"

namespace loyalty {

struct Message;

/// One message parameter. JSON: {"points": n} | {"money": n, "currency": "USD"} |
/// {"date": "<RFC 3339>"} | {"number": n} | {"text": "..."} | {"message": {key, params}}.
struct MessageParam {
  enum class Kind { points, money, date, number, text, message };
  Kind kind = Kind::text;
  std::int64_t value = 0;       // points, money (minor units), number
  std::string text;             // text; money: the currency code; date: the instant
  std::vector<Message> nested;  // message: exactly one

  static MessageParam points(Points points);
  static MessageParam money(MinorUnits amount, std::string currency);
  static MessageParam date(std::string instant);
  static MessageParam number(std::int64_t number);
  static MessageParam plain_text(std::string text);
  static MessageParam message(Message message);
};

/// A message key of the web catalogs with its parameters, e.g.
/// {"key": "reward.amountOff", "params": {"amount": {"money": 500, "currency": "USD"}}}.
struct Message {
  std::string key;
  std::vector<std::pair<std::string, MessageParam>> params;

  /// The merchant text shown as it is: {"key": "text", "params": {"text": {"text": ...}}}.
  static Message text(std::string text);
};

enum class ViewState { member, guest };

struct ShopView {
  std::string name;
  std::string currency = "USD";
  int currency_digits = 2;
};

struct PointsNamesView {
  std::string singular = "point";
  std::string plural = "points";
  /// The name in each plural category (PluralCategory order) for the view's locale; the web
  /// layer asks Intl.PluralRules which category a number is in and uses that form.
  std::array<std::string, kPluralCategoryCount> forms{"points", "point",  "points",
                                                      "points", "points", "points"};
};

struct BrandingView {
  std::string accent = "#5b3df5";
  LauncherPosition position = LauncherPosition::right;
  std::string launcher_label;
  std::string icon = "gift";
};

struct CustomerView {
  std::string id;
  std::string first_name;
};

struct BalanceView {
  Points points = 0;
  Points owed = 0;
  Points pending = 0;  // order points still in their returns window, not spendable
  Points lifetime_earned = 0;
  Points spent = 0;
};

struct NextRewardView {
  std::string reward_id;
  Message title;
  Points cost = 0;
  Points points_to_go = 0;
  int progress_permille = 0;  // floor(1000 * balance / cost)
};

/// A money amount in minor units: {"money": n, "currency": "USD"} in JSON.
struct MoneyView {
  MinorUnits amount = 0;
  std::string currency;
};

struct IncrementalView {
  Points points_per_step = 0;
  MoneyView amount_per_step;
  Points min_points = 0;
  Points max_points = 0;             // 0 = no cap beyond the balance
  Points max_affordable_points = 0;  // whole steps within balance and cap; 0 below the minimum
};

enum class RewardState { available, insufficient, locked };

struct RewardView {
  std::string id;
  RewardType type = RewardType::amount_off;
  Message title;
  Points cost = 0;  // incremental: the least a redemption spends
  std::optional<IncrementalView> incremental;
  std::optional<MoneyView> min_order;
  int coupon_days = 0;
  RewardState state = RewardState::available;
  Points points_to_go = 0;
  int progress_permille = 0;
  std::optional<Message> locked_reason;
};

/// `locked` is used for guests only (join to earn).
enum class EarnState { available, done, limit_reached, waiting, locked };

struct WayToEarnView {
  std::string id;
  EarnType type = EarnType::custom;
  Message title;
  Points points = 0;
  int multiplier_permille = 1000;
  std::optional<SocialPlatform> platform;
  std::string url;  // "" = null
  ClaimLimit limit = ClaimLimit::once;
  EarnState state = EarnState::available;
  std::optional<std::string> next_eligible_at;
  bool claimable = false;
};

struct TierLevelView {
  std::string id;
  std::string name;
  std::int64_t threshold = 0;
  int multiplier_permille = 1000;
  std::vector<std::string> perks;
  std::string state;  // "achieved" (below the current), "current", "upcoming"
  /// The tier's own expiry policy worded ("tier.expiry.none", ...); none when it has none.
  std::optional<Message> expiry;
};

struct TierView {
  TierMetric metric = TierMetric::points_earned;
  TierWindow window = TierWindow::lifetime;
  std::optional<TierLevelView> current;
  std::optional<TierLevelView> next;
  /// In the metric's unit: points, minor units of `currency` (amount_spent) or orders. JSON
  /// writes them typed like message parameters: {"points": n}, {"money": n, "currency": "USD"},
  /// {"number": n}.
  std::int64_t progress = 0;
  std::int64_t to_go = 0;
  std::string currency;
  int progress_permille = 0;  // toward `next`, from 0; 1000 at the top tier
  std::optional<std::string> window_end;
  std::optional<std::string> retained_until;
  std::vector<TierLevelView> all;
};

struct ShareView {
  ShareChannel channel = ShareChannel::copy;
  std::string url;
};

struct ReferralView {
  std::string code;
  std::string link;
  std::string message;  // may still hold "{friendReward}" for the web layer to fill
  Message advocate_reward;
  Message friend_reward;
  std::vector<ShareView> shares;
};

/// The greeting for a visitor who came through a friend's referral link.
struct FriendOfferView {
  std::string code;
  std::string advocate_first_name;
  Message reward;  // what the friend gets: "$10.00 off", "15% off"
  std::optional<MoneyView> min_order;
};

struct ExpiringView {
  Points points = 0;
  std::string at;
  std::int64_t days = 0;  // whole days left, floor
};

struct PromotionView {
  std::string id;
  std::string name;
  std::string starts_at;
  std::string ends_at;
  int multiplier_permille = 1000;
  Points bonus_points = 0;
  bool active = false;
};

struct ActivityView {
  std::string id;
  EntryType type = EntryType::earn;
  std::string at;
  Points points = 0;  // signed change to the balance
  Message title;
  std::optional<std::string> pending_until;  // order points not yet spendable: until when
};

/// Order points held until `available_at` (the order rule's pendingDays).
struct PendingView {
  std::string order_id;
  Points points = 0;
  std::string available_at;
};

struct CartPreviewView {
  Points points = 0;
  Points base = 0;
  Points tier_bonus = 0;
  Points promotion_bonus = 0;
  MoneyView basis;
  std::optional<Message> refusal;
};

struct JoinView {
  Points signup_points = 0;
  std::int64_t ways_to_earn = 0;
  std::int64_t rewards = 0;
  std::optional<Message> top_reward;  // the cheapest reward
};

/// The whole panel. Instants are written in the offset of `context.now`.
struct LauncherView {
  int version = 1;
  ViewState state = ViewState::guest;
  std::string locale = "en";
  std::string now;
  ShopView shop;
  PointsNamesView points;
  BrandingView branding;
  std::vector<std::pair<std::string, std::string>> labels;  // sorted by key
  std::optional<CustomerView> customer;
  std::optional<BalanceView> balance;
  std::vector<PendingView> pending;  // soonest first
  std::optional<NextRewardView> next_reward;
  std::vector<std::string> affordable_reward_ids;
  std::vector<RewardView> rewards;
  /// The program's redemption caps worded for the redeem dialog ("redeem.capShare", ...).
  std::vector<Message> redemption_caps;
  std::vector<WayToEarnView> ways_to_earn;
  std::optional<TierView> tier;
  std::optional<ReferralView> referral;
  /// The referral code in `context.pageUrl`, for the web layer to look up (then passed back as
  /// `context.referredBy`).
  std::optional<std::string> referral_code_in_page;
  std::optional<FriendOfferView> friend_offer;
  std::optional<ExpiringView> expiring;
  std::vector<PromotionView> promotions;
  std::vector<ActivityView> activity;  // newest first, at most kMaxActivity
  std::optional<CartPreviewView> cart_preview;
  std::optional<JoinView> join;
  /// Replay and view warnings, paths into the customer ("/ledger/3") or context ("/cart").
  std::vector<Diagnostic> warnings;
};

constexpr std::size_t kMaxActivity = 20;

/// Computes the launcher view: replays the customer's ledger up to `context.now`, then words
/// balance, rewards, ways to earn, tier, referral, expiry, promotions, activity and the cart
/// preview for `context.locale`. Never throws.
LauncherView build_view(const Program& program, const Customer& customer, const Context& context);

/// The view object as compact JSON (no envelope), byte-identical on every platform.
std::string view_to_json(const LauncherView& view);

}  // namespace loyalty
