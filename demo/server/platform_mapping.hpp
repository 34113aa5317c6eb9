// A shop platform's order webhooks, described as data (platforms/*.json), and the reading of a
// delivery's payload into our order events with it. Format: demo/server/README.md, "Connecting a
// platform". Nothing here touches the database: the endpoint (platform_webhooks.cpp) applies
// the events this produces through the same code as POST /v1/orders.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/money.hpp"
#include "request_bodies.hpp"

namespace loyalty::server {

/// How one value is found in a payload: an RFC 6901 JSON Pointer, or a small computation over
/// pointers ({"sum", "each"}, {"multiply", "by"}, {"negate"}, {"add"}).
struct ValueSpec {
  enum class Op { pointer, sum, multiply, negate, add };
  Op op = Op::pointer;
  std::string pointer;              // pointer: the value; sum: the array; multiply: the factor
  std::vector<ValueSpec> operands;  // sum: per element; multiply, negate: the money; add: terms
  bool assume_utc = false;          // an instant written without an offset is UTC
  std::vector<std::string> guest;   // customer ids meaning "no customer" (WooCommerce's 0)
};

/// The lines of an order: an array and, per element, where each field is.
struct LineSpec {
  std::string array;
  ValueSpec product_id;
  ValueSpec quantity;
  ValueSpec amount;
  std::optional<ValueSpec> gift_card;  // true marks a gift card line
};

/// One of our events that a topic may produce.
struct EventSpec {
  std::string name;
  std::string type;          // "placed", "refunded" or "cancelled"
  std::string id_template;   // "{platform}", "{topic}", "{type}", "{orderId}", "{refundId}"
  std::string when_pointer;  // optional: the event happens only when this value is in when_in
  std::vector<std::string> when_in;
  std::string for_each;                     // optional: one event per element of this array
  std::map<std::string, ValueSpec> fields;  // from the payload's root
  std::map<std::string, ValueSpec> each;    // from the for_each element
  std::optional<LineSpec> lines;
};

struct PlatformMapping {
  std::string name;
  std::string signature_header;
  std::string topic_header;
  std::string test_pointer;  // optional: true there marks a test order
  std::map<std::string, std::vector<std::string>> topics;  // topic -> event spec names
  std::map<std::string, EventSpec> events;
};

/// Reads a mapping file; nullopt with "<JSON pointer>: <problem>" in `error`.
std::optional<PlatformMapping> parse_platform_mapping(std::string_view text, std::string& error);

/// The event an endpoint applies; without a customer id in the payload (a Shopify refund), the
/// customer is the one who placed the order.
struct MappedEvent {
  OrderEvent event;
  bool customer_from_order = false;
};

struct MappedDelivery {
  std::vector<MappedEvent> events;
  std::optional<std::string> ignored;  // why nothing is to be done (then `events` is empty)
  std::string error_path;              // set on a refusal: where in the payload
  std::string error_message;
  bool failed() const { return !error_path.empty() || !error_message.empty(); }
};

struct DeliveryContext {
  std::string topic;
  Currency currency;  // the program's: payloads in another currency are refused
  EpochSeconds now = 0;
  std::int64_t max_clock_skew_seconds = 300;
  bool accept_test_orders = false;  // --demo
  std::string remote_addr;
};

/// Reads a delivery's payload into our events, checking every value it uses (types, lengths,
/// currency, exact decimals, dates within the clock skew); `ignored` for topics, statuses,
/// guests and test orders that award nothing.
MappedDelivery map_delivery(const PlatformMapping& mapping, const nlohmann::json& payload,
                            const DeliveryContext& context);

}  // namespace loyalty::server
