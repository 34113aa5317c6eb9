// Reading the shopper, webhook and admin request bodies into checked values: the part of each
// handler that needs no socket, database or program, so unit tests and the fuzzer
// (tests/fuzz/server_body_fuzz.cpp) run exactly what the handlers run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_json.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/money.hpp"

namespace loyalty::server {

// Each reader returns nullopt with the first problem kept in `body` (body.error()); `body`
// has already refused text that is not a JSON object or is nested too deep.

/// POST /v1/redemptions: {"rewardId", "points"?, "orderTotal"?}.
struct RedemptionBody {
  std::string reward_id;
  std::optional<std::int64_t> points;
  std::optional<std::int64_t> order_total;
  std::int64_t points_applied = 0;  // points already redeemed on the order (maxPointsPerOrder)
};
std::optional<RedemptionBody> read_redemption_body(BodyReader& body);

/// POST /v1/claims: {"ruleId"}.
std::optional<std::string> read_claim_body(BodyReader& body);

/// POST /v1/referrals: {"code", "friendEmail", "friendCustomerId"?, "orderId", "amount", "ip"?}.
struct ReferralBody {
  std::string code;
  std::string friend_email;
  std::optional<std::string> friend_customer_id;
  std::string order_id;
  MinorUnits amount = 0;
  std::optional<std::string> ip;
};
std::optional<ReferralBody> read_referral_body(BodyReader& body);

/// POST /v1/referrals/friend (public, from the shop's page): {"code", "email"}. `code` is a
/// referral code (a customer id's alphabet, at most 64), `email` at most 254 characters; whether
/// it is an address is the handler's 422 (`referral.invalidEmail`). Other members are ignored.
struct FriendOfferBody {
  std::string code;
  std::string email;
};
std::optional<FriendOfferBody> read_friend_offer_body(BodyReader& body);

/// POST /v1/admin/customers/{id}/adjustments: {"points", "reason"} (0 points is the handler's
/// own 400).
struct AdjustmentBody {
  Points points = 0;
  std::string reason;
};
std::optional<AdjustmentBody> read_adjustment_body(BodyReader& body);

/// PUT /v1/admin/customers/{id}: {"firstName"?, "email"?, "referralCode"?, "birthday"?}.
struct CustomerBody {
  std::optional<std::string> first_name;
  std::optional<std::string> email;
  std::optional<std::string> referral_code;
  std::optional<Birthday> birthday;
};
std::optional<CustomerBody> read_customer_body(BodyReader& body);

/// An order's "amounts" object (POST /v1/orders "placed", POST /demo/orders).
std::optional<OrderAmounts> read_order_amounts(BodyReader& body);

/// An order's optional "lines" array (POST /v1/orders "placed", POST /demo/orders), read and
/// checked by the core's own reader of a ledger entry's lines (loyalty::parse_order_lines), sums
/// against `amounts` included, so the server stores only lines replay accepts. Empty when absent.
std::optional<std::vector<OrderLine>> read_order_lines(BodyReader& body,
                                                       const OrderAmounts& amounts);

/// An order webhook event (CONTRACT.md: POST /v1/orders), read and checked.
struct OrderEvent {
  std::string id;    // the event id: a second delivery of the same id changes nothing
  std::string type;  // "placed", "refunded" or "cancelled"
  std::string customer_id;
  std::string order_id;
  EpochSeconds at = 0;
  OrderAmounts amounts;          // "placed"
  std::vector<OrderLine> lines;  // "placed", optional: for the order rule's exclusions
  MinorUnits refunded = 0;       // "refunded"
  std::optional<std::string> referral_code;
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::string ip;  // for the referral per-IP limit
};

/// POST /v1/orders: {"id", "type", "customerId", "orderId", "at"?, "amounts" (placed), "lines"?
/// (placed), "amount" (refunded), "referralCode"?, "email"?, "firstName"?, "ip"?}. `at` defaults
/// to `now` and `ip` to the caller's address.
std::optional<OrderEvent> read_order_event_body(BodyReader& body, EpochSeconds now,
                                                std::string_view remote_addr);

}  // namespace loyalty::server
