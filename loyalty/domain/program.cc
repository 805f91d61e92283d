// Program defaults, names of the policy enums, and whole-configuration validation.
#include "loyalty/domain/program.h"

#include <algorithm>
#include <limits>
#include <set>

#include "loyalty/common/business_date.h"
#include "loyalty/common/time_format.h"
#include "loyalty/common/utf8.h"
#include "loyalty/domain/store_id.h"

namespace loyalty {
namespace {

constexpr int64_t kMaxPoints = 1'000'000'000'000;  // far above any real balance, far below int64
constexpr int64_t kMaxMultiplier = 100;            // a 100x event is already a typo more likely

tl::unexpected<Error> Invalid(const std::string& field, const std::string& message) {
  return InvalidField(field, "invalid_program", field + ": " + message);
}

Status CheckRange(const std::string& field, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    return Invalid(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return {};
}

Status CheckMultiplier(const std::string& field, const Rational& r) {
  if (r.den <= 0 || r.num < 0 || r.den > 1000 || r.num > kMaxMultiplier * r.den) {
    return Invalid(field, "must be a fraction num/den with den 1..1000 and a value from 0 to " +
                              std::to_string(kMaxMultiplier));
  }
  return {};
}

Status CheckLineRules(const std::string& field, const std::vector<LineRule>& rules) {
  std::set<std::string> seen;
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    if (rules[i].match.empty() || rules[i].match.size() > 64) {
      return Invalid(at + ".match", "must be 1 to 64 characters");
    }
    if (!seen.insert(rules[i].match).second) {
      return Invalid(at + ".match", "'" + rules[i].match + "' is listed twice");
    }
    if (auto ok = CheckMultiplier(at + ".multiplier", rules[i].multiplier); !ok) return ok;
  }
  return {};
}

Status CheckBonusEvent(const std::string& at, const BonusEvent& e) {
  if (e.id.empty() || e.id.size() > 64) return Invalid(at + ".id", "must be 1 to 64 characters");
  const auto name_length = CountPrintableCodePoints(e.name);
  if (!name_length || *name_length == 0 || *name_length > 64) {
    return Invalid(at + ".name", "must be 1 to 64 characters");
  }
  const auto start = ParseDate(e.start_date);
  const auto end = ParseDate(e.end_date);
  if (!start) return Invalid(at + ".start_date", "must be a date YYYY-MM-DD");
  if (!end) return Invalid(at + ".end_date", "must be a date YYYY-MM-DD");
  if (date::sys_days(*end) < date::sys_days(*start)) {
    return Invalid(at + ".end_date", "is before start_date");
  }
  for (int d : e.weekdays) {
    if (d < 1 || d > 7) return Invalid(at + ".weekdays", "days are 1 (Monday) to 7 (Sunday)");
  }
  if (e.start_minute < 0 || e.start_minute >= 24 * 60 || e.end_minute <= e.start_minute ||
      e.end_minute > 24 * 60) {
    return Invalid(at + ".end_minute",
                   "the hours must satisfy 0 <= start_minute < end_minute <= 1440");
  }
  for (size_t i = 0; i < e.store_ids.size(); ++i) {
    if (!ValidStoreId(e.store_ids[i], "store_ids")) {
      return Invalid(at + ".store_ids[" + std::to_string(i) + "]",
                     "must be a store id (1 to 32 letters, digits, '-' or '_')");
    }
  }
  return CheckMultiplier(at + ".multiplier", e.multiplier);
}

Status CheckTiers(const TierRules& t) {
  if (t.levels.empty()) return Invalid("tiers.levels", "needs at least one level");
  if (auto ok = CheckRange("tiers.grace_days", t.grace_days, 0, 366); !ok) return ok;
  std::set<std::string> codes;
  for (size_t i = 0; i < t.levels.size(); ++i) {
    const TierLevel& l = t.levels[i];
    const std::string at = "tiers.levels[" + std::to_string(i) + "]";
    const bool code_ok = !l.code.empty() && l.code.size() <= 32 &&
                         std::all_of(l.code.begin(), l.code.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                         });
    if (!code_ok) return Invalid(at + ".code", "must be 1 to 32 of a-z, 0-9, '_' or '-'");
    if (!codes.insert(l.code).second) return Invalid(at + ".code", "'" + l.code + "' is used twice");
    const auto zh = CountPrintableCodePoints(l.name_zh);
    const auto en = CountPrintableCodePoints(l.name_en);
    if (!zh || *zh == 0 || *zh > 40) return Invalid(at + ".name_zh", "must be 1 to 40 characters");
    if (!en || *en == 0 || *en > 40) return Invalid(at + ".name_en", "must be 1 to 40 characters");
    if (i == 0 && l.threshold != 0) {
      return Invalid(at + ".threshold", "the first level is where everyone starts: it must be 0");
    }
    if (i > 0 && l.threshold <= t.levels[i - 1].threshold) {
      return Invalid(at + ".threshold", "must be higher than the level below");
    }
    if (auto ok = CheckRange(at + ".threshold", l.threshold, 0, kMaxPoints); !ok) return ok;
    if (auto ok = CheckMultiplier(at + ".earn_multiplier", l.earn_multiplier); !ok) return ok;
    if (auto ok = CheckRange(at + ".benefits.free_parking_hours", l.benefits.free_parking_hours, 0, 24);
        !ok) {
      return ok;
    }
  }
  return {};
}

}  // namespace

const char* ExpiryKindName(ExpiryKind k) {
  switch (k) {
    case ExpiryKind::kNone: return "none";
    case ExpiryKind::kRollingMonths: return "rolling_months";
    case ExpiryKind::kEndOfNthMonth: return "end_of_nth_month";
    case ExpiryKind::kEndOfYear: return "end_of_year";
    case ExpiryKind::kInactivityMonths: return "inactivity_months";
  }
  return "?";
}

std::optional<ExpiryKind> ParseExpiryKind(const std::string& name) {
  for (ExpiryKind k : {ExpiryKind::kNone, ExpiryKind::kRollingMonths, ExpiryKind::kEndOfNthMonth,
                       ExpiryKind::kEndOfYear, ExpiryKind::kInactivityMonths}) {
    if (name == ExpiryKindName(k)) return k;
  }
  return std::nullopt;
}

const char* RefundPolicyName(RefundPolicy p) {
  switch (p) {
    case RefundPolicy::kOnlyPending: return "only_pending";
    case RefundPolicy::kWithinBalance: return "within_balance";
    case RefundPolicy::kAllowNegative: return "allow_negative";
  }
  return "?";
}

std::optional<RefundPolicy> ParseRefundPolicy(const std::string& name) {
  for (RefundPolicy p :
       {RefundPolicy::kOnlyPending, RefundPolicy::kWithinBalance, RefundPolicy::kAllowNegative}) {
    if (name == RefundPolicyName(p)) return p;
  }
  return std::nullopt;
}

const char* TierMetricName(TierMetric m) {
  return m == TierMetric::kSpend ? "spend" : m == TierMetric::kPoints ? "points" : "visits";
}
const char* TierWindowName(TierWindow w) {
  return w == TierWindow::kRolling12Months  ? "rolling_12_months"
         : w == TierWindow::kCalendarYear ? "calendar_year"
                                          : "anniversary_year";
}
const char* TierReviewName(TierReview r) {
  return r == TierReview::kDowngradeOneLevel ? "downgrade_one_level" : "recalculate";
}
std::optional<TierMetric> ParseTierMetric(const std::string& s) {
  for (TierMetric m : {TierMetric::kSpend, TierMetric::kPoints, TierMetric::kVisits}) {
    if (s == TierMetricName(m)) return m;
  }
  return std::nullopt;
}
std::optional<TierWindow> ParseTierWindow(const std::string& s) {
  for (TierWindow w :
       {TierWindow::kRolling12Months, TierWindow::kCalendarYear, TierWindow::kAnniversaryYear}) {
    if (s == TierWindowName(w)) return w;
  }
  return std::nullopt;
}
std::optional<TierReview> ParseTierReview(const std::string& s) {
  for (TierReview r : {TierReview::kDowngradeOneLevel, TierReview::kRecalculate}) {
    if (s == TierReviewName(r)) return r;
  }
  return std::nullopt;
}

ProgramConfig DefaultProgram() {
  ProgramConfig p;
  p.pending_days = 30;
  p.expiry = ExpiryPolicy{ExpiryKind::kRollingMonths, 24};
  p.awards.enrolment = 0;
  p.tiers.levels = {
      TierLevel{"base", "普通会员", "Member", 0, {1, 1}, {}},
      TierLevel{"silver", "银卡", "Silver", 200000, {5, 4}, {std::nullopt, 1, false}},
      TierLevel{"gold", "金卡", "Gold", 800000, {3, 2}, {std::nullopt, 2, true}},
      TierLevel{"diamond", "钻石", "Diamond", 2000000, {2, 1}, {std::nullopt, 3, true}},
  };
  return p;
}

Status ValidateProgram(const ProgramConfig& p) {
  if (p.currency.size() != 3 ||
      !std::all_of(p.currency.begin(), p.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Invalid("currency", "must be an ISO 4217 code such as CNY");
  }
  if (!IsKnownZone(p.time_zone)) return Invalid("time_zone", "must be an IANA zone such as Asia/Shanghai");
  const EarnRules& e = p.earn;
  if (auto ok = CheckRange("earn.points", e.points, 0, 1'000'000); !ok) return ok;
  if (auto ok = CheckRange("earn.per_minor", e.per_minor, 1, 100'000'000); !ok) return ok;
  if (auto ok = CheckLineRules("earn.skus", e.skus); !ok) return ok;
  if (auto ok = CheckLineRules("earn.categories", e.categories); !ok) return ok;
  std::set<std::string> event_ids;
  for (size_t i = 0; i < e.bonus_events.size(); ++i) {
    const std::string at = "earn.bonus_events[" + std::to_string(i) + "]";
    if (auto ok = CheckBonusEvent(at, e.bonus_events[i]); !ok) return ok;
    if (!event_ids.insert(e.bonus_events[i].id).second) return Invalid(at + ".id", "is used twice");
  }
  if (auto ok = CheckMultiplier("earn.birthday_month_multiplier", e.birthday_month_multiplier); !ok) {
    return ok;
  }
  for (auto [field, value] : {std::pair{"awards.enrolment", p.awards.enrolment},
                              std::pair{"awards.profile_completion", p.awards.profile_completion},
                              std::pair{"awards.referral_referrer", p.awards.referral_referrer},
                              std::pair{"awards.referral_referee", p.awards.referral_referee}}) {
    if (auto ok = CheckRange(field, value, 0, 1'000'000); !ok) return ok;
  }
  if (auto ok = CheckRange("awards.max_referrals_per_member", p.awards.max_referrals_per_member, 0,
                           10'000);
      !ok) {
    return ok;
  }
  if (auto ok = CheckRange("offline.max_redeem_points_per_day", p.offline.max_redeem_points_per_day,
                           0, 1'000'000'000);
      !ok) {
    return ok;
  }
  if (auto ok = CheckRange("pending_days", p.pending_days, 0, 365); !ok) return ok;
  const bool needs_n = p.expiry.kind == ExpiryKind::kRollingMonths ||
                       p.expiry.kind == ExpiryKind::kInactivityMonths;
  const int max_n = p.expiry.kind == ExpiryKind::kNone ? 0 : 120;  // "none" takes no number
  if (auto ok = CheckRange("expiry.months_or_years", p.expiry.months_or_years, needs_n ? 1 : 0, max_n);
      !ok) {
    return ok;
  }
  // Purchases wait pending_days before their points are usable; an expiry that always comes
  // first would make every purchase's points worthless.
  const int shortest_life_days =
      p.expiry.kind == ExpiryKind::kRollingMonths ? 28 * p.expiry.months_or_years
      : p.expiry.kind == ExpiryKind::kEndOfNthMonth ? 28 * p.expiry.months_or_years
      : p.expiry.kind == ExpiryKind::kInactivityMonths ? 28 * p.expiry.months_or_years
                                                       : std::numeric_limits<int>::max();
  if (p.pending_days > 0 && p.pending_days >= shortest_life_days) {
    return Invalid("pending_days", "is as long as the expiry period: points would expire before "
                                   "they become available");
  }
  const RedemptionRules& r = p.redemption;
  if (auto ok = CheckRange("redemption.points", r.points, 1, 1'000'000); !ok) return ok;
  if (auto ok = CheckRange("redemption.value_minor", r.value_minor, 1, 1'000'000); !ok) return ok;
  if (auto ok = CheckRange("redemption.min_points", r.min_points, 1, kMaxPoints); !ok) return ok;
  if (auto ok = CheckRange("redemption.max_points", r.max_points, 1, kMaxPoints); !ok) return ok;
  if (r.max_points < r.min_points) {
    return Invalid("redemption.max_points", "is smaller than redemption.min_points");
  }
  if (auto ok = CheckRange("adjustments.approval_threshold", p.adjustments.approval_threshold, 0,
                           kMaxPoints);
      !ok) {
    return ok;
  }
  if (auto ok = CheckRange("transfers.min_points", p.transfers.min_points, 1, kMaxPoints); !ok) return ok;
  if (auto ok = CheckRange("transfers.max_points_per_day", p.transfers.max_points_per_day, 1, kMaxPoints);
      !ok) {
    return ok;
  }
  if (p.transfers.max_points_per_day < p.transfers.min_points) {
    return Invalid("transfers.max_points_per_day", "is smaller than transfers.min_points");
  }
  return CheckTiers(p.tiers);
}

}  // namespace loyalty
