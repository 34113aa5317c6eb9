// Redemptions' Idempotency-Keys in `idempotency_keys`: each key is claimed together with the
// answer it got, so a retry of the same request gets that answer again, whatever happened since.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "database.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {

/// What a key was first used for, and what that request was answered.
struct IdempotentAnswer {
  std::string request_hash;  // of the request's body: the same key for another body is refused
  int status = 0;
  std::string response;  // the answer's JSON body
};

enum class KeyClaim { claimed, already_used, storage_error };

/// Claims (customer, key) with `answer`, unless the key is already used (then nothing changes).
KeyClaim claim_idempotency_key(Database& db, std::string_view customer_id, std::string_view key,
                               const IdempotentAnswer& answer, EpochSeconds created_at);

/// What the key was claimed with; false when it is not (or on a storage error).
bool find_idempotent_answer(Database& db, std::string_view customer_id, std::string_view key,
                            IdempotentAnswer& out);

/// Where a pass over every key has got to, in (customer, key) order.
struct KeyCursor {
  std::string customer_id;
  std::string key;
};

/// Looks at up to `batch` keys after `cursor` (moving it past them) and deletes those created
/// before `cutoff`. How many it looked at in `seen` (fewer than `batch`: the pass is done).
/// False on a storage error.
bool prune_idempotency_keys(Database& db, KeyCursor& cursor, std::int64_t batch,
                            EpochSeconds cutoff, std::int64_t& seen);

}  // namespace loyalty::server
