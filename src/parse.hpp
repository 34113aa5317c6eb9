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

}  // namespace loyalty::detail
