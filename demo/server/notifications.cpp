#include "notifications.hpp"

#include <algorithm>

#include "loyalty/time.hpp"
#include "outbox_store.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;

json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

/// The tier's id and name at `index` (-1 = below the first tier: nulls).
std::pair<json, json> tier_id_and_name(const Program& rules, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= rules.tiers.tiers.size())
    return {nullptr, nullptr};
  const Tier& tier = rules.tiers.tiers[static_cast<std::size_t>(index)];
  return {tier.id, text_or_null(tier.name.resolve(""))};
}

/// The fewest points that unlock a reward: its cost, or an incremental reward's first step.
Points unlock_cost(const Reward& reward) {
  return reward.incremental ? reward.incremental->min_points : reward.cost;
}

std::optional<json> earned_payload(const LedgerEntry& entry, const Account& after) {
  if (!entry.points || *entry.points <= 0) return std::nullopt;
  json payload = {{"entryId", entry.id}, {"points", *entry.points}, {"balance", after.balance}};
  switch (entry.type) {
    case EntryType::order_placed:
      payload["source"] = "order";
      payload["orderId"] = entry.order_id;
      payload["pending"] = after.pending;  // order points held for a returns window
      return payload;
    case EntryType::earn:
      payload["source"] = "rule";
      payload["ruleId"] = entry.rule_id;
      return payload;
    case EntryType::adjust:
      payload["source"] = "adjustment";
      return payload;
    case EntryType::referral:
      payload["orderId"] = entry.order_id;  // the friend's qualifying order
      return payload;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<Notification> notifications_for_entry(const Program& rules, const Account& before,
                                                  const Account& after, const LedgerEntry& entry) {
  std::vector<Notification> out;
  if (auto earned = earned_payload(entry, after)) {
    const bool referral = entry.type == EntryType::referral;
    out.push_back({referral ? "referral.rewarded" : "points.earned", std::move(*earned), ""});
  }
  for (const Reward& reward : rules.rewards) {
    const Points cost = unlock_cost(reward);
    if (cost <= 0 || before.balance >= cost || after.balance < cost) continue;
    out.push_back({"reward.unlocked",
                   {{"entryId", entry.id},
                    {"rewardId", reward.id},
                    {"rewardName", text_or_null(reward.name.resolve(""))},
                    {"cost", cost},
                    {"balance", after.balance}},
                   ""});
  }
  if (before.tier.index != after.tier.index) {
    auto [tier_id, tier_name] = tier_id_and_name(rules, after.tier.index);
    auto [previous_id, previous_name] = tier_id_and_name(rules, before.tier.index);
    const bool up = after.tier.index > before.tier.index;
    out.push_back({up ? "tier.reached" : "tier.lost",
                   {{"entryId", entry.id},
                    {"tierId", tier_id},
                    {"tierName", tier_name},
                    {"previousTierId", previous_id},
                    {"previousTierName", previous_name}},
                   ""});
  }
  // A tier's entry points have no entry of their own: replay credits them to the entry that
  // carried the shopper into the tier, as an activity under its id.
  for (const Activity& activity : after.activity) {
    if (activity.entry_id != entry.id || activity.type != EntryType::tier_change ||
        activity.points <= 0)
      continue;
    out.push_back({"points.earned",
                   {{"entryId", entry.id},
                    {"points", activity.points},
                    {"balance", after.balance},
                    {"source", "tier"},
                    {"tierId", activity.tier_id}},
                   ""});
  }
  return out;
}

std::optional<Notification> expiry_warning(const Program& rules, std::string_view customer_id,
                                           const Account& account, EpochSeconds now) {
  if (!account.next_expiry) return std::nullopt;
  const ExpiringPoints& expiring = *account.next_expiry;
  if (expiring.points <= 0 || expiring.at <= now) return std::nullopt;
  // The launcher's window (view.cpp): the program's warning days before the instant.
  const std::int64_t warning_days = std::max(rules.expiry.warning_days, 0);
  const std::int64_t seconds_left = expiring.at - now;
  if (seconds_left > warning_days * kSecondsPerDay) return std::nullopt;
  Notification warning;
  warning.kind = "points.expiring";
  warning.payload = {{"points", expiring.points},
                     {"expiresAt", format_instant(expiring.at, 0)},
                     {"daysLeft", seconds_left / kSecondsPerDay},
                     {"balance", account.balance}};
  warning.dedupe_key = "points.expiring:" + std::string(customer_id) + ":" +
                       std::to_string(expiring.at) + ":" + std::to_string(expiring.points);
  return warning;
}

bool queue_notifications(Database& db, std::string_view customer_id,
                         const std::vector<Notification>& notifications, EpochSeconds now) {
  for (const Notification& notification : notifications)
    if (!enqueue_notification(db, customer_id, notification.kind, notification.payload.dump(),
                              notification.dedupe_key, now))
      return false;
  return true;
}

bool queue_entry_notifications(Database& db, const Program& rules, const Customer& customer,
                               const LedgerEntry& entry, EpochSeconds now) {
  const EpochSeconds instant = entry.recorded();
  const Account before = replay(rules, customer, instant);
  Customer with_entry = customer;
  with_entry.ledger.push_back(entry);
  const Account after = replay(rules, with_entry, instant);
  return queue_notifications(db, customer.id, notifications_for_entry(rules, before, after, entry),
                             now);
}

}  // namespace loyalty::server
