#include "loyalty/money.hpp"

#include <gtest/gtest.h>

namespace loyalty {
namespace {

TEST(Money, MinorUnitsFollowIso4217) {
  EXPECT_EQ(iso4217_minor_units("USD"), 2);
  EXPECT_EQ(iso4217_minor_units("JPY"), 0);
  EXPECT_EQ(iso4217_minor_units("KWD"), 3);
  EXPECT_EQ(iso4217_minor_units("XOF"), 0);
  EXPECT_EQ(iso4217_minor_units("EUR"), 2);
  EXPECT_FALSE(iso4217_minor_units("XYZ").has_value());
  EXPECT_FALSE(iso4217_minor_units("usd").has_value());
}

TEST(Money, MulDivFloorRoundsDownExactly) {
  EXPECT_EQ(mul_div_floor(999, 5, 250), 19);  // 5 points per $2.50 on $9.99
  EXPECT_EQ(mul_div_floor(1000, 5, 250), 20);
  EXPECT_EQ(mul_div_floor(-1, 1, 2), -1);                                  // floor, not truncation
  EXPECT_EQ(mul_div_floor(kMaxSafeInteger, 1000, 1000), kMaxSafeInteger);  // no overflow inside
  EXPECT_FALSE(mul_div_floor(INT64_MAX, 4, 2).has_value());
  EXPECT_FALSE(mul_div_floor(1, 1, 0).has_value());
}

TEST(Money, CheckedArithmeticReportsOverflow) {
  EXPECT_FALSE(checked_add(INT64_MAX, 1).has_value());
  EXPECT_FALSE(checked_mul(INT64_MAX / 2 + 1, 2).has_value());
  EXPECT_EQ(checked_sub(5, 7), -2);
  EXPECT_EQ(saturating_add(kMaxSafeInteger, 5), kMaxSafeInteger);
  EXPECT_EQ(saturating_add(-kMaxSafeInteger, -5), -kMaxSafeInteger);
}

}  // namespace
}  // namespace loyalty
