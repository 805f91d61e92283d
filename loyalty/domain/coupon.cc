// Coupon definition validation, kind names, and resolving an issued instance's
// validity.
#include "loyalty/domain/coupon.h"

#include <chrono>
#include <utility>

namespace loyalty {
namespace {

constexpr int kMaxDaysAfterIssue = 3660;  // ten years; more is a typo
constexpr int64_t kMaxBuyGetQty = 1000;
constexpr int kMaxPriority = 1'000'000;
constexpr int64_t kMaxLimit = 1'000'000'000;  // redemptions; more is a typo
constexpr int64_t kMaxPointsCost = 100'000'000;

tl::unexpected<Error> Invalid(const std::string &field, const std::string &message) {
  return InvalidField(field, "invalid_coupon_definition", field + ": " + message);
}

Status CheckRange(const std::string &field, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    return Invalid(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return {};
}

Status CheckList(const std::string &field, const std::vector<std::string> &values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].empty())
      return Invalid(field + "[" + std::to_string(i) + "]", "must not be empty");
  }
  return {};
}

Status CheckKind(const CouponDefinition &d) {
  switch (d.kind) {
    case CouponKind::kPercentOff:
      if (auto s = CheckRange("percent_bp", d.percent_bp, 1, 10000); !s) return s;
      return CheckRange("cap_minor", d.cap_minor, 0, kCouponMaxMinor);
    case CouponKind::kFixedAmount:
      return CheckRange("amount_minor", d.amount_minor, 1, kCouponMaxMinor);
    case CouponKind::kThresholdTiers: {
      if (d.tiers.empty()) return Invalid("tiers", "at least one tier is needed");
      for (size_t i = 0; i < d.tiers.size(); ++i) {
        const std::string f = "tiers[" + std::to_string(i) + "]";
        const CouponTier &t = d.tiers[i];
        if (auto s = CheckRange(f + ".threshold_minor", t.threshold_minor, 1, kCouponMaxMinor); !s)
          return s;
        if (auto s = CheckRange(f + ".off_minor", t.off_minor, 1, kCouponMaxMinor); !s) return s;
        if (t.off_minor >= t.threshold_minor) {
          return Invalid(f + ".off_minor", "must be less than the tier's threshold");
        }
        if (i > 0 && t.threshold_minor <= d.tiers[i - 1].threshold_minor) {
          return Invalid(f + ".threshold_minor", "thresholds must be strictly ascending");
        }
        if (i > 0 && t.off_minor <= d.tiers[i - 1].off_minor) {
          return Invalid(f + ".off_minor", "a higher tier must take off more than the one below");
        }
      }
      return {};
    }
    case CouponKind::kFreeItem:
      if (d.free_sku.empty()) return Invalid("free_sku", "must name the free SKU");
      return {};
    case CouponKind::kBuyXGetY:
      if (auto s = CheckRange("buy_qty", d.buy_qty, 1, kMaxBuyGetQty); !s) return s;
      return CheckRange("get_qty", d.get_qty, 1, kMaxBuyGetQty);
    case CouponKind::kPointsMultiplier: {
      const Rational &m = d.points_multiplier;
      if (m.den <= 0 || m.num <= 0 || m.den > 1000 || m.num > 10000) {
        return Invalid("points_multiplier", "must be a positive fraction with den 1..1000");
      }
      if (m.num <= m.den) return Invalid("points_multiplier", "must be more than 1x");
      if (m.num > 10 * m.den) return Invalid("points_multiplier", "must be at most 10x");
      return {};
    }
  }
  return Invalid("kind", "unknown kind");
}

}  // namespace

const char *CouponKindName(CouponKind k) {
  switch (k) {
    case CouponKind::kPercentOff:
      return "percent_off";
    case CouponKind::kFixedAmount:
      return "fixed_amount";
    case CouponKind::kThresholdTiers:
      return "threshold_tiers";
    case CouponKind::kFreeItem:
      return "free_item";
    case CouponKind::kBuyXGetY:
      return "buy_x_get_y";
    case CouponKind::kPointsMultiplier:
      return "points_multiplier";
  }
  return "unknown";
}

std::optional<CouponKind> ParseCouponKind(const std::string &name) {
  for (CouponKind k :
       {CouponKind::kPercentOff, CouponKind::kFixedAmount, CouponKind::kThresholdTiers,
        CouponKind::kFreeItem, CouponKind::kBuyXGetY, CouponKind::kPointsMultiplier}) {
    if (name == CouponKindName(k)) return k;
  }
  return std::nullopt;
}

Status ValidateCouponDefinition(const CouponDefinition &d) {
  if (d.id.empty()) return Invalid("id", "must not be empty");
  if (d.name_zh.empty()) return Invalid("name_zh", "must not be empty");
  if (d.name_en.empty()) return Invalid("name_en", "must not be empty");
  if (auto s = CheckKind(d); !s) return s;
  if (auto s = CheckList("scope.skus", d.scope.skus); !s) return s;
  if (auto s = CheckList("scope.categories", d.scope.categories); !s) return s;
  if (auto s = CheckList("scope.store_ids", d.scope.store_ids); !s) return s;
  if (auto s = CheckRange("min_spend_minor", d.min_spend_minor, 0, kCouponMaxMinor); !s) return s;
  const CouponValidity &v = d.validity;
  if (auto s = CheckRange("validity.days_after_issue", v.days_after_issue, 0, kMaxDaysAfterIssue);
      !s) {
    return s;
  }
  if (v.days_after_issue > 0 && (v.valid_from || v.valid_until)) {
    return Invalid("validity.days_after_issue",
                   "use either a window or days after issue, not both");
  }
  if (v.valid_from && v.valid_until && *v.valid_until <= *v.valid_from) {
    return Invalid("validity.valid_until", "must be after valid_from");
  }
  if (auto s = CheckRange("stacking.priority", d.stacking.priority, -kMaxPriority, kMaxPriority);
      !s) {
    return s;
  }
  const CouponLimits &l = d.limits;
  for (const auto &[field, value] : {std::pair{"limits.total", l.total},
                                     {"limits.per_member", l.per_member},
                                     {"limits.per_store", l.per_store},
                                     {"limits.per_period", l.per_period}}) {
    if (auto s = CheckRange(field, value, 0, kMaxLimit); !s) return s;
  }
  if (auto s = CheckRange("budget_minor", d.budget_minor, 0, kCouponMaxMinor); !s) return s;
  if (auto s = CheckRange("points_cost", d.points_cost, 0, kMaxPointsCost); !s) return s;
  return {};
}

const char *CouponPeriodName(CouponPeriod p) {
  switch (p) {
    case CouponPeriod::kDay:
      return "day";
    case CouponPeriod::kWeek:
      return "week";
    case CouponPeriod::kMonth:
      return "month";
  }
  return "day";
}

std::optional<CouponPeriod> ParseCouponPeriod(const std::string &name) {
  for (CouponPeriod p : {CouponPeriod::kDay, CouponPeriod::kWeek, CouponPeriod::kMonth}) {
    if (name == CouponPeriodName(p)) return p;
  }
  return std::nullopt;
}

CouponInstance IssueCouponInstance(const CouponDefinition &definition, std::string code,
                                   std::optional<std::string> member_id, Instant issued_at) {
  CouponInstance out;
  out.code = std::move(code);
  out.definition_id = definition.id;
  out.member_id = std::move(member_id);
  out.issued_at = issued_at;
  if (definition.validity.days_after_issue > 0) {
    out.valid_from = issued_at;
    out.valid_until = issued_at + std::chrono::days(definition.validity.days_after_issue);
  } else {
    out.valid_from = definition.validity.valid_from;
    out.valid_until = definition.validity.valid_until;
  }
  return out;
}

}  // namespace loyalty
