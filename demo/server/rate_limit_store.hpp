// Token buckets of the rate limits in `rate_limit_buckets`, one row per key ("redeem:<customer>",
// "lookup:<address>"...): kept in the database so that every connection, and a restart, counts
// the same requests.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "database.hpp"

namespace loyalty::server {

struct TokenBucket {
  std::int64_t tokens_milli = 0;  // thousandths of a request
  std::int64_t updated_ms = 0;    // when it last had tokens_milli, in Unix milliseconds
};

/// The bucket `key` into `out` (nullopt when it has none yet). False on a storage error.
bool read_token_bucket(Database& db, std::string_view key, std::optional<TokenBucket>& out);

/// Stores the bucket `key`. False on a storage error.
bool write_token_bucket(Database& db, std::string_view key, const TokenBucket& bucket);

}  // namespace loyalty::server
