// The till basket as plain values: what the till may send, what is paid after coupons, points
// with multiplier coupons, and amounts on receipts.
#include <gtest/gtest.h>

#include "loyalty/domain/checkout.h"

namespace loyalty {
namespace {

TillLine Line(int no, int64_t qty, int64_t price, std::string sku = "6901") {
  return TillLine{no, std::move(sku), "grocery", qty, price};
}

std::string FieldOf(const Error& e) {
  const std::string* f = e.Detail("field");
  return f ? *f : "";
}

TEST(BasketFromTill, NetIsQuantityTimesUnitPrice) {
  auto basket = BasketFromTill({Line(1, 3, 4590), Line(2, 1, 0)});
  ASSERT_TRUE(basket.has_value());
  ASSERT_EQ(basket->size(), 2u);
  EXPECT_EQ((*basket)[0].net_minor, 13770);
  EXPECT_EQ((*basket)[0].qty, 3);
  EXPECT_EQ((*basket)[1].net_minor, 0);  // a free gift line is fine
}

TEST(BasketFromTill, EveryBadLineIsNamed) {
  struct Case {
    std::vector<TillLine> lines;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{}, "lines"},
      {{Line(0, 1, 100)}, "lines[0].line_no"},
      {{Line(1, 1, 100), Line(1, 1, 100)}, "lines[1].line_no"},
      {{Line(1, 1, 100, "")}, "lines[0].sku"},
      {{Line(1, 1, 100, std::string(65, 'x'))}, "lines[0].sku"},
      {{Line(1, 0, 100)}, "lines[0].qty"},
      {{Line(1, kMaxTillQty + 1, 100)}, "lines[0].qty"},
      {{Line(1, 1, -1)}, "lines[0].unit_price_minor"},
      {{Line(1, 1, kCouponMaxMinor + 1)}, "lines[0].unit_price_minor"},
      {{Line(1, 2, kCouponMaxMinor / 2 + 1)}, "lines[0].unit_price_minor"},
  };
  for (const Case& c : cases) {
    auto basket = BasketFromTill(c.lines);
    ASSERT_FALSE(basket.has_value()) << c.field;
    EXPECT_EQ(basket.error().slug, "invalid_basket");
    EXPECT_EQ(FieldOf(basket.error()), c.field);
  }
  EXPECT_FALSE(BasketFromTill(std::vector<TillLine>(kMaxTillLines + 1, Line(1, 1, 1))).has_value());
}

TEST(BasketFromTill, TheLargestLineIsAccepted) {
  auto basket = BasketFromTill({Line(1, kMaxTillQty, kCouponMaxMinor / kMaxTillQty)});
  ASSERT_TRUE(basket.has_value());
  EXPECT_EQ((*basket)[0].net_minor, kCouponMaxMinor);
}

TEST(AfterDiscounts, SubtractsEachLinesDiscountAndNeverGoesBelowZero) {
  auto basket = *BasketFromTill({Line(1, 1, 1000), Line(2, 2, 500), Line(3, 1, 300)});
  const auto paid =
      AfterDiscounts(basket, {{1, 250}, {2, 100}, {2, 50}, {3, 999}});  // two coupons on line 2
  EXPECT_EQ(paid[0].net_minor, 750);
  EXPECT_EQ(paid[1].net_minor, 850);
  EXPECT_EQ(paid[2].net_minor, 0);
  EXPECT_EQ(paid[1].sku, "6901");  // everything else is kept
}

TEST(WithCouponMultipliers, MultipliesByEveryMultiplierCouponRoundingDown) {
  AppliedCoupon money_off;
  money_off.total_discount_minor = 500;
  AppliedCoupon double_points;
  double_points.points_multiplier = Rational{2, 1};
  AppliedCoupon half_again;
  half_again.points_multiplier = Rational{3, 2};
  EXPECT_EQ(WithCouponMultipliers(101, {}), 101);
  EXPECT_EQ(WithCouponMultipliers(101, {money_off}), 101);
  EXPECT_EQ(WithCouponMultipliers(101, {double_points}), 202);
  EXPECT_EQ(WithCouponMultipliers(101, {half_again}), 151);  // 151.5 rounds down
  EXPECT_EQ(WithCouponMultipliers(101, {double_points, half_again}), 303);
}

TEST(WithCouponMultipliers, TheCombinedMultiplierIsCappedAtTenTimes) {
  AppliedCoupon ten_times;
  ten_times.points_multiplier = Rational{10, 1};
  AppliedCoupon four_times;
  four_times.points_multiplier = Rational{4, 1};
  EXPECT_EQ(WithCouponMultipliers(100, {ten_times}), 1000);
  EXPECT_EQ(WithCouponMultipliers(100, {four_times, four_times}), 1000);  // 16x capped
  EXPECT_EQ(WithCouponMultipliers(100, std::vector<AppliedCoupon>(10, ten_times)), 1000);
}

TEST(ReceiptAmount, YuanWithTwoDecimalsOtherCurrenciesByCode) {
  EXPECT_EQ(ReceiptAmount(1290, "CNY"), "¥12.90");
  EXPECT_EQ(ReceiptAmount(5, "CNY"), "¥0.05");
  EXPECT_EQ(ReceiptAmount(0, "CNY"), "¥0.00");
  EXPECT_EQ(ReceiptAmount(-129, "CNY"), "¥-1.29");
  EXPECT_EQ(ReceiptAmount(2699, "EUR"), "26.99 EUR");
  EXPECT_EQ(ReceiptAmount(INT64_MIN, "CNY"), "¥-92233720368547758.08");
}

}  // namespace
}  // namespace loyalty
