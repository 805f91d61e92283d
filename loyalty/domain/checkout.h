// The till's basket as plain values: validation of what the till sent, the basket after coupon
// discounts, and points with points-multiplier coupons applied.
#pragma once

#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/coupon_evaluator.h"
#include "loyalty/domain/earn.h"

namespace loyalty {

// A line as the till sends it.
struct TillLine {
  int line_no = 0;
  std::string sku;
  std::string category;
  int64_t qty = 0;
  int64_t unit_price_minor = 0;
};

inline constexpr size_t kMaxTillLines = 1000;
inline constexpr int64_t kMaxTillQty = 100'000;

// The basket (net = qty × unit price). Fails with invalid_basket naming the field
// ("lines[2].qty") for: no lines or more than kMaxTillLines, line_no < 1 or repeated, an empty or
// over-long sku (64) or category (64), qty outside 1..kMaxTillQty, a negative unit price, or a
// line total (qty × unit price) above kCouponMaxMinor.
Result<std::vector<BasketLine>> BasketFromTill(const std::vector<TillLine>& lines);

// Each line's net less its coupon discount: what the shopper pays for it, and what earns points.
std::vector<BasketLine> AfterDiscounts(const std::vector<BasketLine>& basket,
                                       const std::vector<LineDiscount>& discounts);

// Several points-multiplier coupons multiply, but never beyond this (the most one may give).
inline constexpr int64_t kMaxCombinedPointsMultiplier = 10;

// `points` multiplied by every applied points-multiplier coupon (at most
// kMaxCombinedPointsMultiplier in all), rounded down.
int64_t WithCouponMultipliers(int64_t points, const std::vector<AppliedCoupon>& applied);

// An amount for a receipt line: "¥12.90" for CNY, "12.90 EUR" otherwise (two decimals).
std::string ReceiptAmount(int64_t minor, const std::string& currency);

}  // namespace loyalty
