// The notifications outbox in SQLite (schema step 3): rows are queued inside the writer job that
// changes the ledger, so they commit or roll back with it, and the notifier delivers them later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "database.hpp"
#include "loyalty/customer.hpp"

namespace loyalty::server {

/// One row of notification_outbox.
struct OutboxRow {
  std::int64_t seq = 0;
  std::string id;  // "ntf_" + 128 random bits: what the receiver deduplicates by
  std::string customer_id;
  std::string kind;
  std::string payload;  // JSON object text
  EpochSeconds created_at = 0;
  std::int64_t attempts = 0;
  std::int64_t next_attempt_at_ms = 0;
  std::optional<EpochSeconds> delivered_at;
  std::optional<std::string> last_error;
  bool dead = false;
};

enum class OutboxState { pending, delivered, dead };

/// "pending" / "delivered" / "dead"; nullopt for anything else.
std::optional<OutboxState> parse_outbox_state(std::string_view text);

/// Queues a notification, due at once. A non-empty `dedupe_key` already queued queues nothing
/// (and is not an error). False on a storage error.
bool enqueue_notification(Database& db, std::string_view customer_id, std::string_view kind,
                          std::string_view payload, std::string_view dedupe_key, EpochSeconds now);

/// How many notifications this process has queued so far (rolled back ones included): the
/// writer compares it after each group to wake the notifier only when there may be new work.
std::uint64_t notifications_queued_count();

/// Up to `limit` undelivered, live rows due at `now_ms`, oldest first.
bool due_notifications(Database& db, std::int64_t now_ms, std::int64_t limit,
                       std::vector<OutboxRow>& out);
/// PostgreSQL only, in a TransactionKind::claim transaction: the oldest row due at `now_ms` that
/// no other transaction has locked, locked until this one ends (FOR UPDATE SKIP LOCKED); `out`
/// is empty when there is none. False when the store failed.
bool claim_due_notification(Database& db, std::int64_t now_ms, std::optional<OutboxRow>& out);
/// When the next undelivered, live row is due (Unix ms); nullopt when none is queued.
std::optional<std::int64_t> next_due_ms(Database& db);

/// Rows in `state` with seq > `after_seq`, oldest first, at most `limit`.
bool list_outbox_rows(Database& db, OutboxState state, std::int64_t after_seq, std::int64_t limit,
                      std::vector<OutboxRow>& out);

/// A 2xx arrived for this attempt.
bool mark_delivered(Database& db, std::string_view id, EpochSeconds now);
/// The attempt failed: counts it, keeps the error and either schedules the next attempt or
/// dead-letters the row.
bool mark_failed(Database& db, std::string_view id, std::string_view error,
                 std::int64_t next_attempt_at_ms, bool dead);

enum class RequeueResult { requeued, not_found, not_dead, storage_error };
/// Puts a dead row back in the queue with its attempts reset, due at `now_ms`.
RequeueResult requeue_dead_notification(Database& db, std::string_view id, std::int64_t now_ms);

}  // namespace loyalty::server
