// Coupon definition <-> JSON. Each struct lists its fields once (Fields below); the same list
// drives writing, reading and the unknown-key check, so the three cannot drift apart. Mirrors
// program_json.cc.
#include "loyalty/json/coupon_json.h"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "loyalty/common/time_format.h"
#include "loyalty/common/utf8.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

constexpr char kSlug[] = "invalid_coupon_definition";
constexpr char kRootField[] = "coupon_definition";

// ---- The field lists ------------------------------------------------------------------------

template <typename S, typename T>
concept Is = std::same_as<std::remove_const_t<S>, T>;

template <typename S>
concept Record =
    Is<S, Rational> || Is<S, CouponTier> || Is<S, CouponScope> || Is<S, CouponValidity> ||
    Is<S, CouponStacking> || Is<S, CouponLimits> || Is<S, CouponDefinition>;

// `v(key, member)` for every member, in declaration order; S is the struct, const or not.
template <typename V, Is<Rational> S>
void Fields(V& v, S& s) {
  v("num", s.num);
  v("den", s.den);
}
template <typename V, Is<CouponTier> S>
void Fields(V& v, S& s) {
  v("threshold_minor", s.threshold_minor);
  v("off_minor", s.off_minor);
}
template <typename V, Is<CouponScope> S>
void Fields(V& v, S& s) {
  v("skus", s.skus);
  v("categories", s.categories);
  v("store_ids", s.store_ids);
}
template <typename V, Is<CouponValidity> S>
void Fields(V& v, S& s) {
  v("valid_from", s.valid_from);
  v("valid_until", s.valid_until);
  v("days_after_issue", s.days_after_issue);
}
template <typename V, Is<CouponStacking> S>
void Fields(V& v, S& s) {
  v("group", s.group);
  v("exclusive", s.exclusive);
  v("priority", s.priority);
}
template <typename V, Is<CouponLimits> S>
void Fields(V& v, S& s) {
  v("total", s.total);
  v("per_member", s.per_member);
  v("per_store", s.per_store);
  v("per_period", s.per_period);
  v("period", s.period);
}
// "id" is written but refused on reading (CouponDefinitionFromJson checks it before Fields runs,
// so reading it here only makes it a known key).
template <typename V, Is<CouponDefinition> S>
void Fields(V& v, S& s) {
  v("id", s.id);
  v("name_zh", s.name_zh);
  v("name_en", s.name_en);
  v("kind", s.kind);
  v("percent_bp", s.percent_bp);
  v("cap_minor", s.cap_minor);
  v("amount_minor", s.amount_minor);
  v("tiers", s.tiers);
  v("free_sku", s.free_sku);
  v("buy_qty", s.buy_qty);
  v("get_qty", s.get_qty);
  v("points_multiplier", s.points_multiplier);
  v("scope", s.scope);
  v("min_spend_minor", s.min_spend_minor);
  v("validity", s.validity);
  v("stacking", s.stacking);
  v("limits", s.limits);
  v("budget_minor", s.budget_minor);
  v("points_cost", s.points_cost);
}

// ---- Enums ----------------------------------------------------------------------------------

template <typename E>
struct EnumInfo {};
template <>
struct EnumInfo<CouponKind> {
  static constexpr auto kName = CouponKindName;
  static constexpr auto kParse = ParseCouponKind;
  static constexpr CouponKind kAll[] = {CouponKind::kPercentOff,     CouponKind::kFixedAmount,
                                        CouponKind::kThresholdTiers, CouponKind::kFreeItem,
                                        CouponKind::kBuyXGetY,       CouponKind::kPointsMultiplier};
};

template <>
struct EnumInfo<CouponPeriod> {
  static constexpr auto kName = CouponPeriodName;
  static constexpr auto kParse = ParseCouponPeriod;
  static constexpr CouponPeriod kAll[] = {CouponPeriod::kDay, CouponPeriod::kWeek,
                                          CouponPeriod::kMonth};
};

template <typename E>
concept Enum = requires { EnumInfo<E>::kAll; };

// This codec's own value type, declared before the shared reader and writer use it.
Json ToJson(const std::optional<Instant>& v);
Status Read(const Json& v, const std::string& path, std::optional<Instant>& out);

#include "loyalty/json/field_codec.inc"
#include "loyalty/json/optional_instant_codec.inc"
}  // namespace

Json CouponDefinitionToJson(const CouponDefinition& definition) { return ToJson(definition); }

Result<CouponDefinition> CouponDefinitionFromJson(const Json& json) {
  try {
    if (!json.is_object()) {
      return InvalidField(kRootField, kSlug, std::string(kRootField) + " must be a JSON object");
    }
    if (json.contains("id")) {
      return InvalidField("id", kSlug, "id must not be sent: ids are assigned by the server");
    }
    CouponDefinition definition;
    if (auto ok = Read(json, "", definition); !ok) return Fail(ok.error());
    return definition;
  } catch (const std::exception& e) {
    // Every access above checks the type first; reaching here is a bug, not bad input.
    return Fail(Code::kInternal, "coupon_json_failed",
                std::string("reading the coupon definition failed: ") + e.what());
  }
}

}  // namespace loyalty
