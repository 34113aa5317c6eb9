// POST /v1/webhooks/{platform}: Shopify's and WooCommerce's own order webhooks, read with the
// platform's mapping (platforms/*.json, platform_mapping.hpp) into our order events and applied
// by Backend::apply_order_event, the code behind POST /v1/orders.
#include <utility>

#include "auth.hpp"
#include "backend.hpp"
#include "backend_helpers.hpp"
#include "order_event_store.hpp"
#include "platform_files.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

// Platforms retry every answer but 2xx, so what we deliberately skip is a 200.
ApiResponse ignored_response(const std::string& reason) {
  return json_response(200, {{"ignored", true}, {"reason", reason}});
}

}  // namespace

bool Backend::load_platforms(std::string& error) {
  for (const PlatformFile& file : builtin_platform_files()) {
    std::string problem;
    auto mapping = parse_platform_mapping(file.text, problem);
    if (!mapping) {
      error = "demo/server/platforms/" + std::string(file.name) + ".json: " + problem;
      return false;
    }
    if (mapping->name != file.name) {
      error = "demo/server/platforms/" + std::string(file.name) +
              ".json: /platform: must be the file's name";
      return false;
    }
    platforms_[mapping->name] = std::move(*mapping);
  }
  return true;
}

std::optional<std::string> Backend::customer_of_order(const std::string& order_id) {
  Database* db = database();
  if (!db) return std::string();
  std::string customer_id;
  switch (find_customer_of_order(*db, order_id, customer_id)) {
    case LoadStatus::found:
      return customer_id;
    case LoadStatus::not_found:
      return std::nullopt;
    case LoadStatus::storage_error:
      break;
  }
  return std::string();
}

ApiResponse Backend::post_platform_webhook(const Request& request) {
  const std::string& name = request.matches.size() > 1 ? request.matches[1] : std::string();
  auto platform = platforms_.find(name);
  if (platform == platforms_.end())
    return error_response(404, "webhook.unknownPlatform",
                          "No platform is called \"" + name + "\" here.", "");
  const PlatformMapping& mapping = platform->second;

  // The signature is over the raw bytes as sent: checked before the body is even parsed.
  auto secret = config_.webhook_secrets.find(name);
  if (secret == config_.webhook_secrets.end() || secret->second.empty())
    return error_response(
        401, "webhook.notConfigured",
        "No webhook secret is configured for " + name + " (--webhook-secret " + name + "=...).");
  const std::string presented = request.get_header_value(mapping.signature_header);
  if (presented.empty())
    return error_response(401, "webhook.missingSignature",
                          "The " + mapping.signature_header + " header is missing.");
  if (!constant_time_equal(presented, hmac_sha256_base64(secret->second, request.body)))
    return error_response(401, "webhook.invalidSignature",
                          "The " + mapping.signature_header +
                              " header does not match the body under the configured secret.");

  auto published = program();
  if (!published)
    return error_response(503, "program.notPublished", "No loyalty program is published yet.");

  json payload;
  if (auto malformed = parse_request_json(request.body, payload)) return *malformed;
  DeliveryContext context;
  context.topic = request.get_header_value(mapping.topic_header);
  context.currency = published->program.currency;
  context.now = unix_now();
  context.max_clock_skew_seconds = config_.max_clock_skew_seconds;
  context.accept_test_orders = config_.demo_routes;
  context.remote_addr = request.remote_addr;
  MappedDelivery delivery = map_delivery(mapping, payload, context);
  if (delivery.failed())
    return error_response(422, "webhook.unmappable",
                          delivery.error_path + ": " + delivery.error_message, delivery.error_path);
  if (delivery.ignored) return ignored_response(*delivery.ignored);

  json applied = json::array();
  for (MappedEvent& mapped : delivery.events) {
    OrderEvent& event = mapped.event;
    // A cancellation or refund of an order we never recorded (a guest's, one from before the
    // program, one still pending) has no points to take back: retrying it would never help.
    if (event.type != "placed") {
      auto placed_by = customer_of_order(event.order_id);
      if (placed_by && placed_by->empty())
        return error_response(503, "server.storage", "The customer store is busy or failing.");
      if (!placed_by) {
        if (delivery.events.size() == 1)
          return ignored_response("the order \"" + event.order_id + "\" was never recorded here");
        continue;
      }
      if (mapped.customer_from_order) event.customer_id = *placed_by;
    }
    OrderOutcome outcome = apply_order_event(event);
    if (outcome.error) return *outcome.error;
    json answer = {{"id", event.id},
                   {"type", event.type},
                   {"customerId", event.customer_id},
                   {"orderId", event.order_id},
                   {"applied", outcome.applied},
                   {"points", outcome.points}};
    if (!outcome.referral.is_null()) answer["referral"] = outcome.referral;
    applied.push_back(std::move(answer));
  }
  if (applied.empty()) return ignored_response("none of its orders was recorded here");
  return json_response(200, {{"events", applied}});
}

}  // namespace loyalty::server
