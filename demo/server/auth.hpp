// Shopper tokens, the admin key and unguessable codes (CONTRACT.md, "Backend HTTP API").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace loyalty::server {

/// Customer ids match [A-Za-z0-9_-]{1,64}.
bool is_valid_customer_id(std::string_view id);

/// Lowercase hex HMAC-SHA256(secret, message).
std::string hmac_sha256_hex(std::string_view secret, std::string_view message);

/// Standard base64 (RFC 4648, section 4, with padding) of HMAC-SHA256(secret, message): the
/// signature Shopify and WooCommerce send with their webhooks.
std::string hmac_sha256_base64(std::string_view secret, std::string_view message);

/// Standard base64 with padding: base64_encode("hi") == "aGk=".
std::string base64_encode(std::string_view bytes);

/// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// Compares in time that depends only on the lengths, so a forger learns nothing from timing.
/// For values of a public length (a 64-digit signature); a secret of its own length is compared
/// with SecretMatcher.
bool constant_time_equal(std::string_view a, std::string_view b);

/// Checks a presented secret (the admin key) against the expected one without revealing, by
/// timing, anything of the expected one, its length included: both are HMAC-SHA256'd under a
/// random key drawn per matcher and the two 32-byte digests compared with CRYPTO_memcmp.
///   SecretMatcher admin("s3cret-admin-key");
///   admin.matches(request_header) == (request_header == "s3cret-admin-key")
/// An empty expected secret matches nothing.
class SecretMatcher {
 public:
  explicit SecretMatcher(std::string_view expected);
  ~SecretMatcher();
  SecretMatcher(const SecretMatcher&) = delete;
  SecretMatcher& operator=(const SecretMatcher&) = delete;

  bool matches(std::string_view presented) const;

 private:
  std::array<unsigned char, 32> key_{};
  std::array<unsigned char, 32> expected_{};
  bool usable_ = false;
};

/// "<customerId>.<expiry>.<hex HMAC-SHA256(secret, "<customerId>.<expiry>")>"
///   sign_shopper_token("s3cret", "c-1001", 1767225600) == "c-1001.1767225600.9f2c..."
std::string sign_shopper_token(std::string_view secret, std::string_view customer_id,
                               std::int64_t expiry);

enum class TokenStatus { valid, missing, malformed, forged, expired };

struct TokenCheck {
  TokenStatus status = TokenStatus::missing;
  std::string customer_id;  // set when valid
};

/// Checks a token (without the "Bearer " prefix) against the secret at `now` (Unix seconds).
TokenCheck verify_shopper_token(std::string_view secret, std::string_view token, std::int64_t now);

/// `byte_count` bytes from OpenSSL's CSPRNG as lowercase hex.
std::string random_hex(std::size_t byte_count);

/// `length` random characters of Crockford's base32 (no I, L, O or U), 5 bits each.
std::string random_base32(std::size_t length);

/// A coupon code such as "LOY-7KQ2-M9XD-43PA-W6TB": 80 random bits in Crockford base32 groups.
std::string random_coupon_code(std::string_view prefix);

}  // namespace loyalty::server
