// Money arithmetic (common/money.h): MulDiv rounding for both signs, exact division, overflow
// and a bad denominator as nullopt, Multiply overflow.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "loyalty/common/money.h"

namespace loyalty {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

struct MulDivCase {
  int64_t value, num, den;
  std::optional<int64_t> floor, half_up, ceil;
};

std::ostream& operator<<(std::ostream& os, const MulDivCase& c) {
  return os << c.value << " * " << c.num << " / " << c.den;
}

class MulDivTest : public ::testing::TestWithParam<MulDivCase> {};

TEST_P(MulDivTest, RoundsAsAsked) {
  const MulDivCase& c = GetParam();
  EXPECT_EQ(MulDiv(c.value, c.num, c.den, Rounding::kFloor), c.floor) << "floor";
  EXPECT_EQ(MulDiv(c.value, c.num, c.den, Rounding::kHalfUp), c.half_up) << "half_up";
  EXPECT_EQ(MulDiv(c.value, c.num, c.den, Rounding::kCeil), c.ceil) << "ceil";
}

// 2^64 - 1 = (2^32 + 1)(2^32 - 1): the product is odd and (2^64 - 1) / 2 = INT64_MAX rem 1, so
// floor lands exactly on INT64_MAX while rounding up crosses it.
constexpr int64_t kTwo32Plus1 = 4294967297;
constexpr int64_t kTwo32Minus1 = 4294967295;

INSTANTIATE_TEST_SUITE_P(
    Table, MulDivTest,
    ::testing::Values(
        // positive, below / at / above the half
        MulDivCase{1, 1, 3, 0, 0, 1},        // 0.333
        MulDivCase{2, 1, 3, 0, 1, 1},        // 0.667
        MulDivCase{5, 1, 2, 2, 3, 3},        // 2.5: half rounds away from zero
        MulDivCase{7, 1, 2, 3, 4, 4},        // 3.5
        MulDivCase{1999, 1, 100, 19, 20, 20},  // ¥19.99 at 1 point per ¥1
        MulDivCase{1949, 1, 100, 19, 19, 20},
        // negative values (a return), floor goes down, ceil goes up, half away from zero
        MulDivCase{-1, 1, 3, -1, 0, 0},
        MulDivCase{-2, 1, 3, -1, -1, 0},
        MulDivCase{-5, 1, 2, -3, -3, -2},
        MulDivCase{-7, 1, 2, -4, -4, -3},
        MulDivCase{-1949, 1, 100, -20, -19, -19},
        // negative numerator instead of negative value
        MulDivCase{7, -1, 2, -4, -4, -3},
        MulDivCase{-7, -1, 2, 3, 4, 4},
        // exact division: every rounding agrees
        MulDivCase{10, 3, 2, 15, 15, 15},
        MulDivCase{-10, 3, 2, -15, -15, -15},
        MulDivCase{0, 5, 7, 0, 0, 0},
        MulDivCase{100, 0, 7, 0, 0, 0},
        MulDivCase{1, 1, 1, 1, 1, 1},
        // the edges of int64: intermediates may exceed it, results may not
        MulDivCase{kMax, 1, 1, kMax, kMax, kMax},
        MulDivCase{kMin, 1, 1, kMin, kMin, kMin},
        MulDivCase{kMax, 2, 2, kMax, kMax, kMax},        // 2*MAX only as an intermediate
        MulDivCase{kMax, kMax, kMax, kMax, kMax, kMax},  // MAX^2 / MAX
        MulDivCase{kTwo32Plus1, kTwo32Minus1, 2, kMax, std::nullopt, std::nullopt},
        // overflow → nullopt, never a wrapped number
        MulDivCase{kMax, 2, 1, std::nullopt, std::nullopt, std::nullopt},
        MulDivCase{kMin, 2, 1, std::nullopt, std::nullopt, std::nullopt},
        MulDivCase{kMin, -1, 1, std::nullopt, std::nullopt, std::nullopt},
        MulDivCase{kMax, 3, 2, std::nullopt, std::nullopt, std::nullopt},
        // den <= 0 → nullopt
        MulDivCase{10, 1, 0, std::nullopt, std::nullopt, std::nullopt},
        MulDivCase{10, 1, -2, std::nullopt, std::nullopt, std::nullopt},
        MulDivCase{0, 1, 0, std::nullopt, std::nullopt, std::nullopt},
        MulDivCase{10, 1, kMin, std::nullopt, std::nullopt, std::nullopt}));

TEST(MulDiv, TwiceIntMaxOverflows) {
  EXPECT_EQ(MulDiv(kMax, 2, 1, Rounding::kFloor), std::nullopt);
  EXPECT_EQ(MulDiv(2, kMax, 1, Rounding::kFloor), std::nullopt);
  // One less than the overflow still works.
  EXPECT_EQ(MulDiv(kMax / 2, 2, 1, Rounding::kFloor), kMax - 1);
}

struct MultiplyCase {
  Rational a, b;
  std::optional<Rational> product;
};

class MultiplyTest : public ::testing::TestWithParam<MultiplyCase> {};

TEST_P(MultiplyTest, MultipliesOrReportsOverflow) {
  const MultiplyCase& c = GetParam();
  const auto got = Multiply(c.a, c.b);
  ASSERT_EQ(got.has_value(), c.product.has_value());
  if (got) {
    EXPECT_EQ(got->num, c.product->num);
    EXPECT_EQ(got->den, c.product->den);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, MultiplyTest,
    ::testing::Values(
        MultiplyCase{{3, 2}, {5, 4}, Rational{15, 8}},   // 1.5x tier * 1.25x event
        MultiplyCase{{1, 1}, {2, 1}, Rational{2, 1}},
        MultiplyCase{{0, 1}, {7, 3}, Rational{0, 3}},
        MultiplyCase{{-3, 2}, {5, 4}, Rational{-15, 8}},
        MultiplyCase{{kMax, 1}, {1, 1}, Rational{kMax, 1}},
        MultiplyCase{{kMin, 1}, {1, 1}, Rational{kMin, 1}},
        MultiplyCase{{kMax, 1}, {2, 1}, std::nullopt},   // numerator overflow
        MultiplyCase{{kMin, 1}, {2, 1}, std::nullopt},   // below INT64_MIN
        MultiplyCase{{kMin, 1}, {-1, 1}, std::nullopt},  // -INT64_MIN
        MultiplyCase{{1, kMax}, {1, 2}, std::nullopt},   // denominator overflow
        MultiplyCase{{1 << 20, 1 << 20}, {1 << 20, 1 << 20}, Rational{1LL << 40, 1LL << 40}},
        MultiplyCase{{3037000500, 1}, {3037000500, 1}, std::nullopt}));  // just over sqrt(MAX)^2

TEST(Rounding, NamesRoundTrip) {
  for (Rounding r : {Rounding::kFloor, Rounding::kHalfUp, Rounding::kCeil}) {
    EXPECT_EQ(ParseRounding(RoundingName(r)), r);
  }
  EXPECT_EQ(ParseRounding("HALF_UP"), std::nullopt);
  EXPECT_EQ(ParseRounding(""), std::nullopt);
  EXPECT_EQ(ParseRounding("round"), std::nullopt);
}

}  // namespace
}  // namespace loyalty
