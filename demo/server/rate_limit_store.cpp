#include "rate_limit_store.hpp"

namespace loyalty::server {

bool read_token_bucket(Database& db, std::string_view key, std::optional<TokenBucket>& out) {
  auto read = db.prepare("SELECT tokens_milli, updated_ms FROM rate_limit_buckets WHERE key = ?1");
  read.bind(1, key);
  out.reset();
  if (read.step()) out = TokenBucket{read.integer(0), read.integer(1)};
  return read.ok();
}

bool write_token_bucket(Database& db, std::string_view key, const TokenBucket& bucket) {
  auto write = db.prepare(
      "INSERT INTO rate_limit_buckets (key, tokens_milli, updated_ms) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(key) DO UPDATE SET tokens_milli = excluded.tokens_milli, "
      "updated_ms = excluded.updated_ms");
  write.bind(1, key).bind(2, bucket.tokens_milli).bind(3, bucket.updated_ms);
  return write.run();
}

}  // namespace loyalty::server
