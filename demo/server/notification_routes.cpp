// GET /v1/admin/notifications and POST /v1/admin/notifications/{id}/retry: what the outbox holds
// and a way to send a dead-lettered notification again (outbox_store.hpp).
#include <cstdlib>

#include "backend.hpp"
#include "backend_helpers.hpp"
#include "loyalty/time.hpp"
#include "outbox_store.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

constexpr std::int64_t kDefaultPage = 50;
constexpr std::int64_t kMaxPage = 200;

ApiResponse outbox_failure() {
  return error_response(503, "server.storage", "The notifications outbox could not be read.");
}

json row_json(const OutboxRow& row) {
  const char* state = row.delivered_at ? "delivered" : row.dead ? "dead" : "pending";
  return {{"id", row.id},
          {"kind", row.kind},
          {"customerId", row.customer_id},
          {"state", state},
          {"createdAt", format_instant(row.created_at, 0)},
          {"attempts", row.attempts},
          {"nextAttemptAt", row.delivered_at || row.dead
                                ? json(nullptr)
                                : json(format_instant(row.next_attempt_at_ms / 1000, 0))},
          {"deliveredAt", instant_or_null(row.delivered_at)},
          {"lastError", row.last_error ? json(*row.last_error) : json(nullptr)},
          {"data", json::parse(row.payload, nullptr, false)}};
}

/// A whole number in [min, max] from a query parameter.
std::optional<std::int64_t> read_number(const std::string& text, std::int64_t min,
                                        std::int64_t max) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace

ApiResponse Backend::list_notifications(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  const auto state = parse_outbox_state(request.get_param_value("state"));
  if (!state)
    return error_response(400, "request.invalidField", "state: one of pending, delivered, dead",
                          "/state");
  std::int64_t limit = kDefaultPage;
  if (request.has_param("limit")) {
    auto read = read_number(request.get_param_value("limit"), 1, kMaxPage);
    if (!read)
      return error_response(400, "request.invalidField",
                            "limit: a whole number from 1 to " + std::to_string(kMaxPage),
                            "/limit");
    limit = *read;
  }
  std::int64_t after = 0;
  if (request.has_param("after")) {
    auto read = read_number(request.get_param_value("after"), 0, INT64_MAX / 2);
    if (!read)
      return error_response(400, "request.invalidField", "after: the previous page's next cursor",
                            "/after");
    after = *read;
  }
  Database* db = database();
  if (!db) return outbox_failure();
  std::vector<OutboxRow> rows;
  // One more than the page tells whether another page follows.
  if (!list_outbox_rows(*db, *state, after, limit + 1, rows)) return outbox_failure();
  json next = nullptr;
  if (static_cast<std::int64_t>(rows.size()) > limit) {
    rows.pop_back();
    next = std::to_string(rows.back().seq);
  }
  json list = json::array();
  for (const OutboxRow& row : rows) list.push_back(row_json(row));
  return json_response(200, {{"notifications", std::move(list)}, {"next", next}});
}

ApiResponse Backend::post_notification_retry(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  const std::string id = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  const std::int64_t now_ms = unix_now_ms();
  RequeueResult result = RequeueResult::storage_error;
  const bool committed = writes_->run([&](Database& db) {
    result = requeue_dead_notification(db, id, now_ms);
    return result != RequeueResult::storage_error;
  });
  if (!committed || result == RequeueResult::storage_error) return outbox_failure();
  if (result == RequeueResult::not_found)
    return error_response(404, "notification.unknown", "No notification has this id.");
  if (result == RequeueResult::not_dead)
    return error_response(409, "notification.notDead",
                          "Only a dead-lettered notification can be retried; this one is "
                          "delivered or still queued.");
  return json_response(200, {{"id", id}, {"state", "pending"}});
}

}  // namespace loyalty::server
