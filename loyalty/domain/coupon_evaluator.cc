// Coupon evaluation: per-coupon checks, exhaustive search over allowed
// combinations, allocation of each discount to lines by largest remainder so
// every fen is accounted for.
#include "loyalty/domain/coupon_evaluator.h"

#include <algorithm>
#include <bit>
#include <numeric>
#include <set>

namespace loyalty {
namespace {

using Int128 = __int128;

constexpr int64_t kMaxQty = 1'000'000;
constexpr size_t kMaxLines = 10'000;

bool Contains(const std::vector<std::string> &list, const std::string &value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool InScope(const CouponDefinition &d, const BasketLine &line) {
  if (d.scope.skus.empty() && d.scope.categories.empty()) return true;
  return Contains(d.scope.skus, line.sku) || Contains(d.scope.categories, line.category);
}

// `total` (0 <= total <= sum of weights) shared in proportion to `weights`:
// everyone gets the floor of their exact share, the fen left over go to the
// largest remainders (ties: basket order). A line only gets +1 when its exact
// share had a fraction, so no share exceeds its weight.
std::vector<int64_t> Allocate(int64_t total, const std::vector<int64_t> &weights) {
  std::vector<int64_t> out(weights.size(), 0);
  const int64_t sum = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  if (total <= 0 || sum <= 0) return out;
  std::vector<std::pair<Int128, size_t>> remainders;
  int64_t allocated = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const Int128 exact = static_cast<Int128>(total) * weights[i];
    out[i] = static_cast<int64_t>(exact / sum);
    allocated += out[i];
    remainders.emplace_back(exact % sum, i);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto &a, const auto &b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second < b.second;
  });
  for (int64_t k = 0; k < total - allocated; ++k) ++out[remainders[static_cast<size_t>(k)].second];
  return out;
}

struct Effect {
  std::optional<CouponRejection> rejection;
  std::vector<int64_t> per_line;  // indexed like the basket
  int64_t total = 0;
  bool points = false;
};

// What `d` does to the amounts still payable (`left`, indexed like the basket),
// or why it does nothing. Store, member and time are checked before; this is
// only about the basket.
Effect Apply(const CouponDefinition &d, const std::vector<BasketLine> &basket,
             const std::vector<int64_t> &left) {
  const size_t n = basket.size();
  Effect e;
  e.per_line.assign(n, 0);
  std::vector<int64_t> weights(n, 0);
  int64_t base = 0;
  for (size_t i = 0; i < n; ++i) {
    if (InScope(d, basket[i])) {
      weights[i] = left[i];
      base += left[i];
    }
  }
  if (d.kind == CouponKind::kFreeItem) {
    // The free SKU itself is what the coupon covers; scope only decides the
    // qualifying spend.
    bool found = false;
    for (size_t i = 0; i < n; ++i) found |= basket[i].sku == d.free_sku && left[i] > 0;
    if (!found) {
      e.rejection = CouponRejection::kNoEligibleItems;
      return e;
    }
  } else if (base == 0) {
    e.rejection = CouponRejection::kNoEligibleItems;
    return e;
  }
  if (base < d.min_spend_minor ||
      (d.kind == CouponKind::kThresholdTiers && base < d.tiers.front().threshold_minor)) {
    e.rejection = CouponRejection::kBelowMinSpend;
    return e;
  }
  switch (d.kind) {
    case CouponKind::kPercentOff: {
      // base <= 1e16 and bp <= 1e4: MulDiv cannot overflow.
      int64_t off = MulDiv(base, d.percent_bp, 10000, Rounding::kHalfUp).value_or(0);
      if (d.cap_minor > 0) off = std::min(off, d.cap_minor);
      e.per_line = Allocate(std::min(off, base), weights);
      break;
    }
    case CouponKind::kFixedAmount:
      e.per_line = Allocate(std::min(d.amount_minor, base), weights);
      break;
    case CouponKind::kThresholdTiers: {
      int64_t off = 0;
      for (const CouponTier &t : d.tiers) {
        if (base >= t.threshold_minor) off = t.off_minor;
      }
      e.per_line = Allocate(std::min(off, base), weights);
      break;
    }
    case CouponKind::kFreeItem: {
      std::optional<size_t> best;
      int64_t best_unit = 0;
      for (size_t i = 0; i < n; ++i) {
        if (basket[i].sku != d.free_sku || left[i] <= 0) continue;
        const int64_t unit = left[i] / basket[i].qty;
        if (!best || unit > best_unit) {
          best = i;
          best_unit = unit;
        }
      }
      if (best) e.per_line[*best] = best_unit;
      break;
    }
    case CouponKind::kBuyXGetY: {
      std::vector<size_t> order;
      int64_t units = 0;
      for (size_t i = 0; i < n; ++i) {
        if (weights[i] > 0) {
          order.push_back(i);
          units += basket[i].qty;
        }
      }
      int64_t free_units = units / (d.buy_qty + d.get_qty) * d.get_qty;
      if (free_units == 0) {
        e.rejection = CouponRejection::kNoEligibleItems;
        return e;
      }
      // Cheapest unit first: left[a]/qty[a] < left[b]/qty[b] compared exactly.
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return static_cast<Int128>(left[a]) * basket[b].qty <
               static_cast<Int128>(left[b]) * basket[a].qty;
      });
      for (size_t i : order) {
        if (free_units == 0) break;
        const int64_t k = std::min(free_units, basket[i].qty);
        e.per_line[i] = static_cast<int64_t>(static_cast<Int128>(left[i]) * k / basket[i].qty);
        free_units -= k;
      }
      break;
    }
    case CouponKind::kPointsMultiplier:
      e.points = true;
      break;
  }
  e.total = std::accumulate(e.per_line.begin(), e.per_line.end(), int64_t{0});
  if (e.total == 0 && !e.points) e.rejection = CouponRejection::kNoEligibleItems;
  return e;
}

Status ValidateBasket(const std::vector<BasketLine> &basket) {
  if (basket.size() > kMaxLines) {
    return InvalidField("lines", "invalid_basket",
                        "at most " + std::to_string(kMaxLines) + " lines per basket");
  }
  std::set<int> seen;
  for (size_t i = 0; i < basket.size(); ++i) {
    const std::string f = "lines[" + std::to_string(i) + "].";
    const BasketLine &l = basket[i];
    if (l.net_minor < 0 || l.net_minor > kCouponMaxMinor) {
      return InvalidField(f + "net_minor", "invalid_basket",
                          "net_minor must be between 0 and " + std::to_string(kCouponMaxMinor));
    }
    if (l.qty < 1 || l.qty > kMaxQty) {
      return InvalidField(f + "qty", "invalid_basket",
                          "qty must be between 1 and " + std::to_string(kMaxQty));
    }
    if (!seen.insert(l.line_no).second) {
      return InvalidField(f + "line_no", "invalid_basket", "line_no appears more than once");
    }
  }
  return {};
}

struct Usable {
  const CouponInstance *instance;
  const CouponDefinition *definition;
};

// a > b for rationals with positive denominators.
bool Greater(const Rational &a, const Rational &b) {
  return static_cast<Int128>(a.num) * b.den > static_cast<Int128>(b.num) * a.den;
}

struct Score {
  int64_t money = 0;
  std::vector<Rational> multipliers;  // descending
  std::vector<size_t> members;        // indexes into the usable list, ascending
};

// True when `a` is better for the shopper than `b` (see the header for the
// order).
bool Better(const Score &a, const Score &b) {
  if (a.money != b.money) return a.money > b.money;
  const size_t m = std::min(a.multipliers.size(), b.multipliers.size());
  for (size_t i = 0; i < m; ++i) {
    if (Greater(a.multipliers[i], b.multipliers[i])) return true;
    if (Greater(b.multipliers[i], a.multipliers[i])) return false;
  }
  if (a.multipliers.size() != b.multipliers.size()) {
    return a.multipliers.size() > b.multipliers.size();
  }
  if (a.members.size() != b.members.size()) return a.members.size() < b.members.size();
  return a.members < b.members;
}

}  // namespace

RejectedCoupon Reject(const std::string &code, CouponRejection reason) {
  return RejectedCoupon{code, reason, CouponRejectionSlug(reason), CouponRejectionMessageZh(reason),
                        CouponRejectionMessageEn(reason)};
}

const char *CouponRejectionSlug(CouponRejection r) {
  switch (r) {
    case CouponRejection::kDuplicateCode:
      return "duplicate_code";
    case CouponRejection::kInvalidCoupon:
      return "invalid_coupon";
    case CouponRejection::kNotYetValid:
      return "not_yet_valid";
    case CouponRejection::kExpired:
      return "expired";
    case CouponRejection::kOtherMember:
      return "other_member";
    case CouponRejection::kWrongStore:
      return "wrong_store";
    case CouponRejection::kNoEligibleItems:
      return "no_eligible_items";
    case CouponRejection::kBelowMinSpend:
      return "below_min_spend";
    case CouponRejection::kTooManyCoupons:
      return "too_many_coupons";
    case CouponRejection::kNotCombinable:
      return "not_combinable";
    case CouponRejection::kInvalidCode:
      return "invalid_code";
    case CouponRejection::kUnknownCode:
      return "unknown_code";
    case CouponRejection::kUsed:
      return "used";
    case CouponRejection::kRevoked:
      return "revoked";
    case CouponRejection::kReserved:
      return "reserved";
    case CouponRejection::kLimitReached:
      return "limit_reached";
  }
  return "unknown";
}

const char *CouponRejectionMessageZh(CouponRejection r) {
  switch (r) {
    case CouponRejection::kDuplicateCode:
      return "该优惠券已重复使用";
    case CouponRejection::kInvalidCoupon:
      return "该优惠券无法使用";
    case CouponRejection::kNotYetValid:
      return "该优惠券尚未生效";
    case CouponRejection::kExpired:
      return "该优惠券已过期";
    case CouponRejection::kOtherMember:
      return "该优惠券属于其他会员";
    case CouponRejection::kWrongStore:
      return "该优惠券不适用于本门店";
    case CouponRejection::kNoEligibleItems:
      return "购物篮中没有适用该优惠券的商品";
    case CouponRejection::kBelowMinSpend:
      return "未达到该优惠券的最低消费金额";
    case CouponRejection::kTooManyCoupons:
      return "本单使用的优惠券数量超过上限";
    case CouponRejection::kNotCombinable:
      return "该优惠券不能与本单其他优惠同时使用";
    case CouponRejection::kInvalidCode:
      return "券码有误，请核对后重新输入";
    case CouponRejection::kUnknownCode:
      return "未找到该优惠券";
    case CouponRejection::kUsed:
      return "该优惠券已使用";
    case CouponRejection::kRevoked:
      return "该优惠券已作废";
    case CouponRejection::kReserved:
      return "该优惠券正在另一笔结账中使用";
    case CouponRejection::kLimitReached:
      return "该优惠活动已达使用上限";
  }
  return "该优惠券无法使用";
}

const char *CouponRejectionMessageEn(CouponRejection r) {
  switch (r) {
    case CouponRejection::kDuplicateCode:
      return "This coupon was scanned twice";
    case CouponRejection::kInvalidCoupon:
      return "This coupon cannot be used";
    case CouponRejection::kNotYetValid:
      return "This coupon is not valid yet";
    case CouponRejection::kExpired:
      return "This coupon has expired";
    case CouponRejection::kOtherMember:
      return "This coupon belongs to another member";
    case CouponRejection::kWrongStore:
      return "This coupon is not valid in this store";
    case CouponRejection::kNoEligibleItems:
      return "No items in the basket qualify for this coupon";
    case CouponRejection::kBelowMinSpend:
      return "The basket is below this coupon's minimum spend";
    case CouponRejection::kTooManyCoupons:
      return "Too many coupons on one basket";
    case CouponRejection::kNotCombinable:
      return "This coupon cannot be combined with the better offer applied";
    case CouponRejection::kInvalidCode:
      return "This code is mistyped; check it and enter it again";
    case CouponRejection::kUnknownCode:
      return "No coupon has this code";
    case CouponRejection::kUsed:
      return "This coupon has already been used";
    case CouponRejection::kRevoked:
      return "This coupon has been withdrawn";
    case CouponRejection::kReserved:
      return "This coupon is in use at another checkout";
    case CouponRejection::kLimitReached:
      return "This offer has reached its usage limit";
  }
  return "This coupon cannot be used";
}

Result<CouponEvaluation> EvaluateCoupons(
    const std::vector<BasketLine> &basket, const CouponContext &context,
    const std::vector<std::pair<CouponInstance, CouponDefinition>> &coupons) {
  if (auto s = ValidateBasket(basket); !s) return Fail(s.error());
  const size_t n = basket.size();
  std::vector<int64_t> net(n);
  for (size_t i = 0; i < n; ++i) net[i] = basket[i].net_minor;

  CouponEvaluation out;
  out.basket_total_minor = std::accumulate(net.begin(), net.end(), int64_t{0});

  // Consider coupons by code so the caller's order never matters.
  std::vector<size_t> order(coupons.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto &[ia, da] = coupons[a];
    const auto &[ib, db] = coupons[b];
    if (ia.code != ib.code) return ia.code < ib.code;
    return da.id < db.id;
  });

  std::vector<Usable> usable;
  std::set<std::string> seen;
  for (size_t idx : order) {
    const auto &[inst, def] = coupons[idx];
    if (!seen.insert(inst.code).second) {
      out.rejected.push_back(Reject(inst.code, CouponRejection::kDuplicateCode));
      continue;
    }
    std::optional<CouponRejection> why;
    if (inst.definition_id != def.id || !ValidateCouponDefinition(def)) {
      why = CouponRejection::kInvalidCoupon;
    } else if (inst.valid_from && context.now < *inst.valid_from) {
      why = CouponRejection::kNotYetValid;
    } else if (inst.valid_until && context.now >= *inst.valid_until) {
      why = CouponRejection::kExpired;
    } else if (inst.member_id && (!context.member_id || *context.member_id != *inst.member_id)) {
      why = CouponRejection::kOtherMember;
    } else if (!def.scope.store_ids.empty() && !Contains(def.scope.store_ids, context.store_id)) {
      why = CouponRejection::kWrongStore;
    } else {
      why = Apply(def, basket, net).rejection;
    }
    if (why) {
      out.rejected.push_back(Reject(inst.code, *why));
    } else {
      usable.push_back(Usable{&inst, &def});
    }
  }

  // Application order: priority desc, then code.
  std::stable_sort(usable.begin(), usable.end(), [](const Usable &a, const Usable &b) {
    if (a.definition->stacking.priority != b.definition->stacking.priority) {
      return a.definition->stacking.priority > b.definition->stacking.priority;
    }
    return a.instance->code < b.instance->code;
  });
  while (usable.size() > kMaxCouponsPerBasket) {
    out.rejected.push_back(Reject(usable.back().instance->code, CouponRejection::kTooManyCoupons));
    usable.pop_back();
  }

  // Every allowed subset, applied in order on what the previous coupons left.
  const size_t k = usable.size();
  Score best;
  uint32_t best_mask = 0;
  for (uint32_t mask = 1; mask < (1u << k); ++mask) {
    std::set<std::string> groups;
    bool allowed = true;
    const int count = std::popcount(mask);
    Score score;
    for (size_t j = 0; j < k && allowed; ++j) {
      if (!(mask & (1u << j))) continue;
      const CouponStacking &st = usable[j].definition->stacking;
      if (st.exclusive && count > 1) allowed = false;
      if (!st.group.empty() && !groups.insert(st.group).second) allowed = false;
      score.members.push_back(j);
    }
    if (!allowed) continue;
    std::vector<int64_t> left = net;
    for (size_t j : score.members) {
      const CouponDefinition &def = *usable[j].definition;
      const Effect e = Apply(def, basket, left);
      if (e.rejection) {
        allowed = false;
        break;
      }
      for (size_t i = 0; i < n; ++i) left[i] -= e.per_line[i];
      score.money += e.total;
      if (e.points) score.multipliers.push_back(def.points_multiplier);
    }
    if (!allowed) continue;
    std::stable_sort(score.multipliers.begin(), score.multipliers.end(), Greater);
    if (Better(score, best)) {
      best = std::move(score);
      best_mask = mask;
    }
  }

  std::vector<int64_t> left = net;
  for (size_t j = 0; j < k; ++j) {
    const Usable &u = usable[j];
    if (!(best_mask & (1u << j))) {
      out.rejected.push_back(Reject(u.instance->code, CouponRejection::kNotCombinable));
      continue;
    }
    const Effect e = Apply(*u.definition, basket, left);
    AppliedCoupon applied;
    applied.code = u.instance->code;
    applied.definition_id = u.definition->id;
    applied.kind = u.definition->kind;
    for (size_t i = 0; i < n; ++i) {
      left[i] -= e.per_line[i];
      if (e.per_line[i] != 0) applied.lines.push_back({basket[i].line_no, e.per_line[i]});
    }
    applied.total_discount_minor = e.total;
    if (e.points) applied.points_multiplier = u.definition->points_multiplier;
    out.total_discount_minor += e.total;
    out.applied.push_back(std::move(applied));
  }
  for (size_t i = 0; i < n; ++i) out.lines.push_back({basket[i].line_no, net[i] - left[i]});
  out.basket_total_after_minor = out.basket_total_minor - out.total_discount_minor;
  std::stable_sort(out.rejected.begin(), out.rejected.end(),
                   [](const RejectedCoupon &a, const RejectedCoupon &b) {
                     if (a.code != b.code) return a.code < b.code;
                     return a.reason < b.reason;
                   });
  return out;
}

}  // namespace loyalty
