#include "order_event_store.hpp"

namespace loyalty::server {

LoadStatus find_order_event(Database& db, std::string_view event_id, StoredOrderEvent& out) {
  auto seen = db.prepare(
      "SELECT customer_id, type, order_id, points, received_at FROM order_events "
      "WHERE event_id = ?1");
  seen.bind(1, event_id);
  if (!seen.step()) return seen.ok() ? LoadStatus::not_found : LoadStatus::storage_error;
  out.event_id = std::string(event_id);
  out.customer_id = seen.text(0);
  out.type = seen.text(1);
  out.order_id = seen.text(2);
  out.points = seen.integer(3);
  out.received_at = seen.integer(4);
  return LoadStatus::found;
}

bool record_order_event(Database& db, const StoredOrderEvent& event) {
  auto record = db.prepare(
      "INSERT INTO order_events (event_id, customer_id, type, order_id, points, received_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  record.bind(1, event.event_id).bind(2, event.customer_id).bind(3, event.type);
  record.bind(4, event.order_id).bind(5, event.points).bind(6, event.received_at);
  return record.run();
}

LoadStatus find_customer_of_order(Database& db, std::string_view order_id,
                                  std::string& customer_id) {
  auto placed = db.prepare(
      "SELECT customer_id FROM order_events WHERE order_id = ?1 AND type = 'placed' LIMIT 1");
  placed.bind(1, order_id);
  if (!placed.step()) return placed.ok() ? LoadStatus::not_found : LoadStatus::storage_error;
  customer_id = placed.text(0);
  return LoadStatus::found;
}

}  // namespace loyalty::server
