// POST /v1/orders: the shop's order events (placed, refunded, cancelled), applied once per event
// id and once per order. apply_order_event is also what the platform webhooks
// (platform_webhooks.cpp) and the demo checkout (demo_routes.cpp) call.
#include <algorithm>

#include "backend.hpp"
#include "backend_helpers.hpp"
#include "loyalty/engine.hpp"
#include "notifications.hpp"
#include "order_event_store.hpp"
#include "referral_checks.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

/// Signed balance change, counting clawbacks that went into `owed`.
Points net_points(const Account& account) { return account.balance - account.owed; }

}  // namespace

ApiResponse Backend::post_order_event(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  BodyReader body(request.body);
  auto event = read_order_event_body(body, unix_now(), request.remote_addr);
  if (!event) return *body.error();
  OrderOutcome outcome = apply_order_event(*event);
  if (outcome.error) return *outcome.error;
  json answer = {{"applied", outcome.applied}, {"points", outcome.points}};
  if (!outcome.referral.is_null()) answer["referral"] = outcome.referral;
  return json_response(200, answer);
}

OrderOutcome Backend::apply_order_event(const OrderEvent& event) {
  OrderOutcome outcome;
  auto published = program();
  if (!published) {
    outcome.error = no_program();
    return outcome;
  }
  const Program& rules = published->program;
  const EpochSeconds now = unix_now();
  // An event from the future would award points that every replay before its instant drops
  // again, after the shopper spent them: refused past the allowed clock skew, within it now.
  if (event.at > now + config_.max_clock_skew_seconds) {
    outcome.error = error_response(
        422, "request.futureInstant",
        "/at: " + future_instant_message(event.at, now, config_.max_clock_skew_seconds), "/at",
        {{"maxClockSkewSeconds", config_.max_clock_skew_seconds}});
    return outcome;
  }
  const EpochSeconds at = std::min(event.at, now);

  Customer customer;
  const bool committed = writes_->run([&](Database& connection) {
    Database* db = &connection;

    StoredOrderEvent seen;
    const LoadStatus recorded_before = find_order_event(*db, event.id, seen);
    if (recorded_before == LoadStatus::storage_error) {
      outcome.error = storage_failure();
      return false;
    }
    if (recorded_before == LoadStatus::found) {
      // The same id for another event is an integration bug, not a redelivery: say so.
      std::vector<std::string> differs;
      if (seen.customer_id != event.customer_id) differs.emplace_back("customerId");
      if (seen.type != event.type) differs.emplace_back("type");
      if (seen.order_id != event.order_id) differs.emplace_back("orderId");
      if (!differs.empty()) {
        std::string fields;
        for (const std::string& field : differs) fields += (fields.empty() ? "" : ", ") + field;
        outcome.error = error_response(409, "order.eventIdReused",
                                       "The event id \"" + event.id +
                                           "\" was already used for an event with another " +
                                           fields + "; nothing was changed.",
                                       "/id", {{"differs", differs}});
        return true;
      }
      outcome.applied = false;  // a retried delivery of an event already applied
      outcome.points = seen.points;
      return true;
    }

    auto status = load_customer(*db, event.customer_id, customer);
    if (status == LoadStatus::storage_error) {
      outcome.error = storage_failure();
      return false;
    }
    if (status == LoadStatus::not_found) {
      if (event.type != "placed") {
        outcome.error = unknown_customer(event.customer_id);
        return true;
      }
      // A shopper's first order enrols them.
      customer = Customer{};
      customer.id = event.customer_id;
      customer.first_name = event.first_name.value_or("");
      customer.email = event.email.value_or("");
      customer.joined_at = at;
      customer.referral_code = make_referral_code(customer.first_name);
      if (!insert_customer(*db, customer, now)) {
        outcome.error = storage_failure();
        return false;
      }
    }

    if (event.type == "placed") {
      if (has_order(customer, event.order_id)) {
        outcome.applied = false;  // the same order under a second event id
      } else {
        const bool first_order = !has_other_order(customer, event.order_id);
        // The tier as the ledger stands when the order is recorded; the promotions of the
        // instant it was placed.
        const EpochSeconds recorded = recording_instant(customer, now);
        Account account = replay(rules, customer, recorded);
        EarnBreakdown earned = earn_for_order(rules, account, event.amounts, event.lines, at);
        LedgerEntry entry;
        entry.id = new_entry_id();
        entry.type = EntryType::order_placed;
        entry.at = at;
        entry.recorded_at = recorded;
        entry.order_id = event.order_id;
        entry.amounts = event.amounts;
        entry.lines = event.lines;    // kept, so replay applies the same exclusions to refunds
        entry.points = earned.total;  // recorded, so later program edits don't rewrite history
        if (!append_entry(*db, customer.id, entry) ||
            !queue_entry_notifications(*db, rules, customer, entry, now)) {
          outcome.error = storage_failure();
          return false;
        }
        outcome.points = earned.total;
        if (event.referral_code && first_order) {
          ReferralClaim claim;
          claim.code = *event.referral_code;
          claim.friend_email = event.email.value_or(customer.email);
          claim.friend_customer_id = customer.id;
          claim.order_id = event.order_id;
          claim.amount = std::max<MinorUnits>(0, event.amounts.subtotal - event.amounts.discount);
          claim.ip = event.ip;
          bool storage_ok = true;
          ReferralOutcome qualification = qualify_referral(
              *db, rules, claim, config_.referral_claims_per_ip_week, now, storage_ok);
          if (!storage_ok) {
            outcome.error = storage_failure();
            return false;
          }
          outcome.referral = {{"qualified", qualification.qualified}};
          if (qualification.qualified) {
            outcome.referral["advocateId"] = qualification.advocate_id;
            outcome.referral["advocatePoints"] = qualification.advocate_points;
            outcome.referral["friendReward"] =
                friend_reward_json(rules, qualification.friend_coupon);
          } else {
            outcome.referral["code"] = qualification.refusal;
            outcome.referral["message"] = qualification.message;
          }
        }
      }
    } else {
      if (!has_order(customer, event.order_id)) {
        outcome.error = error_response(
            422, "order.unknown",
            "No placed order \"" + event.order_id + "\" is known for this customer.", "/orderId");
        return true;
      }
      // Recorded now, after everything the ledger holds, however early `at` is: a back-dated
      // refund claws back after a redemption already approved, and what the balance can't
      // cover becomes owed.
      const EpochSeconds recorded = recording_instant(customer, now);
      Account before = replay(rules, customer, recorded);
      LedgerEntry entry;
      entry.id = new_entry_id();
      entry.type =
          event.type == "refunded" ? EntryType::order_refunded : EntryType::order_cancelled;
      entry.at = at;
      entry.recorded_at = recorded;
      entry.order_id = event.order_id;
      entry.amount = event.refunded;
      if (!append_entry(*db, customer.id, entry) ||
          !queue_entry_notifications(*db, rules, customer, entry, now)) {
        outcome.error = storage_failure();
        return false;
      }
      customer.ledger.push_back(entry);
      Account after = replay(rules, customer, recorded);
      outcome.points = net_points(after) - net_points(before);
    }

    if (!record_order_event(*db, StoredOrderEvent{event.id, customer.id, event.type, event.order_id,
                                                  outcome.points, now})) {
      outcome.error = storage_failure();
      return false;
    }
    return true;
  });
  if (!committed) outcome.error = storage_failure();
  return outcome;
}

}  // namespace loyalty::server
