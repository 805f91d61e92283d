// Coupon evaluation: basket + member + presented coupons -> the best allowed
// combination, per-line discounts to the fen, and a cashier-readable reason
// (zh-CN and en) for every coupon left out.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/common/money.h"
#include "loyalty/domain/coupon.h"
#include "loyalty/domain/earn.h"

namespace loyalty {

struct CouponContext {
  std::optional<std::string> member_id;  // nullopt: an anonymous shopper
  std::string store_id;
  Instant now{};
};

enum class CouponRejection {
  kDuplicateCode,  // the same code was presented twice; the first one counts
  kInvalidCoupon,  // the definition is broken or does not belong to the instance
  kNotYetValid,
  kExpired,
  kOtherMember,  // issued to a different member (or to a member, and nobody
                 // identified)
  kWrongStore,
  kNoEligibleItems,  // nothing in the basket the coupon covers (or it would take
                     // nothing off)
  kBelowMinSpend,    // in-scope spend below the minimum (or below the lowest tier)
  kTooManyCoupons,   // more than kMaxCouponsPerBasket usable coupons; the rest
                     // are not considered
  kNotCombinable,    // usable alone, but the best allowed combination does not
                     // include it
  // Found before evaluation, by the checkout (loyalty/service/coupon_service.cc):
  kInvalidCode,   // mistyped: the check symbol fails or a character is not in the alphabet
  kUnknownCode,   // well-formed, but no coupon has it
  kUsed,          // redeemed by an earlier sale
  kRevoked,       // withdrawn by staff
  kReserved,      // held by another checkout's quote
  kLimitReached,  // the offer's total, per-member, per-store, period or budget limit is used up
};
// Stable slug, e.g. "expired", "not_combinable".
const char *CouponRejectionSlug(CouponRejection r);
// Short sentences for the cashier, e.g. "该优惠券已过期" / "This coupon has
// expired".
const char *CouponRejectionMessageZh(CouponRejection r);
const char *CouponRejectionMessageEn(CouponRejection r);

// The exhaustive search over combinations is 2^n; more usable coupons than this
// on one basket are rejected with too_many_coupons (the lowest priority ones,
// then the largest codes).
inline constexpr size_t kMaxCouponsPerBasket = 10;

struct LineDiscount {
  int line_no = 0;
  int64_t discount_minor = 0;
};

struct AppliedCoupon {
  std::string code;
  std::string definition_id;
  CouponKind kind = CouponKind::kFixedAmount;
  std::vector<LineDiscount> lines;   // only lines with a non-zero discount, by basket order
  int64_t total_discount_minor = 0;  // sum of `lines`
  std::optional<Rational> points_multiplier;  // kPointsMultiplier only
};

struct RejectedCoupon {
  std::string code;
  CouponRejection reason = CouponRejection::kNotCombinable;
  std::string slug;
  std::string message_zh;
  std::string message_en;
};

// A rejection with its slug and both messages filled in.
RejectedCoupon Reject(const std::string &code, CouponRejection reason);

struct CouponEvaluation {
  std::vector<AppliedCoupon> applied;    // in application order (priority desc, code asc)
  std::vector<RejectedCoupon> rejected;  // by code
  std::vector<LineDiscount> lines;       // every basket line, its discount over all applied coupons
  int64_t basket_total_minor = 0;        // sum of net before coupons
  int64_t total_discount_minor = 0;      // sum of applied totals
  int64_t basket_total_after_minor = 0;  // never negative
};

// Rules (each has a test in tests/coupons/coupon_evaluator_test.cc):
// - Input order does not matter: coupons are considered by code; a repeated
// code is
//   duplicate_code (the copy with the smaller definition id is kept).
// - A usable coupon covers the in-scope lines; every money discount is
// allocated to those lines
//   in proportion to what is still payable on them, largest remainder first
//   (ties: basket order), so per-line discounts add up to the coupon's total
//   exactly and no line goes below zero.
// - Percent off rounds half up to the fen, then the cap. Fixed amounts take at
// most what is in
//   scope. Tiers pick the highest threshold reached. Free item: one unit of
//   free_sku (from any line of that SKU, the dearest unit first), unit price =
//   payable / qty rounded down. Buy X get Y: floor(units / (X+Y)) * Y units
//   free, cheapest first; k free units of a line are worth payable * k / qty
//   rounded down. Points multiplier: no money, reported.
// - Combination: at most one coupon per non-empty stacking group, an exclusive
// coupon alone. In a
//   combination coupons apply by priority desc then code, each on what is left
//   after the ones before it (min spend and tiers too); a coupon that would add
//   nothing makes the combination invalid. The best combination has the
//   greatest money discount, then the best points multipliers (largest first),
//   then fewest coupons (the shopper keeps the rest), then the higher
//   priorities / smaller codes.
// Fails with invalid_basket (field "lines[i]....") for a negative or too large
// amount, qty < 1, or a repeated line_no.
Result<CouponEvaluation> EvaluateCoupons(
    const std::vector<BasketLine> &basket, const CouponContext &context,
    const std::vector<std::pair<CouponInstance, CouponDefinition>> &coupons);

}  // namespace loyalty
