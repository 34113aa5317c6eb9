// Order events already applied, in `order_events`: a redelivered event id is answered as before
// instead of applied twice, and a refund that names no customer finds who placed the order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "customer_store.hpp"
#include "database.hpp"
#include "loyalty/money.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {

/// One row of `order_events`.
struct StoredOrderEvent {
  std::string event_id;
  std::string customer_id;
  std::string type;  // "placed", "refunded", "cancelled"
  std::string order_id;
  Points points = 0;  // what applying it changed the customer's points by
  EpochSeconds received_at = 0;
};

/// The event recorded under `event_id`.
LoadStatus find_order_event(Database& db, std::string_view event_id, StoredOrderEvent& out);

/// Records an applied event. False on a storage error (a repeated id included).
bool record_order_event(Database& db, const StoredOrderEvent& event);

/// Who placed `order_id` (the customer of its `placed` event).
LoadStatus find_customer_of_order(Database& db, std::string_view order_id,
                                  std::string& customer_id);

}  // namespace loyalty::server
