// DEMO ONLY: the two routes `loyalty-server --demo` adds, so the static demo shop never holds the
// admin key. They stand in for the shop's own server: its login signs the shopper token
// (POST /demo/session) and its checkout sends the order webhook (POST /demo/orders). A real shop
// does both on its server; these routes would let anyone sign in as anyone.
#include <utility>

#include "auth.hpp"
#include "backend.hpp"
#include "backend_helpers.hpp"
#include "customer_store.hpp"
#include "loyalty/engine.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {
namespace {

using Need = BodyReader::Need;

/// How long a demo sign-in lasts: a whole demo session, as demo/start's tokens used to.
constexpr EpochSeconds kDemoSessionSeconds = 24 * 60 * 60;

}  // namespace

ApiResponse Backend::post_demo_session(const Request& request) {
  BodyReader body(request.body);
  auto customer_id = body.string("customerId", Need::required, 64);
  if (body.failed()) return *body.error();
  if (!is_valid_customer_id(*customer_id))
    return error_response(400, "request.invalidField",
                          "/customerId: must match [A-Za-z0-9_-]{1,64}", "/customerId");
  Database* db = database();
  if (!db) return error_response(503, "server.storage", "The customer store is not available.");
  Customer known;
  const LoadStatus found = load_customer_row(*db, *customer_id, known);
  if (found == LoadStatus::storage_error)
    return error_response(503, "server.storage", "The customer store is busy or failing.");
  if (found == LoadStatus::not_found)
    return error_response(404, "customer.unknown",
                          "No customer has the id \"" + *customer_id + "\".", "/customerId");
  const EpochSeconds expiry = unix_now() + kDemoSessionSeconds;
  return json_response(200, {{"token", sign_shopper_token(config_.secret, *customer_id, expiry)},
                             {"expiresAt", format_instant(expiry, 0)}});
}

ApiResponse Backend::post_demo_order(const Request& request) {
  std::string customer_id;
  if (auto denied = authenticate_shopper(request, customer_id)) return *denied;
  BodyReader body(request.body);
  auto order_id = body.string("orderId", Need::required, 128);
  auto amounts = read_order_amounts(body);
  auto lines = amounts ? read_order_lines(body, *amounts) : std::nullopt;
  if (body.failed()) return *body.error();
  // The order is always the token's customer's; naming another one is a mistake, not a switch.
  if (body.json().contains("customerId") && body.json()["customerId"] != customer_id)
    return error_response(403, "auth.otherCustomer",
                          "The shopper token belongs to another customer.", "/customerId");

  OrderEvent event;
  event.id = "demo-" + random_hex(16);  // a fresh event: each Place order is a new order
  event.type = "placed";
  event.customer_id = customer_id;
  event.order_id = *order_id;
  event.at = unix_now();
  event.amounts = *amounts;
  event.lines = std::move(*lines);
  event.ip = request.remote_addr;
  OrderOutcome outcome = apply_order_event(event);
  if (outcome.error) return *outcome.error;

  // The customer as the order left them, for the shop's confirmation.
  auto published = program();
  Database* db = database();
  Customer customer;
  LoadStatus status = LoadStatus::storage_error;
  if (db) {
    Transaction snapshot(*db, Transaction::Kind::read);
    status = load_customer(*db, customer_id, customer);
  }
  if (!published || status != LoadStatus::found)
    return error_response(503, "server.storage",
                          "The order was recorded, but the customer could not be read back.");
  Account account = replay(published->program, customer, unix_now());
  return text_response(
      200, std::string("{\"applied\":") + (outcome.applied ? "true" : "false") +
               ",\"points\":" + std::to_string(outcome.points) + ",\"customer\":" +
               customer_json(published->program, customer, account, kCustomerLedgerLimit) + "}");
}

}  // namespace loyalty::server
