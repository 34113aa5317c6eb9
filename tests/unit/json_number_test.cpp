// json_number_value against the C library's std::strtod (correctly rounded in glibc and musl):
// the same double, bit for bit, on edge cases and on many deterministic random numbers.
#include "json_number.hpp"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

namespace loyalty::detail {
namespace {

std::uint64_t bits_of(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

::testing::AssertionResult same_as_strtod(const std::string& text) {
  const double expected = std::strtod(text.c_str(), nullptr);
  const double got = json_number_value(text);
  if (bits_of(expected) == bits_of(got)) return ::testing::AssertionSuccess();
  char shown[64];
  std::snprintf(shown, sizeof shown, "%.17g vs strtod's %.17g", got, expected);
  return ::testing::AssertionFailure() << text.substr(0, 200) << ": " << shown;
}

TEST(JsonNumberTest, EdgeCases) {
  const char* cases[] = {
      "0",
      "-0",
      "0.0",
      "-0.0",
      "0e0",
      "0e999999999999999999999",
      "-0.000e-5",
      "1",
      "-1",
      "1.0",
      "1.25",
      "2.5e0",
      "1e3",
      "1E+3",
      "1e-3",
      "0.1",
      "0.2",
      "0.3",
      "123.456",
      "100",
      "1.5e1",
      "9007199254740991",
      "9007199254740992",
      "9007199254740993",
      "9007199254740995",
      "9007199254740991.5",
      "9007199254740992.5",
      "18446744073709551616",
      "1e22",
      "1e23",
      "1.7976931348623157e308",
      "1.7976931348623158e308",
      "1.7976931348623159e308",
      "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649"
      "017977587207096330286416692887910946555527000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000000000000000000",
      "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649"
      "017977587207096330286416692887910946555526999999999999999999999999999999999999999999999"
      "999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
      "999999999999999999999999999999999999999999999999999999",
      "1e308",
      "1e309",
      "-1e309",
      "1e400",
      "-1e400",
      "1e-400",
      "-1e-400",
      "2.2250738585072014e-308",
      "2.2250738585072011e-308",
      "2.2250738585072012e-308",
      "4.9406564584124654e-324",
      "2.4703282292062327e-324",
      "2.4703282292062328e-324",
      "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991"
      "818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392"
      "290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769"
      "269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374"
      "006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968"
      "951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386"
      "591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995"
      "657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145"
      "437693412532098591327667236328125",
      "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991"
      "818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392"
      "290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769"
      "269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374"
      "006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968"
      "951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386"
      "591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995"
      "657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145"
      "4376934125320985913276672363281250000000000000000000000000000000000000000000000000001",
      "0.000000000000000000000000000000000000000000000000000000000000000000000000000001e78",
      "123456789012345678901234567890e-50",
      "1e-99999999999999999999999",
      "1e99999999999999999999999",
      "-1e99999999999999999999999"};
  for (const char* text : cases) EXPECT_TRUE(same_as_strtod(text));
  // The largest double plus half its step rounds to infinity (halfway, to even); any less does not.
  std::string past = "0.";
  past.append(20000, '0');
  past += "1e20310";  // 10^309: infinity, though the exponent alone is far below 20000 places
  EXPECT_TRUE(same_as_strtod(past));
  std::string long_one = "1.";
  long_one.append(2000, '0');
  long_one += "1";
  EXPECT_TRUE(same_as_strtod(long_one));
}

TEST(JsonNumberTest, RandomNumbersAgreeWithStrtod) {
  std::mt19937_64 random(20261206);
  const auto below = [&](std::uint64_t n) { return random() % n; };
  char buffer[64];
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    if (i % 3 == 0) {  // a double printed with too few, just enough or more digits than it needs
      double value;
      do {
        const std::uint64_t bits = random();
        std::memcpy(&value, &bits, sizeof value);
      } while (!std::isfinite(value));
      std::snprintf(buffer, sizeof buffer, "%.*e", static_cast<int>(below(20)), value);
      text = buffer;
    } else if (i % 3 == 1) {  // halfway between two doubles, or a hair either side of it
      double value;
      do {
        const std::uint64_t bits = random() & ~(std::uint64_t{1} << 63);
        std::memcpy(&value, &bits, sizeof value);
      } while (!std::isfinite(value) || value == DBL_MAX);
      const long double middle =
          (static_cast<long double>(value) + std::nextafter(value, HUGE_VAL)) / 2;
      char wide[1200];
      std::snprintf(wide, sizeof wide, "%.800Le", middle);
      text = wide;
      while (text.find('e') != std::string::npos && text[text.find('e') - 1] == '0')
        text.erase(text.find('e') - 1, 1);
      const std::size_t e = text.find('e');
      if (below(3) == 0) text.insert(e, "000001");
      if (below(3) == 1) {  // just below: ...4999...
        std::size_t last = e - 1;
        if (text[last] != '.' && text[last] > '0') {
          text[last] = static_cast<char>(text[last] - 1);
          text.insert(last + 1, "99999");
        }
      }
    } else {  // digits and an exponent of any size
      if (below(2) == 0) text += '-';
      const std::size_t integer = 1 + below(below(4) == 0 ? 400 : 20);
      text += static_cast<char>('1' + below(9));
      for (std::size_t d = 1; d < integer; ++d) text += static_cast<char>('0' + below(10));
      if (below(2) == 0) {
        text += '.';
        const std::size_t fraction = 1 + below(below(4) == 0 ? 400 : 20);
        for (std::size_t d = 0; d < fraction; ++d) text += static_cast<char>('0' + below(10));
      }
      if (below(3) != 0) {
        text += below(2) == 0 ? "e-" : "e";
        text += std::to_string(below(700));
      }
    }
    ASSERT_TRUE(same_as_strtod(text)) << "case " << i;
  }
}

}  // namespace
}  // namespace loyalty::detail
