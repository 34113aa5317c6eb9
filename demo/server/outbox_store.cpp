#include "outbox_store.hpp"

#include <atomic>
#include <chrono>

#include "auth.hpp"

namespace loyalty::server {
namespace {

std::atomic<std::uint64_t> queued_count{0};

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The columns every listing reads, in OutboxRow's order.
#define OUTBOX_COLUMNS                                                                         \
  "seq, id, customer_id, kind, payload, created_at, attempts, next_attempt_at, delivered_at, " \
  "last_error, dead"

OutboxRow read_row(const Statement& row) {
  OutboxRow out;
  out.seq = row.integer(0);
  out.id = row.text(1);
  out.customer_id = row.text(2);
  out.kind = row.text(3);
  out.payload = row.text(4);
  out.created_at = row.integer(5);
  out.attempts = row.integer(6);
  out.next_attempt_at_ms = row.integer(7);
  out.delivered_at = row.optional_integer(8);
  if (!row.is_null(9)) out.last_error = row.text(9);
  out.dead = row.integer(10) != 0;
  return out;
}

bool read_all(Statement& query, std::vector<OutboxRow>& out) {
  while (query.step()) out.push_back(read_row(query));
  return query.ok();
}

}  // namespace

std::optional<OutboxState> parse_outbox_state(std::string_view text) {
  if (text == "pending") return OutboxState::pending;
  if (text == "delivered") return OutboxState::delivered;
  if (text == "dead") return OutboxState::dead;
  return std::nullopt;
}

bool enqueue_notification(Database& db, std::string_view customer_id, std::string_view kind,
                          std::string_view payload, std::string_view dedupe_key, EpochSeconds now) {
  auto insert = db.prepare(
      "INSERT INTO notification_outbox (id, customer_id, kind, payload, dedupe_key, created_at, "
      "next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (dedupe_key) DO NOTHING");
  insert.bind(1, "ntf_" + random_hex(16)).bind(2, customer_id).bind(3, kind).bind(4, payload);
  if (dedupe_key.empty())
    insert.bind_null(5);
  else
    insert.bind(5, dedupe_key);
  insert.bind(6, now).bind(7, unix_now_ms());
  if (!insert.run()) return false;
  queued_count.fetch_add(1, std::memory_order_relaxed);
  return true;
}

std::uint64_t notifications_queued_count() { return queued_count.load(std::memory_order_relaxed); }

bool due_notifications(Database& db, std::int64_t now_ms, std::int64_t limit,
                       std::vector<OutboxRow>& out) {
  auto query = db.prepare("SELECT " OUTBOX_COLUMNS
                          " FROM notification_outbox WHERE delivered_at IS NULL AND dead = 0 AND "
                          "next_attempt_at <= ?1 ORDER BY next_attempt_at, seq LIMIT ?2");
  query.bind(1, now_ms).bind(2, limit);
  return read_all(query, out);
}

bool claim_due_notification(Database& db, std::int64_t now_ms, std::optional<OutboxRow>& out) {
  auto query = db.prepare("SELECT " OUTBOX_COLUMNS
                          " FROM notification_outbox WHERE delivered_at IS NULL AND dead = 0 AND "
                          "next_attempt_at <= ?1 ORDER BY next_attempt_at, seq LIMIT 1 "
                          "FOR UPDATE SKIP LOCKED");
  query.bind(1, now_ms);
  out.reset();
  if (query.step()) out = read_row(query);
  return query.ok();
}

std::optional<std::int64_t> next_due_ms(Database& db) {
  auto query = db.prepare(
      "SELECT MIN(next_attempt_at) FROM notification_outbox WHERE delivered_at IS NULL AND "
      "dead = 0");
  if (!query.step()) return std::nullopt;
  return query.optional_integer(0);
}

bool list_outbox_rows(Database& db, OutboxState state, std::int64_t after_seq, std::int64_t limit,
                      std::vector<OutboxRow>& out) {
  auto query =
      db.prepare("SELECT " OUTBOX_COLUMNS
                 " FROM notification_outbox WHERE seq > ?1 AND CASE ?2 WHEN 'pending' THEN "
                 "delivered_at IS NULL AND dead = 0 WHEN 'delivered' THEN delivered_at IS NOT NULL "
                 "ELSE dead = 1 END ORDER BY seq LIMIT ?3");
  const char* name = state == OutboxState::pending     ? "pending"
                     : state == OutboxState::delivered ? "delivered"
                                                       : "dead";
  query.bind(1, after_seq).bind(2, name).bind(3, limit);
  return read_all(query, out);
}

bool mark_delivered(Database& db, std::string_view id, EpochSeconds now) {
  auto update = db.prepare(
      "UPDATE notification_outbox SET attempts = attempts + 1, delivered_at = ?2, "
      "last_error = NULL WHERE id = ?1 AND delivered_at IS NULL");
  update.bind(1, id).bind(2, now);
  return update.run();
}

bool mark_failed(Database& db, std::string_view id, std::string_view error,
                 std::int64_t next_attempt_at_ms, bool dead) {
  auto update = db.prepare(
      "UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?2, "
      "next_attempt_at = ?3, dead = ?4 WHERE id = ?1 AND delivered_at IS NULL");
  update.bind(1, id).bind(2, error).bind(3, next_attempt_at_ms).bind(4, std::int64_t{dead ? 1 : 0});
  return update.run();
}

RequeueResult requeue_dead_notification(Database& db, std::string_view id, std::int64_t now_ms) {
  auto find = db.prepare("SELECT dead FROM notification_outbox WHERE id = ?1");
  find.bind(1, id);
  if (!find.step()) return find.ok() ? RequeueResult::not_found : RequeueResult::storage_error;
  if (find.integer(0) == 0) return RequeueResult::not_dead;
  auto update = db.prepare(
      "UPDATE notification_outbox SET dead = 0, attempts = 0, next_attempt_at = ?2 WHERE id = ?1");
  update.bind(1, id).bind(2, now_ms);
  if (!update.run()) return RequeueResult::storage_error;
  queued_count.fetch_add(1, std::memory_order_relaxed);
  return RequeueResult::requeued;
}

}  // namespace loyalty::server
