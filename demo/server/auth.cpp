#include "auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

namespace loyalty::server {
namespace {

std::string to_hex(const unsigned char* bytes, std::size_t count) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(count * 2);
  for (std::size_t i = 0; i < count; ++i) {
    hex.push_back(kDigits[bytes[i] >> 4]);
    hex.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return hex;
}

// RAND_bytes costs about a microsecond a call whatever the size (locks, a fork check), and a
// redemption needs two small draws; each thread takes its bytes from a block drawn at once.
class RandomPool {
 public:
  ~RandomPool() { OPENSSL_cleanse(block_.data(), block_.size()); }
  void fill(unsigned char* out, std::size_t count) {
    while (count > 0) {
      if (used_ == block_.size()) refill();
      const std::size_t take = std::min(count, block_.size() - used_);
      std::memcpy(out, block_.data() + used_, take);
      OPENSSL_cleanse(block_.data() + used_, take);  // handed-out bytes don't linger
      used_ += take;
      out += take;
      count -= take;
    }
  }

 private:
  void refill() {
    // A failing CSPRNG must never hand out guessable codes: stop the process instead.
    if (RAND_bytes(block_.data(), static_cast<int>(block_.size())) != 1) std::abort();
    used_ = 0;
  }
  std::array<unsigned char, 1024> block_{};
  std::size_t used_ = block_.size();
};

void fill_random(unsigned char* bytes, std::size_t count) {
  thread_local RandomPool pool;
  pool.fill(bytes, count);
}

// An HMAC-SHA256 context keyed once per thread and secret: HMAC() fetched the digest, made a
// context and set the key on every call, most of a token check's time.
class KeyedHmac {
 public:
  ~KeyedHmac() { reset(); }
  bool sign(std::string_view secret, std::string_view message, unsigned char* digest,
            std::size_t& length) {
    if (!context_ || secret != secret_) {
      reset();
      mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
      context_ = mac_ ? EVP_MAC_CTX_new(mac_) : nullptr;
      char digest_name[] = "SHA256";
      OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest_name, 0),
                             OSSL_PARAM_construct_end()};
      if (!context_ ||
          !EVP_MAC_init(context_, reinterpret_cast<const unsigned char*>(secret.data()),
                        secret.size(), params)) {
        reset();
        return false;
      }
      secret_ = std::string(secret);
    } else if (!EVP_MAC_init(context_, nullptr, 0, nullptr)) {  // same key, fresh state
      return false;
    }
    return EVP_MAC_update(context_, reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) &&
           EVP_MAC_final(context_, digest, &length, EVP_MAX_MD_SIZE);
  }

 private:
  void reset() {
    EVP_MAC_CTX_free(context_);
    EVP_MAC_free(mac_);
    context_ = nullptr;
    mac_ = nullptr;
    OPENSSL_cleanse(secret_.data(), secret_.size());
    secret_.clear();
  }
  EVP_MAC* mac_ = nullptr;
  EVP_MAC_CTX* context_ = nullptr;
  std::string secret_;
};

}  // namespace

bool is_valid_customer_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view message) {
  thread_local KeyedHmac hmac;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t length = 0;
  // Without a digest no signature can match: an empty text never equals a 64-digit one.
  if (!hmac.sign(secret, message, digest.data(), length)) return {};
  return to_hex(digest.data(), length);
}

std::string hmac_sha256_base64(std::string_view secret, std::string_view message) {
  thread_local KeyedHmac hmac;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t length = 0;
  if (!hmac.sign(secret, message, digest.data(), length)) return {};
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  // Three bytes make four 6-bit digits; a last group of one or two bytes is padded with '='.
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned group = static_cast<unsigned char>(bytes[i]) << 16 |
                           static_cast<unsigned char>(bytes[i + 1]) << 8 |
                           static_cast<unsigned char>(bytes[i + 2]);
    text += kAlphabet[group >> 18 & 63];
    text += kAlphabet[group >> 12 & 63];
    text += kAlphabet[group >> 6 & 63];
    text += kAlphabet[group & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned group = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    text += kAlphabet[group >> 18 & 63];
    text += kAlphabet[group >> 12 & 63];
    text += rest == 2 ? kAlphabet[group >> 6 & 63] : '=';
    text += '=';
  }
  return text;
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return to_hex(digest.data(), length);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

// The HMAC of `message` under a SecretMatcher's key; false when OpenSSL fails. A context of its
// own per thread, so admin checks don't re-key the one that checks shopper tokens.
bool matcher_digest(const std::array<unsigned char, 32>& key, std::string_view message,
                    std::array<unsigned char, 32>& digest) {
  thread_local KeyedHmac hmac;
  std::array<unsigned char, EVP_MAX_MD_SIZE> full{};
  std::size_t length = 0;
  if (!hmac.sign(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), message,
                 full.data(), length) ||
      length != digest.size())
    return false;
  std::memcpy(digest.data(), full.data(), digest.size());
  OPENSSL_cleanse(full.data(), full.size());
  return true;
}

}  // namespace

SecretMatcher::SecretMatcher(std::string_view expected) {
  fill_random(key_.data(), key_.size());
  usable_ = !expected.empty() && matcher_digest(key_, expected, expected_);
}

SecretMatcher::~SecretMatcher() {
  OPENSSL_cleanse(key_.data(), key_.size());
  OPENSSL_cleanse(expected_.data(), expected_.size());
}

bool SecretMatcher::matches(std::string_view presented) const {
  std::array<unsigned char, 32> digest{};
  const bool hashed = matcher_digest(key_, presented, digest);
  // Always the same 32-byte comparison, whatever either length.
  const bool equal = CRYPTO_memcmp(digest.data(), expected_.data(), digest.size()) == 0;
  return usable_ && hashed && equal;
}

std::string sign_shopper_token(std::string_view secret, std::string_view customer_id,
                               std::int64_t expiry) {
  std::string payload = std::string(customer_id) + "." + std::to_string(expiry);
  return payload + "." + hmac_sha256_hex(secret, payload);
}

TokenCheck verify_shopper_token(std::string_view secret, std::string_view token, std::int64_t now) {
  TokenCheck check;
  if (token.empty()) return check;
  check.status = TokenStatus::malformed;
  auto first_dot = token.find('.');
  auto last_dot = token.rfind('.');
  if (first_dot == std::string_view::npos || first_dot == last_dot) return check;
  std::string_view customer_id = token.substr(0, first_dot);
  std::string_view expiry_text = token.substr(first_dot + 1, last_dot - first_dot - 1);
  std::string_view signature = token.substr(last_dot + 1);
  if (!is_valid_customer_id(customer_id) || expiry_text.empty() || expiry_text.size() > 15 ||
      signature.size() != 64)
    return check;
  std::int64_t expiry = 0;
  for (char c : expiry_text) {
    if (c < '0' || c > '9') return check;
    expiry = expiry * 10 + (c - '0');
  }
  std::string expected = hmac_sha256_hex(secret, token.substr(0, last_dot));
  if (!constant_time_equal(expected, signature)) {
    check.status = TokenStatus::forged;
    return check;
  }
  // Only a genuine token is told that it expired.
  if (expiry <= now) {
    check.status = TokenStatus::expired;
    return check;
  }
  check.status = TokenStatus::valid;
  check.customer_id = std::string(customer_id);
  return check;
}

std::string random_hex(std::size_t byte_count) {
  std::string bytes(byte_count, '\0');
  fill_random(reinterpret_cast<unsigned char*>(bytes.data()), byte_count);
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), byte_count);
}

std::string random_base32(std::size_t length) {
  // Crockford base32: codes read aloud or typed stay unambiguous.
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string bytes(length, '\0');
  fill_random(reinterpret_cast<unsigned char*>(bytes.data()), length);
  std::string text;
  text.reserve(length);
  // 256 is a multiple of 32, so the low five bits of a uniform byte are uniform.
  for (char byte : bytes) text.push_back(kAlphabet[static_cast<unsigned char>(byte) & 31]);
  return text;
}

std::string random_coupon_code(std::string_view prefix) {
  std::string random = random_base32(16);
  std::string code(prefix);
  for (std::size_t i = 0; i < random.size(); i += 4) code += "-" + random.substr(i, 4);
  return code;
}

}  // namespace loyalty::server
