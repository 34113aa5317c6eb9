// Document readers over an already-parsed JSON value, so json_api parses each text once.
// The public parse_program / parse_customer / parse_context wrap these.
#pragma once

#include "loyalty/context.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"
#include "loyalty/result.hpp"

namespace loyalty::detail {

class JsonDocument;
class JsonReader;

/// Validates and reads a program document; diagnostics carry JSON Pointers into it.
Result<Program> program_from_json(const JsonDocument& document);
Result<Customer> customer_from_json(const JsonDocument& document);
Result<Context> context_from_json(const JsonDocument& document);

/// Reads the root "version": missing -> warning (read as 1), anything but 1 -> error.
void read_document_version(const JsonReader& root);

/// Reads money amounts {"subtotal", "discount", "shipping", "tax"} (each >= 0; subtotal required).
OrderAmounts read_order_amounts(const JsonReader& amounts);

/// Reads order lines [{"productId", "collections", "quantity", "amount", "kind"}] (at most
/// 10,000; amount >= 0 in minor units; kind product | gift_card | shipping | tax | tip). Given
/// the order's `amounts` (null when they failed to read), also checks the lines against them:
/// the product and gift_card lines, when there are any, sum to the subtotal, the shipping lines
/// to the shipping and the tax lines to the tax (an error at the list's path otherwise).
std::vector<OrderLine> read_order_lines(const JsonReader& list, const OrderAmounts* amounts);

/// "+hh:mm" / "-hh:mm" (or "Z") between -14:00 and +14:00 -> minutes east of UTC, and back.
std::optional<int> parse_utc_offset(std::string_view text);
std::string format_utc_offset(int minutes);

/// The context's "timeZone": {"name", "offset", "changes": [{"at", "offset"}]}, changes in
/// strictly ascending time. nullopt (with errors) when anything is wrong.
std::optional<NamedTimeZone> read_time_zone(const JsonReader& value);
class JsonWriter;
void write_time_zone(JsonWriter& out, const NamedTimeZone& zone);

}  // namespace loyalty::detail
