#include "loyalty/money.hpp"

namespace loyalty {

namespace {

// GCC, Clang and Emscripten all have 128-bit integers; __extension__ keeps -Wpedantic quiet.
__extension__ typedef __int128 Int128;

struct CurrencyDigits {
  const char* code;
  int digits;
};

// ISO 4217 active codes whose minor unit is not 2, plus the common 2-digit ones. Codes not in
// either list are unknown, which is an error: a wrong digit count would misprice every reward.
constexpr CurrencyDigits kNonTwoDigit[] = {
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3},
    {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3},
    {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"UYW", 4},
    {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
};

constexpr const char* kTwoDigit[] = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF",
    "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR",
    "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF",
    "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK",
    "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
    "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "UYU", "UZS", "VES", "WST", "XCD", "YER", "ZAR",
    "ZMW", "ZWG", "MRO", "HRK", "SLL", "XCG", "MXV", "BOV", "CHE", "CHW",
};

}  // namespace

std::optional<int> iso4217_minor_units(std::string_view code) {
  for (const auto& c : kNonTwoDigit)
    if (code == c.code) return c.digits;
  for (const char* c : kTwoDigit)
    if (code == c) return 2;
  return std::nullopt;
}

std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<std::int64_t> mul_div_floor(std::int64_t a, std::int64_t b, std::int64_t c) {
  if (c <= 0) return std::nullopt;
  const Int128 product = static_cast<Int128>(a) * b;
  Int128 quotient = product / c;
  if (product % c != 0 && product < 0) --quotient;  // floor, not truncation, for negatives
  if (quotient > INT64_MAX || quotient < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(quotient);
}

std::optional<std::int64_t> mul_div_half_up(std::int64_t a, std::int64_t b, std::int64_t c) {
  if (c <= 0) return std::nullopt;
  // floor((2ab + c) / 2c): exactly half rounds up, for negatives too (-2.5 -> -2).
  const Int128 numerator = static_cast<Int128>(a) * b * 2 + c;
  const Int128 denominator = static_cast<Int128>(c) * 2;
  Int128 quotient = numerator / denominator;
  if (numerator % denominator != 0 && numerator < 0) --quotient;
  if (quotient > INT64_MAX || quotient < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(quotient);
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  const auto sum = checked_add(a, b);
  if (!sum || *sum > kMaxSafeInteger) return (b > 0) ? kMaxSafeInteger : -kMaxSafeInteger;
  if (*sum < -kMaxSafeInteger) return -kMaxSafeInteger;
  return *sum;
}

}  // namespace loyalty
