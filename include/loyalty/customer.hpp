// The shopper: identity plus either an activity ledger or a backend's precomputed summary.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/money.hpp"
#include "loyalty/result.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

struct Account;
struct Program;

/// Money amounts of an order or a cart, in minor units.
struct OrderAmounts {
  MinorUnits subtotal = 0;  // items before discounts
  MinorUnits discount = 0;
  MinorUnits shipping = 0;
  MinorUnits tax = 0;
};

/// What an order line is: an item earns (unless excluded); a gift card does not by default;
/// shipping, tax and tip lines only say how the order's amounts break down.
enum class LineKind { product, gift_card, shipping, tax, tip };

/// One line of an order or cart, for earn-rule exclusions. `amount` is the line's total in minor
/// units before order-level discounts.
struct OrderLine {
  std::string product_id;
  std::vector<std::string> collections;  // collection or tag ids
  std::int64_t quantity = 1;
  MinorUnits amount = 0;
  LineKind kind = LineKind::product;
};

enum class EntryType {
  order_placed,     // order_id, amounts; points optional (computed on replay when absent)
  order_refunded,   // order_id, amount refunded (of the basis); claws back in proportion
  order_cancelled,  // order_id; claws back the rest of the order's points
  earn,             // rule_id, points (sign-up, birthday, review, social, custom)
  redeem,           // reward_id, points, code
  expire,           // points removed by a backend's own expiry sweep
  adjust,           // signed points, reason
  referral,         // points for the advocate after a friend's qualifying order
  tier_change,      // tier_id assigned by the merchant (kept until `until`, or for good)
};

/// One ledger entry. Two instants: `at` is when it happened (the order date, shown to the
/// shopper); `recorded_at` is when the backend wrote it to its ledger, never earlier than `at`.
/// Replay applies entries in the order they were recorded, so a late-delivered or back-dated
/// entry can never move before one the backend already acted on (an approved redemption):
///   {"type": "order_refunded", "at": "2026-03-01T12:00:00Z", "recordedAt": "2026-03-05T09:00:00Z"}
/// takes its points back as of March 5.
struct LedgerEntry {
  std::string id;  // unique; a repeated id is applied once
  EntryType type = EntryType::earn;
  EpochSeconds at = 0;
  std::optional<EpochSeconds> recorded_at;  // absent: recorded when it happened (`at`)
  std::string order_id;
  OrderAmounts amounts;          // order_placed
  std::vector<OrderLine> lines;  // order_placed, optional: for earn-rule exclusions
  MinorUnits amount = 0;         // order_refunded
  std::optional<Points> points;  // signed only for adjust
  std::string rule_id;
  std::string reward_id;
  std::string tier_id;
  std::optional<EpochSeconds> until;  // tier_change
  std::string code;                   // redeem: the coupon code issued
  std::string reason;                 // adjust

  /// Where replay places the entry: `recorded_at`, else `at`.
  EpochSeconds recorded() const { return recorded_at ? *recorded_at : at; }
};

struct Birthday {
  unsigned month = 1;
  unsigned day = 1;
  std::optional<std::int32_t> year;      // often unknown
  std::optional<EpochSeconds> added_at;  // when the shopper entered it (birthday wait_days)
};

struct ExpiringPoints {
  Points points = 0;
  EpochSeconds at = 0;
};

/// Order points held for the order rule's pendingDays (a returns window) before they count.
struct PendingPoints {
  std::string order_id;
  Points points = 0;
  EpochSeconds available_at = 0;
};

/// For backends that keep their own balances. When a summary is given it wins for balances and
/// tier; the ledger (often only recent entries) then feeds activity and claim limits only.
struct Summary {
  Points balance = 0;
  Points lifetime_earned = 0;
  Points spent = 0;
  std::string tier_id;             // empty = derive from tier_progress
  std::int64_t tier_progress = 0;  // the tier metric's value in the current window
  std::optional<EpochSeconds> tier_retained_until;
  std::vector<ExpiringPoints> expiring;
  /// Order points still in their returns window (pendingDays). Given, they win over what the
  /// ledger's recent entries show; absent, the ledger's stand.
  std::optional<Points> pending;
  std::vector<PendingPoints> pending_points;  // soonest first
};

struct Customer {
  std::string id;
  std::string first_name;
  bool member = true;  // false = guest (not signed in / not enrolled)
  std::string email;   // used by the backend's referral fraud checks, never shown
  std::optional<Birthday> birthday;
  std::string referral_code;
  std::optional<EpochSeconds> joined_at;
  std::vector<LedgerEntry> ledger;
  std::optional<Summary> summary;
};

Result<Customer> parse_customer(std::string_view json_text);

/// The customer document (CONTRACT.md, "Customer") as compact JSON text that parse_customer()
/// reads back: identity, a `summary` from the replayed `account` and the newest `ledger_limit`
/// entries of `customer.ledger`, oldest of them first. A guest gets identity only. Instants are
/// written in UTC; keys in the contract's order, so a backend answers the same bytes every time:
///   customer_json(program, customer, replay(program, customer, now), 50)
///   // {"version":1,"id":"c-1001","firstName":"Ada","status":"member",...,"ledger":[...]}
std::string customer_json(const Program& program, const Customer& customer, const Account& account,
                          std::size_t ledger_limit);

/// The same from a customer row (its ledger is not read) and its entries already written by
/// ledger_entry_json(), separated by commas: a backend that keeps its newest entries serialised
/// copies them in as they are. Equal to the overload above for the same entries.
std::string customer_json(const Program& program, const Customer& row, const Account& account,
                          std::string_view entries_json);

/// One ledger entry as the customer document's `ledger` holds it.
std::string ledger_entry_json(const LedgerEntry& entry);

/// Reads an order's `lines` array (CONTRACT.md, ledger `order_placed`) from JSON text and checks
/// it exactly as a ledger entry's are, its sums against the order's `amounts` included, so a
/// backend taking lines from elsewhere (an order webhook) accepts what replay will. `path` is the
/// array's JSON Pointer in the caller's document and starts every diagnostic's path:
///   auto lines = parse_order_lines(R"([{"productId": "mug", "amount": 4000}])", {4000}, "/lines");
///   // lines.ok(); with "amount": -1: "/lines/0/amount", "must be 0 or more minor units ..."
Result<std::vector<OrderLine>> parse_order_lines(std::string_view json_text,
                                                 const OrderAmounts& amounts,
                                                 std::string path = "");

/// An order's `lines` as a ledger entry holds them, for parse_order_lines() to read back.
std::string order_lines_json(const std::vector<OrderLine>& lines);

std::string_view to_string(EntryType);

}  // namespace loyalty
