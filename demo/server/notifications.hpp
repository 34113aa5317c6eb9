// Which notifications a ledger change produces for the merchant's webhook (CONTRACT.md, "Backend
// details": notifications outbox), decided from the replayed account before and after it.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "database.hpp"
#include "loyalty/account.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"

namespace loyalty::server {

struct Notification {
  std::string kind;  // points.earned, reward.unlocked, tier.reached, tier.lost, ...
  nlohmann::json payload;
  std::string dedupe_key;  // empty: every change is its own notification
};

/// What appending `entry` changed between the two replays: points.earned (or
/// referral.rewarded for a referral entry) when it adds points, reward.unlocked for each reward
/// whose cost the balance crossed upwards, tier.reached / tier.lost when the tier moved.
std::vector<Notification> notifications_for_entry(const Program& rules, const Account& before,
                                                  const Account& after, const LedgerEntry& entry);

/// points.expiring when the account's next expiry lies within the warning window at `now`
/// (the launcher's own rule), keyed by customer, instant and points so each lot is warned once.
std::optional<Notification> expiry_warning(const Program& rules, std::string_view customer_id,
                                           const Account& account, EpochSeconds now);

/// Queues each notification for `customer_id`; false on a storage error.
bool queue_notifications(Database& db, std::string_view customer_id,
                         const std::vector<Notification>& notifications, EpochSeconds now);

/// Replays `customer` (its ledger without `entry`) with and without `entry` at the entry's
/// recording instant and queues what changed, in the caller's transaction.
bool queue_entry_notifications(Database& db, const Program& rules, const Customer& customer,
                               const LedgerEntry& entry, EpochSeconds now);

}  // namespace loyalty::server
