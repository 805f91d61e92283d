// Till baskets.
#include "loyalty/domain/checkout.h"

#include <algorithm>
#include <map>
#include <set>

namespace loyalty {
namespace {

tl::unexpected<Error> Bad(size_t i, const char* field, const std::string& problem) {
  const std::string path = "lines[" + std::to_string(i) + "]." + field;
  return InvalidField(path, "invalid_basket", path + " " + problem);
}

}  // namespace

Result<std::vector<BasketLine>> BasketFromTill(const std::vector<TillLine>& lines) {
  if (lines.empty() || lines.size() > kMaxTillLines) {
    return InvalidField("lines", "invalid_basket",
                        "lines must hold 1 to " + std::to_string(kMaxTillLines) + " lines");
  }
  std::set<int> seen;
  std::vector<BasketLine> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    const TillLine& l = lines[i];
    if (l.line_no < 1) return Bad(i, "line_no", "must be 1 or more");
    if (!seen.insert(l.line_no).second) return Bad(i, "line_no", "is used by an earlier line");
    if (l.sku.empty() || l.sku.size() > 64) return Bad(i, "sku", "must be 1 to 64 characters");
    if (l.category.size() > 64) return Bad(i, "category", "must be at most 64 characters");
    if (l.qty < 1 || l.qty > kMaxTillQty) {
      return Bad(i, "qty", "must be between 1 and " + std::to_string(kMaxTillQty));
    }
    if (l.unit_price_minor < 0 || l.unit_price_minor > kCouponMaxMinor) {
      return Bad(i, "unit_price_minor", "must be between 0 and " + std::to_string(kCouponMaxMinor));
    }
    // qty <= 1e5 and price <= 1e12 keep the product below 1e17, far inside int64; the line's
    // total has the same ceiling as any amount the coupon evaluator takes.
    if (l.qty * l.unit_price_minor > kCouponMaxMinor) {
      return Bad(i, "unit_price_minor",
                 "times qty must not exceed " + std::to_string(kCouponMaxMinor));
    }
    out.push_back(BasketLine{l.line_no, l.sku, l.category, l.qty, l.qty * l.unit_price_minor, 0});
  }
  return out;
}

std::vector<BasketLine> AfterDiscounts(const std::vector<BasketLine>& basket,
                                       const std::vector<LineDiscount>& discounts) {
  std::map<int, int64_t> off;
  for (const LineDiscount& d : discounts) off[d.line_no] += d.discount_minor;
  std::vector<BasketLine> out = basket;
  for (BasketLine& line : out) {
    line.net_minor = std::max<int64_t>(0, line.net_minor - off[line.line_no]);
  }
  return out;
}

int64_t WithCouponMultipliers(int64_t points, const std::vector<AppliedCoupon>& applied) {
  Rational combined{1, 1};
  for (const AppliedCoupon& a : applied) {
    if (!a.points_multiplier) continue;
    auto product = Multiply(combined, *a.points_multiplier);
    // Past the cap (or past int64) the cap applies; the points liability stays bounded.
    if (!product || product->num > kMaxCombinedPointsMultiplier * product->den) {
      combined = Rational{kMaxCombinedPointsMultiplier, 1};
      break;
    }
    combined = *product;
  }
  return MulDiv(points, combined.num, combined.den, Rounding::kFloor).value_or(points);
}

std::string ReceiptAmount(int64_t minor, const std::string& currency) {
  const bool negative = minor < 0;
  const uint64_t v = negative ? 0 - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  std::string cents = std::to_string(v % 100);
  if (cents.size() < 2) cents = "0" + cents;
  const std::string amount = (negative ? "-" : "") + std::to_string(v / 100) + "." + cents;
  return currency == "CNY" ? "¥" + amount : amount + " " + currency;
}

}  // namespace loyalty
