#include "json_number.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace loyalty::detail {
namespace {

/// 0.d1 d2 d3... x 10^point in decimal digits, multiplied and divided by powers of two exactly:
/// the "simple decimal conversion" of Go's strconv (decimal.go). 800 digits decide any double;
/// `truncated` records that nonzero digits beyond them were dropped, for the halfway case.
class Decimal {
 public:
  static constexpr int kMaxDigits = 800;

  unsigned char digit[kMaxDigits];  // values 0-9
  int count = 0;                    // no trailing zeros after a shift
  long long point = 0;
  bool truncated = false;

  /// Multiplies by 2^shift (shift > 0) or divides by 2^-shift.
  void shift(int shift) {
    constexpr int kMaxStep = 60;  // keeps the running value of a step within 64 bits
    for (; shift > kMaxStep; shift -= kMaxStep) shift_left(kMaxStep);
    for (; shift < -kMaxStep; shift += kMaxStep) shift_right(kMaxStep);
    if (shift > 0) shift_left(static_cast<unsigned>(shift));
    if (shift < 0) shift_right(static_cast<unsigned>(-shift));
  }

  /// The integer part, rounded by the fraction (halfway to even).
  std::uint64_t rounded_integer() const {
    std::uint64_t n = 0;
    int i = 0;
    for (; i < point && i < count; ++i) n = n * 10 + digit[i];
    for (; i < point; ++i) n *= 10;
    if (point < 0 || point >= count) return n;
    const auto at = static_cast<int>(point);
    const bool halfway = digit[at] == 5 && at + 1 == count;
    const bool up = halfway ? truncated || (at > 0 && digit[at - 1] % 2 == 1) : digit[at] >= 5;
    return n + (up ? 1 : 0);
  }

 private:
  void shift_left(unsigned k) {
    unsigned char out[kMaxDigits + 20];  // 2^60 adds at most 19 digits
    int write = static_cast<int>(sizeof out);
    std::uint64_t n = 0;
    for (int read = count - 1; read >= 0; --read) {
      n += std::uint64_t{digit[read]} << k;
      out[--write] = static_cast<unsigned char>(n % 10);
      n /= 10;
    }
    for (; n > 0; n /= 10) out[--write] = static_cast<unsigned char>(n % 10);
    const int produced = static_cast<int>(sizeof out) - write;
    point += produced - count;
    count = std::min(produced, kMaxDigits);
    for (int i = count; i < produced; ++i) truncated = truncated || out[write + i] != 0;
    std::memcpy(digit, out + write, static_cast<std::size_t>(count));
    trim();
  }

  void shift_right(unsigned k) {
    int read = 0;
    int write = 0;
    std::uint64_t n = 0;
    for (; (n >> k) == 0; ++read) {
      if (read >= count) {
        if (n == 0) {
          count = 0;
          return;
        }
        for (; (n >> k) == 0; ++read) n *= 10;
        break;
      }
      n = n * 10 + digit[read];
    }
    point -= read - 1;
    const std::uint64_t mask = (std::uint64_t{1} << k) - 1;
    for (; read < count; ++read) {
      digit[write++] = static_cast<unsigned char>(n >> k);
      n = (n & mask) * 10 + digit[read];
    }
    for (; n > 0; n = (n & mask) * 10) {
      const auto next = static_cast<unsigned char>(n >> k);
      if (write < kMaxDigits) {
        digit[write++] = next;
      } else if (next > 0) {
        truncated = true;
      }
    }
    count = write;
    trim();
  }

  void trim() {
    while (count > 0 && digit[count - 1] == 0) --count;
    if (count == 0) point = 0;
  }
};

/// The magnitude of `d` as a double; d.count > 0.
double to_double(Decimal& d) {
  if (d.point > 310) return HUGE_VAL;
  if (d.point < -330) return 0;
  // Scale by powers of two into [0.5, 1): a shift by kShifts[p] moves the point by p or less.
  constexpr int kShifts[] = {1, 3, 6, 9, 13, 16, 19, 23, 26};
  const auto step = [&](long long places) { return places < 9 ? kShifts[places] : 27; };
  int exponent = 0;
  while (d.point > 0) {
    const int n = step(d.point);
    d.shift(-n);
    exponent += n;
  }
  while (d.point < 0 || (d.point == 0 && d.digit[0] < 5)) {
    const int n = step(-d.point);
    d.shift(n);
    exponent -= n;
  }
  --exponent;  // [0.5, 1) -> [1, 2)
  constexpr int kBias = -1023;
  if (exponent < kBias + 1) {  // subnormal: the smallest exponent, fewer bits
    d.shift(-(kBias + 1 - exponent));
    exponent = kBias + 1;
  }
  if (exponent - kBias >= 0x7FF) return HUGE_VAL;
  d.shift(53);
  std::uint64_t mantissa = d.rounded_integer();
  if (mantissa == std::uint64_t{2} << 52) {  // rounding carried into a new bit
    mantissa >>= 1;
    if (++exponent - kBias >= 0x7FF) return HUGE_VAL;
  }
  if ((mantissa & (std::uint64_t{1} << 52)) == 0) exponent = kBias;
  const std::uint64_t bits = (mantissa & ((std::uint64_t{1} << 52) - 1)) |
                             (static_cast<std::uint64_t>(exponent - kBias) << 52);
  double out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

}  // namespace

double json_number_value(std::string_view written) {
  Decimal d;
  std::size_t i = 0;
  const bool negative = i < written.size() && written[i] == '-';
  if (negative) ++i;
  bool fraction = false;
  bool significant = false;  // a nonzero digit has been seen
  for (; i < written.size(); ++i) {
    const char c = written[i];
    if (c == '.') {
      fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (c == '0' && !significant) {  // leading zeros only move the point
      if (fraction) --d.point;
      continue;
    }
    significant = true;
    if (!fraction) ++d.point;
    if (d.count < Decimal::kMaxDigits) {
      d.digit[d.count++] = static_cast<unsigned char>(c - '0');
    } else if (c != '0') {
      d.truncated = true;
    }
  }
  if (i < written.size() && (written[i] == 'e' || written[i] == 'E')) {
    ++i;
    const bool below = i < written.size() && written[i] == '-';
    if (i < written.size() && (written[i] == '-' || written[i] == '+')) ++i;
    long long exponent = 0;  // saturates: far past any double, and past any text's own digits
    for (; i < written.size() && written[i] >= '0' && written[i] <= '9'; ++i)
      if (exponent < 1'000'000'000'000) exponent = exponent * 10 + (written[i] - '0');
    d.point += below ? -exponent : exponent;
  }
  const double magnitude = d.count == 0 ? 0.0 : to_double(d);
  return negative ? -magnitude : magnitude;
}

}  // namespace loyalty::detail
