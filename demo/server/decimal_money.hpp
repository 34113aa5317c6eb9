// Money sent as decimal text by shop platforms ("12.34"), read exactly into minor units.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "loyalty/money.hpp"

namespace loyalty::server {

/// Reads `text` as an amount of a currency with `digits` minor-unit digits, exactly (no floating
/// point): an optional '-', one or more digits, then optionally '.' and one or more digits.
/// Digits past the currency's are accepted only when they are zeros ("1000.00" JPY is 1000,
/// "12.340" USD is 1234), since such a value is still exact; a non-zero one ("12.345" USD) is
/// refused, because rounding it would invent or lose money. Values beyond kMaxSafeInteger minor
/// units are refused. On refusal returns nullopt and says why in `error`.
///   parse_decimal_minor_units("12.34", 2, error) == 1234
///   parse_decimal_minor_units("1.5", 3, error) == 1500
///   parse_decimal_minor_units("0.125", 2, error) == nullopt
std::optional<MinorUnits> parse_decimal_minor_units(std::string_view text, int digits,
                                                    std::string& error);

}  // namespace loyalty::server
