// Program configuration <-> JSON. Each struct lists its fields once (Fields below); the same list
// drives writing, reading and the unknown-key check, so the three cannot drift apart.
#include "loyalty/json/program_json.h"

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "loyalty/common/utf8.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

constexpr char kSlug[] = "invalid_program";
constexpr char kRootField[] = "program";

// ---- The field lists ------------------------------------------------------------------------

template <typename S, typename T>
concept Is = std::same_as<std::remove_const_t<S>, T>;

template <typename S>
concept Record = Is<S, Rational> || Is<S, LineRule> || Is<S, BonusEvent> || Is<S, EarnRules> ||
    Is<S, Awards> || Is<S, ExpiryPolicy> || Is<S, RedemptionRules> || Is<S, AdjustmentRules> ||
    Is<S, TransferRules> || Is<S, ReturnRules> || Is<S, OfflineRules> || Is<S, TierBenefits> ||
    Is<S, TierLevel> || Is<S, TierRules> || Is<S, ProgramConfig>;

// `v(key, member)` for every member, in declaration order; S is the struct, const or not.
template <typename V, Is<Rational> S>
void Fields(V& v, S& s) {
  v("num", s.num);
  v("den", s.den);
}
template <typename V, Is<LineRule> S>
void Fields(V& v, S& s) {
  v("match", s.match);
  v("multiplier", s.multiplier);
  v("excluded", s.excluded);
}
template <typename V, Is<BonusEvent> S>
void Fields(V& v, S& s) {
  v("id", s.id);
  v("name", s.name);
  v("start_date", s.start_date);
  v("end_date", s.end_date);
  v("weekdays", s.weekdays);
  v("start_minute", s.start_minute);
  v("end_minute", s.end_minute);
  v("store_ids", s.store_ids);
  v("multiplier", s.multiplier);
}
template <typename V, Is<EarnRules> S>
void Fields(V& v, S& s) {
  v("points", s.points);
  v("per_minor", s.per_minor);
  v("rounding", s.rounding);
  v("include_tax", s.include_tax);
  v("skus", s.skus);
  v("categories", s.categories);
  v("bonus_events", s.bonus_events);
  v("birthday_month_multiplier", s.birthday_month_multiplier);
  v("stack_multipliers", s.stack_multipliers);
}
template <typename V, Is<Awards> S>
void Fields(V& v, S& s) {
  v("enrolment", s.enrolment);
  v("profile_completion", s.profile_completion);
  v("referral_referrer", s.referral_referrer);
  v("referral_referee", s.referral_referee);
  v("max_referrals_per_member", s.max_referrals_per_member);
}
template <typename V, Is<ExpiryPolicy> S>
void Fields(V& v, S& s) {
  v("kind", s.kind);
  v("months_or_years", s.months_or_years);
}
template <typename V, Is<RedemptionRules> S>
void Fields(V& v, S& s) {
  v("points", s.points);
  v("value_minor", s.value_minor);
  v("min_points", s.min_points);
  v("max_points", s.max_points);
}
template <typename V, Is<AdjustmentRules> S>
void Fields(V& v, S& s) {
  v("approval_threshold", s.approval_threshold);
}
template <typename V, Is<TransferRules> S>
void Fields(V& v, S& s) {
  v("enabled", s.enabled);
  v("min_points", s.min_points);
  v("max_points_per_day", s.max_points_per_day);
}
template <typename V, Is<ReturnRules> S>
void Fields(V& v, S& s) {
  v("restore_redeemed_points", s.restore_redeemed_points);
  v("restore_coupons", s.restore_coupons);
}
template <typename V, Is<OfflineRules> S>
void Fields(V& v, S& s) {
  v("max_redeem_points_per_day", s.max_redeem_points_per_day);
}
template <typename V, Is<TierBenefits> S>
void Fields(V& v, S& s) {
  v("birthday_coupon_definition_id", s.birthday_coupon_definition_id);
  v("free_parking_hours", s.free_parking_hours);
  v("priority_service", s.priority_service);
}
template <typename V, Is<TierLevel> S>
void Fields(V& v, S& s) {
  v("code", s.code);
  v("name_zh", s.name_zh);
  v("name_en", s.name_en);
  v("threshold", s.threshold);
  v("earn_multiplier", s.earn_multiplier);
  v("benefits", s.benefits);
}
template <typename V, Is<TierRules> S>
void Fields(V& v, S& s) {
  v("metric", s.metric);
  v("window", s.window);
  v("review", s.review);
  v("grace_days", s.grace_days);
  v("levels", s.levels);
}
template <typename V, Is<ProgramConfig> S>
void Fields(V& v, S& s) {
  v("version", s.version);
  v("currency", s.currency);
  v("time_zone", s.time_zone);
  v("earn", s.earn);
  v("awards", s.awards);
  v("pending_days", s.pending_days);
  v("expiry", s.expiry);
  v("refund", s.refund);
  v("returns", s.returns);
  v("offline", s.offline);
  v("redemption", s.redemption);
  v("adjustments", s.adjustments);
  v("transfers", s.transfers);
  v("tiers", s.tiers);
}

// ---- Enums ----------------------------------------------------------------------------------

// Name, parse and every value of one enum; the values only feed the "one of: ..." message.
template <typename E>
struct EnumInfo {};
template <>
struct EnumInfo<Rounding> {
  static constexpr auto kName = RoundingName;
  static constexpr auto kParse = ParseRounding;
  static constexpr Rounding kAll[] = {Rounding::kFloor, Rounding::kHalfUp, Rounding::kCeil};
};
template <>
struct EnumInfo<ExpiryKind> {
  static constexpr auto kName = ExpiryKindName;
  static constexpr auto kParse = ParseExpiryKind;
  static constexpr ExpiryKind kAll[] = {ExpiryKind::kNone, ExpiryKind::kRollingMonths,
                                        ExpiryKind::kEndOfNthMonth, ExpiryKind::kEndOfYear,
                                        ExpiryKind::kInactivityMonths};
};
template <>
struct EnumInfo<RefundPolicy> {
  static constexpr auto kName = RefundPolicyName;
  static constexpr auto kParse = ParseRefundPolicy;
  static constexpr RefundPolicy kAll[] = {RefundPolicy::kOnlyPending, RefundPolicy::kWithinBalance,
                                          RefundPolicy::kAllowNegative};
};
template <>
struct EnumInfo<TierMetric> {
  static constexpr auto kName = TierMetricName;
  static constexpr auto kParse = ParseTierMetric;
  static constexpr TierMetric kAll[] = {TierMetric::kSpend, TierMetric::kPoints,
                                        TierMetric::kVisits};
};
template <>
struct EnumInfo<TierWindow> {
  static constexpr auto kName = TierWindowName;
  static constexpr auto kParse = ParseTierWindow;
  static constexpr TierWindow kAll[] = {TierWindow::kRolling12Months, TierWindow::kCalendarYear,
                                        TierWindow::kAnniversaryYear};
};
template <>
struct EnumInfo<TierReview> {
  static constexpr auto kName = TierReviewName;
  static constexpr auto kParse = ParseTierReview;
  static constexpr TierReview kAll[] = {TierReview::kDowngradeOneLevel, TierReview::kRecalculate};
};

template <typename E>
concept Enum = requires { EnumInfo<E>::kAll; };

// This codec's own value type, declared before the shared reader and writer use it.
Json ToJson(const std::optional<std::string>& v);
Status Read(const Json& v, const std::string& path, std::optional<std::string>& out);

#include "loyalty/json/field_codec.inc"

// ---- Own value type ---------------------------------------------------------------------

Json ToJson(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
Status Read(const Json& v, const std::string& path, std::optional<std::string>& out) {
  if (v.is_null()) {
    out.reset();
    return {};
  }
  if (!v.is_string()) return Bad(path, "must be a string or null");
  out = v.get<std::string>();
  return {};
}
}  // namespace

Json ProgramToJson(const ProgramConfig& program) { return ToJson(program); }

Result<ProgramConfig> ProgramFromJson(const Json& json) { return ProgramFromJson(json, {}); }

Result<ProgramConfig> ProgramFromJson(const Json& json, const ProgramConfig& base) {
  try {
    if (!json.is_object()) {
      return InvalidField(kRootField, kSlug, std::string(kRootField) + " must be a JSON object");
    }
    ProgramConfig program = base;
    if (auto ok = Read(json, "", program); !ok) return Fail(ok.error());
    return program;
  } catch (const std::exception& e) {
    // Every access above checks the type first; reaching here is a bug, not bad input.
    return Fail(Code::kInternal, "program_json_failed",
                std::string("reading the program failed: ") + e.what());
  }
}

}  // namespace loyalty
