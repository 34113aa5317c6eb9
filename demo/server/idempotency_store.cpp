#include "idempotency_store.hpp"

#include <utility>
#include <vector>

namespace loyalty::server {

KeyClaim claim_idempotency_key(Database& db, std::string_view customer_id, std::string_view key,
                               const IdempotentAnswer& answer, EpochSeconds created_at) {
  auto claim = db.prepare(
      "INSERT INTO idempotency_keys (customer_id, key, request_hash, status, response, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING");
  claim.bind(1, customer_id).bind(2, key).bind(3, answer.request_hash);
  claim.bind(4, static_cast<std::int64_t>(answer.status)).bind(5, answer.response);
  claim.bind(6, created_at);
  if (!claim.run()) return KeyClaim::storage_error;
  return db.changes() == 0 ? KeyClaim::already_used : KeyClaim::claimed;
}

bool find_idempotent_answer(Database& db, std::string_view customer_id, std::string_view key,
                            IdempotentAnswer& out) {
  auto previous = db.prepare(
      "SELECT request_hash, status, response FROM idempotency_keys WHERE customer_id = ?1 "
      "AND key = ?2");
  previous.bind(1, customer_id).bind(2, key);
  if (!previous.step()) return false;
  out.request_hash = previous.text(0);
  out.status = static_cast<int>(previous.integer(1));
  out.response = previous.text(2);
  return true;
}

bool prune_idempotency_keys(Database& db, KeyCursor& cursor, std::int64_t batch,
                            EpochSeconds cutoff, std::int64_t& seen) {
  // One pass over the table in key order: a pass reads every key once, where an index by age
  // would cost every redemption one more insert.
  std::vector<KeyCursor> expired;
  {
    auto page = db.prepare(
        "SELECT customer_id, key, created_at FROM idempotency_keys WHERE (customer_id, key) > "
        "(?1, ?2) ORDER BY customer_id, key LIMIT ?3");
    page.bind(1, cursor.customer_id).bind(2, cursor.key).bind(3, batch);
    seen = 0;
    while (page.step()) {
      ++seen;
      cursor.customer_id = page.text(0);
      cursor.key = page.text(1);
      if (page.integer(2) < cutoff) expired.push_back(cursor);
    }
    if (!page.ok()) return false;
  }
  for (const KeyCursor& old : expired) {
    auto prune = db.prepare("DELETE FROM idempotency_keys WHERE customer_id = ?1 AND key = ?2");
    prune.bind(1, old.customer_id).bind(2, old.key);
    if (!prune.run()) return false;
  }
  return true;
}

}  // namespace loyalty::server
