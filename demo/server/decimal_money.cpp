#include "decimal_money.hpp"

namespace loyalty::server {

std::optional<MinorUnits> parse_decimal_minor_units(std::string_view text, int digits,
                                                    std::string& error) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  auto all_digits = [](std::string_view part) {
    for (char c : part)
      if (c < '0' || c > '9') return false;
    return !part.empty();
  };
  if (!all_digits(whole) || (point != std::string_view::npos && !all_digits(fraction))) {
    error = "must be a decimal amount such as \"12.34\" (digits, an optional '.' and digits)";
    return std::nullopt;
  }
  for (std::size_t i = static_cast<std::size_t>(digits); i < fraction.size(); ++i) {
    if (fraction[i] != '0') {
      error = "has more decimals than the currency's " + std::to_string(digits) +
              ", which would have to be rounded";
      return std::nullopt;
    }
  }
  MinorUnits value = 0;
  auto push_digit = [&value](char c) {
    if (value > (kMaxSafeInteger - (c - '0')) / 10) return false;
    value = value * 10 + (c - '0');
    return true;
  };
  bool fits = true;
  for (char c : whole) fits = fits && push_digit(c);
  for (int i = 0; i < digits; ++i)
    fits = fits && push_digit(static_cast<std::size_t>(i) < fraction.size() ? fraction[i] : '0');
  if (!fits) {
    error = "is larger than the largest amount accepted (2^53 - 1 minor units)";
    return std::nullopt;
  }
  return negative ? -value : value;
}

}  // namespace loyalty::server
