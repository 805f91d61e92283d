// Coupon definitions (what a campaign offers, to whom, when, how it stacks) and
// issued instances.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/common/money.h"

namespace loyalty {

enum class CouponKind {
  kPercentOff,       // percent of the eligible amount, optionally capped
  kFixedAmount,      // a fixed amount off the eligible amount (never more than it)
  kThresholdTiers,   // 满100减10, 满200减30: the highest tier reached on eligible
                     // spend
  kFreeItem,         // one unit of free_sku free
  kBuyXGetY,         // for every buy_qty + get_qty units in scope, the cheapest get_qty
                     // are free
  kPointsMultiplier  // no money off; the earn engine multiplies the basket's
                     // points
};
const char *CouponKindName(CouponKind k);
std::optional<CouponKind> ParseCouponKind(const std::string &name);

struct CouponTier {
  int64_t threshold_minor = 0;  // eligible spend that reaches the tier (inclusive)
  int64_t off_minor = 0;        // amount off once reached; less than the threshold
};

// Which lines and stores a coupon covers. A line is in scope when its SKU is in
// `skus` or its category in `categories`; both empty = every line. `store_ids`
// empty = every store.
struct CouponScope {
  std::vector<std::string> skus;
  std::vector<std::string> categories;
  std::vector<std::string> store_ids;
};

// Either a fixed window (either end may be open) or N days after issue; not
// both.
struct CouponValidity {
  std::optional<Instant> valid_from;   // inclusive
  std::optional<Instant> valid_until;  // exclusive
  int days_after_issue = 0;            // > 0: valid from issue for this many days
};

// At most one coupon per non-empty group applies to a basket; an exclusive
// coupon applies alone. Higher priority applies first (and wins ties between
// equally good combinations).
struct CouponStacking {
  std::string group;
  bool exclusive = false;
  int priority = 0;
};

enum class CouponPeriod { kDay, kWeek, kMonth };  // calendar periods in the store's zone
const char *CouponPeriodName(CouponPeriod p);
std::optional<CouponPeriod> ParseCouponPeriod(const std::string &name);

// How often the definition may be redeemed; 0 = no limit. Counted and enforced when a sale
// commits, not at the quote, so abandoned quotes never use a limit up (a quote may show a
// discount the commit then refuses with coupon_limit_reached when the limit ran out between).
struct CouponLimits {
  int64_t total = 0;       // over every store and member, for the definition's lifetime
  int64_t per_member = 0;  // by one member (anonymous redemptions are not counted per member)
  int64_t per_store = 0;   // in one store
  int64_t per_period = 0;  // over every store within one `period`
  CouponPeriod period = CouponPeriod::kDay;
};

struct CouponDefinition {
  std::string id;
  std::string name_zh;  // shown to the shopper and cashier, e.g. 满100减10
  std::string name_en;
  CouponKind kind = CouponKind::kFixedAmount;
  int64_t percent_bp = 0;            // kPercentOff: basis points, 1..10000 (1000 = 10% off)
  int64_t cap_minor = 0;             // kPercentOff: most it takes off; 0 = no cap
  int64_t amount_minor = 0;          // kFixedAmount
  std::vector<CouponTier> tiers;     // kThresholdTiers: ascending thresholds and amounts off
  std::string free_sku;              // kFreeItem: the unit taken from any line of this SKU
  int64_t buy_qty = 0;               // kBuyXGetY: X (units of scope SKUs paid for)
  int64_t get_qty = 0;               // kBuyXGetY: Y (cheapest units free)
  Rational points_multiplier{1, 1};  // kPointsMultiplier: > 1, at most 10x
  CouponScope scope;
  int64_t min_spend_minor = 0;  // on the in-scope amount still payable; 0 = none
  CouponValidity validity;
  CouponStacking stacking;
  CouponLimits limits;
  int64_t budget_minor = 0;  // most money all redemptions together may take off; 0 = no budget
  int64_t points_cost = 0;   // > 0: members may exchange this many points for one (catalogue)
};

// Upper bound for any amount in a definition or basket line: ¥10 billion, far
// below int64 limits even when a thousand lines are added up and multiplied by
// a basis-point rate.
inline constexpr int64_t kCouponMaxMinor = 1'000'000'000'000;

// The first problem as invalid_coupon_definition with the dotted field path in
// detail "field" (e.g. "percent_bp", "tiers[1].off_minor",
// "validity.days_after_issue").
Status ValidateCouponDefinition(const CouponDefinition &definition);

// One issued code of a definition, with its validity resolved at issue time.
struct CouponInstance {
  std::string code;
  std::string definition_id;
  std::optional<std::string> member_id;  // nullopt: an anonymous code anyone may redeem
  Instant issued_at{};
  std::optional<Instant> valid_from;   // inclusive; nullopt = from the beginning
  std::optional<Instant> valid_until;  // exclusive; nullopt = never expires
};

// An instance of `definition` issued at `issued_at`: days_after_issue gives
// [issued_at, issued_at
// + N days); otherwise the definition's window is copied.
CouponInstance IssueCouponInstance(const CouponDefinition &definition, std::string code,
                                   std::optional<std::string> member_id, Instant issued_at);

}  // namespace loyalty
