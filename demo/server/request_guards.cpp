// What a request passes before an endpoint acts on it: the shopper token, the admin key and the
// rate limits (a token bucket per key, kept in the store).
#include <algorithm>
#include <cctype>
#include <string_view>

#include "auth.hpp"
#include "backend.hpp"
#include "backend_helpers.hpp"
#include "rate_limit_store.hpp"

namespace loyalty::server {
namespace {

std::optional<std::string> bearer_token(const Request& request) {
  if (!request.has_header("Authorization")) return std::nullopt;
  std::string value = request.get_header_value("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() < kPrefix.size() ||
      !std::equal(kPrefix.begin(), kPrefix.end(), value.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      }))
    return std::string();
  return value.substr(kPrefix.size());
}

}  // namespace

std::optional<ApiResponse> Backend::authenticate_shopper(const Request& request,
                                                         std::string& customer_id) const {
  if (!request.verified_customer.empty()) {
    customer_id = request.verified_customer;
    return std::nullopt;
  }
  auto token = bearer_token(request);
  if (!token)
    return error_response(401, "auth.missingToken",
                          "Send the shopper token as \"Authorization: Bearer <token>\".");
  if (token->empty())
    return error_response(401, "auth.malformedToken",
                          "The Authorization header must be \"Bearer <token>\".");
  auto check = verify_shopper_token(config_.secret, *token, unix_now());
  switch (check.status) {
    case TokenStatus::valid:
      customer_id = check.customer_id;
      return std::nullopt;
    case TokenStatus::expired:
      return error_response(401, "auth.expiredToken", "The shopper token has expired.");
    case TokenStatus::missing:
      return error_response(401, "auth.missingToken", "The shopper token is empty.");
    case TokenStatus::malformed:
      return error_response(401, "auth.malformedToken",
                            "The shopper token is not \"<customerId>.<expiry>.<signature>\".");
    case TokenStatus::forged:
      break;
  }
  return error_response(401, "auth.invalidToken", "The shopper token's signature is not valid.");
}

std::optional<ApiResponse> Backend::authenticate_admin(const Request& request) const {
  if (!request.has_header("X-Admin-Key"))
    return error_response(401, "auth.missingAdminKey", "Send the admin key as X-Admin-Key.");
  if (!admin_key_.matches(request.get_header_value("X-Admin-Key")))
    return error_response(401, "auth.invalidAdminKey", "The admin key is not valid.");
  return std::nullopt;
}

std::optional<ApiResponse> Backend::take_rate_token(Database& db, const std::string& key,
                                                    const RateLimit& limit) {
  if (limit.per_minute <= 0) return std::nullopt;
  const std::int64_t capacity_milli = limit.per_minute * 1000;
  const std::int64_t now_ms = unix_now_ms();
  std::int64_t tokens_milli = capacity_milli;
  std::optional<TokenBucket> bucket;
  if (!read_token_bucket(db, key, bucket)) return storage_failure();
  if (bucket) {
    std::int64_t elapsed_ms = std::max<std::int64_t>(0, now_ms - bucket->updated_ms);
    // per_minute tokens per 60000 ms = per_minute milli-tokens per 60 ms.
    std::int64_t refill = elapsed_ms >= 60000 ? capacity_milli : elapsed_ms * limit.per_minute / 60;
    tokens_milli = std::min(capacity_milli, bucket->tokens_milli + refill);
  }
  if (tokens_milli < 1000) {
    std::int64_t wait_ms = (1000 - tokens_milli) * 60 / limit.per_minute;
    std::int64_t retry_after = std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
    auto response =
        error_response(429, "request.rateLimited",
                       "Too many requests; try again in " + std::to_string(retry_after) + " s.", "",
                       {{"retryAfter", retry_after}});
    response.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return response;
  }
  if (!write_token_bucket(db, key, TokenBucket{tokens_milli - 1000, now_ms}))
    return storage_failure();
  return std::nullopt;
}

}  // namespace loyalty::server
