#include "referral_checks.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "auth.hpp"
#include "customer_store.hpp"
#include "email_key.hpp"
#include "friend_offers.hpp"
#include "notifications.hpp"
#include "referral_store.hpp"

namespace loyalty::server {

using json = nlohmann::json;

namespace {

/// Referral attempts recorded from `ip` in the week before `now`, refused ones included.
std::int64_t attempts_from_ip_this_week(Database& db, const std::string& ip, EpochSeconds now,
                                        bool& storage_ok) {
  std::int64_t count = 0;
  if (!count_referral_attempts(db, ip, now - 7 * kSecondsPerDay, count)) storage_ok = false;
  return count;
}

/// A yes or no the store answers about `key`; a storage error answers no and is remembered.
using StoreQuestion = bool (*)(Database&, std::string_view, bool&);
bool ask(Database& db, StoreQuestion question, std::string_view key, bool& storage_ok) {
  bool answer = false;
  if (!question(db, key, answer)) storage_ok = false;
  return answer;
}

}  // namespace

ReferralOutcome qualify_referral(Database& db, const Program& rules, const ReferralClaim& claim,
                                 std::int64_t ip_limit_per_week, EpochSeconds now,
                                 bool& storage_ok) {
  ReferralOutcome outcome;
  storage_ok = true;
  const std::string friend_key = normalize_email(claim.friend_email);
  auto refuse = [&](std::string key, std::string message, std::string path) {
    outcome.refusal = std::move(key);
    outcome.message = std::move(message);
    outcome.path = std::move(path);
  };

  Customer advocate;
  std::optional<std::string> advocate_id = find_customer_by_referral_code(db, claim.code);
  if (!rules.referral.enabled) {
    refuse("referral.disabled", "The program has no referral rewards.", "");
  } else if (!advocate_id || load_customer(db, *advocate_id, advocate) != LoadStatus::found) {
    refuse("referral.unknownCode", "No customer has this referral code.", "/code");
  } else if (attempts_from_ip_this_week(db, claim.ip, now, storage_ok) >= ip_limit_per_week) {
    refuse("referral.tooManyFromIp", "Too many referral claims came from this network this week.",
           "/ip");
  } else if (claim.friend_customer_id == advocate.id) {
    refuse("referral.selfReferral", "A customer can't refer themselves.", "/friendCustomerId");
  } else if (!friend_key.empty() && friend_key == normalize_email(advocate.email)) {
    refuse("referral.selfReferral",
           "The friend's email is the advocate's own address (or an alias of it).", "/friendEmail");
  } else if (friend_key.empty()) {
    refuse("referral.invalidEmail", "The friend's email is not an email address.", "/friendEmail");
  } else if (ask(db, order_qualified_a_referral, claim.order_id, storage_ok)) {
    refuse("referral.orderAlreadyClaimed", "This order already qualified a referral.", "/orderId");
  } else if (ask(db, mailbox_was_referred, friend_key, storage_ok)) {
    refuse("referral.alreadyReferred", "This friend was already referred.", "/friendEmail");
  } else if (claim.amount < rules.referral.min_friend_order) {
    refuse("referral.belowMinimum", "The friend's order is below the referral minimum.", "/amount");
  } else {
    // Already a customer: any earlier order under the friend's id or mailbox.
    std::vector<std::string> friend_ids;
    if (!claim.friend_customer_id.empty()) friend_ids.push_back(claim.friend_customer_id);
    if (!find_customers_by_email_key(db, friend_key, friend_ids)) storage_ok = false;
    for (const auto& id : friend_ids) {
      Customer existing;
      if (load_customer(db, id, existing) == LoadStatus::found &&
          has_other_order(existing, claim.order_id)) {
        refuse("referral.existingCustomer",
               "The friend had already ordered before; referrals are for new customers.",
               "/friendEmail");
        break;
      }
    }
  }

  if (outcome.refusal.empty()) {
    outcome.qualified = true;
    outcome.advocate_id = advocate.id;
    outcome.advocate_points = rules.referral.advocate_points;
    if (outcome.advocate_points == 0)
      if (const EarnRule* rule = rules.find_rule_of_type(EarnType::referral))
        outcome.advocate_points = rule->points;
    // One friend, one coupon: the one offered to this mailbox on the shop's page, if any.
    FriendOffer offer;
    const LoadStatus offered = find_friend_offer(db, friend_key, offer);
    if (offered == LoadStatus::storage_error) storage_ok = false;
    outcome.friend_coupon = offered == LoadStatus::found ? offer.coupon : random_coupon_code("REF");
    LedgerEntry entry;
    entry.id = new_entry_id();
    entry.type = EntryType::referral;
    entry.at = now;
    entry.recorded_at = recording_instant(advocate, now);
    entry.order_id = claim.order_id;
    entry.points = outcome.advocate_points;
    if (!append_entry(db, advocate.id, entry) ||
        !queue_entry_notifications(db, rules, advocate, entry, now))
      storage_ok = false;
  }
  if (!record_referral_attempt(
          db,
          {advocate_id, claim.code, friend_key, claim.friend_customer_id, claim.order_id, claim.ip,
           outcome.qualified ? std::string_view("qualified") : outcome.refusal,
           outcome.advocate_points, outcome.friend_coupon},
          now))
    storage_ok = false;
  return outcome;
}

FriendOfferOutcome offer_friend_reward(Database& db, const Program& rules,
                                       const FriendOfferClaim& claim,
                                       std::int64_t ip_limit_per_week, EpochSeconds now,
                                       bool& storage_ok) {
  FriendOfferOutcome outcome;
  storage_ok = true;
  const std::string friend_key = normalize_email(claim.email);
  auto refuse = [&](std::string key, std::string message, std::string path) {
    outcome.refusal = std::move(key);
    outcome.message = std::move(message);
    outcome.path = std::move(path);
  };
  auto failed = [&](LoadStatus status) {
    if (status == LoadStatus::storage_error) storage_ok = false;
    return !storage_ok;
  };

  const std::optional<std::string> advocate_id = find_customer_by_referral_code(db, claim.code);
  Customer advocate;
  const LoadStatus advocate_found =
      advocate_id ? load_customer_row(db, *advocate_id, advocate) : LoadStatus::not_found;
  FriendOffer offer;
  const LoadStatus offered =
      friend_key.empty() ? LoadStatus::not_found : find_friend_offer(db, friend_key, offer);
  if (failed(advocate_found) || failed(offered)) return outcome;

  if (!rules.referral.enabled) {
    refuse("referral.disabled", "The program has no referral rewards.", "");
  } else if (advocate_found != LoadStatus::found) {
    refuse("referral.unknownCode", "No customer has this referral code.", "/code");
  } else if (offered == LoadStatus::found && offer.code == claim.code) {
    // The same friend again (a reload, a retry, a second tab): the coupon they already hold.
    // Nothing is issued, so nothing is recorded or counted against the caller's address.
    outcome.advocate_first_name = advocate.first_name;
    outcome.coupon = offer.coupon;
    return outcome;
  } else if (attempts_from_ip_this_week(db, claim.ip, now, storage_ok) >= ip_limit_per_week) {
    // No member of the body names the address: the request as a whole is refused.
    refuse("referral.tooManyFromIp", "Too many referral claims came from this network this week.",
           "");
  } else if (friend_key.empty()) {
    refuse("referral.invalidEmail", "This is not an email address.", "/email");
  } else if (friend_key == normalize_email(advocate.email)) {
    refuse("referral.selfReferral", "This is the advocate's own address (or an alias of it).",
           "/email");
  } else {
    // Any order ever placed under this mailbox, cancelled or refunded ones too.
    const bool ordered = ask(db, mailbox_has_ordered, friend_key, storage_ok);
    const bool referred = ask(db, mailbox_was_referred, friend_key, storage_ok);
    if (!storage_ok) return outcome;
    if (ordered) {
      refuse("referral.existingCustomer",
             "This address has ordered before; referrals are for new customers.", "/email");
    } else if (offered == LoadStatus::found || referred) {
      refuse("referral.alreadyReferred", "This address was already referred.", "/email");
    } else {
      FriendOffer created{friend_key, claim.code, advocate.id, random_coupon_code("REF"), now};
      if (!insert_friend_offer(db, created)) {
        storage_ok = false;
        return outcome;
      }
      outcome.created = true;
      outcome.advocate_first_name = advocate.first_name;
      outcome.coupon = std::move(created.coupon);
    }
  }
  if (!storage_ok) return outcome;
  // No customer id or order yet: the friend's order qualifies the referral later.
  if (!record_referral_attempt(
          db,
          {advocate_id, claim.code, friend_key, "", "", claim.ip,
           outcome.created ? std::string_view("offered") : outcome.refusal, 0, outcome.coupon},
          now))
    storage_ok = false;
  return outcome;
}

json friend_reward_json(const Program& rules, const std::string& coupon) {
  const FriendReward& reward = rules.referral.friend_reward;
  return {{"code", coupon},
          {"type", std::string(to_string(reward.type))},
          {"value", reward.amount > 0 ? money_json(reward.amount, rules) : json(nullptr)},
          {"percent", reward.percent > 0 ? json(reward.percent) : json(nullptr)},
          {"minOrder", reward.min_order > 0 ? money_json(reward.min_order, rules) : json(nullptr)}};
}

}  // namespace loyalty::server
