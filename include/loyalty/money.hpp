// Money and points are integers: minor currency units and whole points. No floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty {

using Points = std::int64_t;
using MinorUnits = std::int64_t;

/// Largest points or money value any input may hold: 2^53 - 1, so that every value survives
/// a trip through JavaScript numbers unchanged.
constexpr std::int64_t kMaxSafeInteger = 9007199254740991;

struct Currency {
  std::string code = "USD";  // ISO 4217
  int minor_units = 2;       // digits after the decimal point: JPY 0, USD 2, KWD 3
};

/// ISO 4217 minor-unit digits for active currency codes; nullopt for unknown codes.
std::optional<int> iso4217_minor_units(std::string_view code);

/// Checked arithmetic: returns nullopt on overflow instead of wrapping.
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b);

/// floor(a * b / c) computed exactly in 128 bits; nullopt when c <= 0 or the result
/// overflows int64. This is the one rounding rule for proportional points:
/// earning (amount * points / per), multipliers (points * permille / 1000) and
/// refund clawback (points * refunded / paid).
std::optional<std::int64_t> mul_div_floor(std::int64_t a, std::int64_t b, std::int64_t c);
/// a * b / c rounded to the nearest integer, halves up (7.5 -> 8); for earn rules that ask for it.
std::optional<std::int64_t> mul_div_half_up(std::int64_t a, std::int64_t b, std::int64_t c);

/// Adds and saturates at kMaxSafeInteger / -kMaxSafeInteger, for running totals.
std::int64_t saturating_add(std::int64_t a, std::int64_t b);

}  // namespace loyalty
