#include "auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cstdlib>

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

void fill_random(unsigned char* bytes, std::size_t count) {
  // A failing CSPRNG must never hand out guessable codes: stop the process instead.
  if (RAND_bytes(bytes, static_cast<int>(count)) != 1) std::abort();
}

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
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &length);
  return to_hex(digest.data(), length);
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
