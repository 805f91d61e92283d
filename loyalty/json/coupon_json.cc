// Coupon definition <-> JSON. Each struct lists its fields once (Fields below); the same list
// drives writing, reading and the unknown-key check, so the three cannot drift apart. Mirrors
// program_json.cc.
#include "loyalty/json/coupon_json.h"

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

#include <date/date.h>

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

// ---- Instants -------------------------------------------------------------------------------

// Strict RFC 3339: "YYYY-MM-DDTHH:MM:SS", an optional fraction of 1 to 6 digits (an Instant holds
// microseconds; more digits would be silently dropped), then "Z" or "+HH:MM" / "-HH:MM". Upper
// case 'T' and 'Z' only, no leap second (:60), a real calendar day, and a UTC result in years
// 0000..9999 so that FormatInstant writes it back in the same form.
std::optional<Instant> ParseInstant(std::string_view text) {
  size_t pos = 0;
  auto digits = [&](size_t n) -> std::optional<int> {
    if (pos + n > text.size()) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < n; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos += n;
    return value;
  };
  auto literal = [&](char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  const auto year = digits(4);
  if (!year || !literal('-')) return std::nullopt;
  const auto month = digits(2);
  if (!month || !literal('-')) return std::nullopt;
  const auto day = digits(2);
  if (!day || !literal('T')) return std::nullopt;
  const auto hour = digits(2);
  if (!hour || !literal(':')) return std::nullopt;
  const auto minute = digits(2);
  if (!minute || !literal(':')) return std::nullopt;
  const auto second = digits(2);
  if (!second) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  int64_t micros = 0;
  if (literal('.')) {
    int count = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++count > 6) return std::nullopt;
      micros = micros * 10 + (text[pos] - '0');
      ++pos;
    }
    if (count == 0) return std::nullopt;
    for (int i = count; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  if (!literal('Z')) {
    int sign = 0;
    if (literal('+')) {
      sign = 1;
    } else if (literal('-')) {
      sign = -1;
    } else {
      return std::nullopt;
    }
    const auto off_hour = digits(2);
    if (!off_hour || !literal(':')) return std::nullopt;
    const auto off_minute = digits(2);
    if (!off_minute || *off_hour > 23 || *off_minute > 59) return std::nullopt;
    offset_minutes = sign * (*off_hour * 60 + *off_minute);
  }
  if (pos != text.size()) return std::nullopt;
  const date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                 date::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  using std::chrono::hours;
  using std::chrono::microseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  // Local time minus the offset is UTC ("+08:00" is eight hours ahead of UTC).
  const Instant t = Instant{date::sys_days{ymd}} + hours{*hour} + minutes{*minute} +
                    seconds{*second} + microseconds{micros} - minutes{offset_minutes};
  const Instant min = Instant{date::sys_days{date::year{0} / 1 / 1}};
  const Instant end = Instant{date::sys_days{date::year{10000} / 1 / 1}};
  if (t < min || t >= end) return std::nullopt;
  return t;
}

// This codec's own value type, declared before the shared reader and writer use it.
Json ToJson(const std::optional<Instant>& v);
Status Read(const Json& v, const std::string& path, std::optional<Instant>& out);

#include "loyalty/json/field_codec.inc"

// ---- Own value type ---------------------------------------------------------------------

Json ToJson(const std::optional<Instant>& v) { return v ? Json(FormatInstant(*v)) : Json(nullptr); }
Status Read(const Json& v, const std::string& path, std::optional<Instant>& out) {
  if (v.is_null()) {
    out.reset();
    return {};
  }
  constexpr char kShape[] =
      "must be an RFC 3339 instant such as \"2026-11-23T15:35:25Z\" or "
      "\"2026-11-23T23:35:25.123456+08:00\", or null";
  if (!v.is_string()) return Bad(path, kShape);
  const auto parsed = ParseInstant(v.get_ref<const std::string&>());
  if (!parsed) return Bad(path, kShape);
  out = *parsed;
  return {};
}
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
