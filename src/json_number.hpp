// The value of a JSON number written with a fraction or an exponent, without strtod.
#pragma once

#include <string_view>

namespace loyalty::detail {

/// The double nearest to `written`, a number in JSON's grammar (the parser has checked it), with
/// halfway cases rounded to even: what a correctly rounded std::strtod returns, for any length of
/// text. ±HUGE_VAL past the largest double; 0 (signed) or a subnormal below the smallest.
/// strtod computes in long double, which is soft-float in wasm: about 15 KB of the module.
///
///   json_number_value("1.25") == 1.25;  json_number_value("-1e400") == -HUGE_VAL
double json_number_value(std::string_view written);

}  // namespace loyalty::detail
