// Program configuration: how members earn, when points activate and expire, how returns and
// redemptions work, and the tiers. Versioned; every change is validated as a whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/common/money.h"

namespace loyalty {

// Multiplies or excludes the points of matching basket lines.
struct LineRule {
  std::string match;            // a SKU or a category, depending on the list it is in
  Rational multiplier{1, 1};    // ignored when excluded
  bool excluded = false;        // no points at all (e.g. tobacco, gift cards)
};

// Extra points during a time box, e.g. double points on Tuesdays 16:00-18:00 in S1.
struct BonusEvent {
  std::string id;
  std::string name;
  std::string start_date;         // YYYY-MM-DD, in the store's zone, inclusive
  std::string end_date;           // inclusive
  std::vector<int> weekdays;      // 1=Mon..7=Sun; empty = every day
  int start_minute = 0;           // minutes after local midnight, inclusive
  int end_minute = 24 * 60;       // exclusive
  std::vector<std::string> store_ids;  // empty = every store
  Rational multiplier{2, 1};
};

struct EarnRules {
  // points per `per_minor` minor units of the base (net paid after discounts), e.g. 1 per 100.
  int64_t points = 1;
  int64_t per_minor = 100;
  Rounding rounding = Rounding::kFloor;
  bool include_tax = false;  // base includes the line's tax amount
  std::vector<LineRule> skus;
  std::vector<LineRule> categories;
  std::vector<BonusEvent> bonus_events;
  Rational birthday_month_multiplier{1, 1};
  // How multipliers combine: the highest of tier/bonus/birthday applies, or they multiply.
  bool stack_multipliers = false;
};

// Points for things other than purchases.
struct Awards {
  int64_t enrolment = 0;
  int64_t profile_completion = 0;  // once, when phone, e-mail, name and birthday are all known
  int64_t referral_referrer = 0;   // on the new member's first purchase
  int64_t referral_referee = 0;
  int max_referrals_per_member = 10;
};

enum class ExpiryKind {
  kNone,             // points never expire
  kRollingMonths,    // each lot expires N months after it was earned
  kEndOfNthMonth,    // end of the Nth month after the month it was earned (0 = same month)
  kEndOfYear,        // 31 Dec of the year N years after it was earned (0 = same year)
  kInactivityMonths  // everything expires N months after the member's last activity
};
const char* ExpiryKindName(ExpiryKind k);
std::optional<ExpiryKind> ParseExpiryKind(const std::string& name);

struct ExpiryPolicy {
  ExpiryKind kind = ExpiryKind::kNone;
  int months_or_years = 0;
};

enum class RefundPolicy {
  kOnlyPending,    // returns claw back only points not yet active; active ones stay
  kWithinBalance,  // claw back from the balance down to zero, never below
  kAllowNegative   // claw back in full; the balance may go negative (a debt later earns pay)
};
const char* RefundPolicyName(RefundPolicy p);
std::optional<RefundPolicy> ParseRefundPolicy(const std::string& name);

// What a return gives back besides clawing back earned points (a post-void gives back everything).
struct ReturnRules {
  bool restore_redeemed_points = true;  // points spent on the sale, in proportion to what came back
  bool restore_coupons = true;          // once the whole sale came back (expired ones stay expired)
};

// Tills that lost the network keep selling and upload a journal later (docs/POS-JOURNAL.md).
struct OfflineRules {
  // Points one member may redeem per business day at tills that are offline; what goes beyond
  // (or beyond the balance) becomes debt under allow_negative, else is written off and listed
  // for reconciliation.
  int64_t max_redeem_points_per_day = 5000;
};

struct RedemptionRules {
  // `points` points are worth `value_minor` minor units, e.g. 100 points = 100 fen (¥1).
  int64_t points = 100;
  int64_t value_minor = 100;
  int64_t min_points = 100;          // per transaction
  int64_t max_points = 1000000;      // per transaction
};

struct AdjustmentRules {
  int64_t approval_threshold = 1000;  // |points| above this waits for a second staff member
};

struct TransferRules {
  bool enabled = true;
  int64_t min_points = 100;
  int64_t max_points_per_day = 10000;  // per sending member, in the chain's zone
};

enum class TierMetric { kSpend, kPoints, kVisits };
enum class TierWindow { kRolling12Months, kCalendarYear, kAnniversaryYear };
enum class TierReview { kDowngradeOneLevel, kRecalculate };
const char* TierMetricName(TierMetric m);
const char* TierWindowName(TierWindow w);
const char* TierReviewName(TierReview r);
std::optional<TierMetric> ParseTierMetric(const std::string& s);
std::optional<TierWindow> ParseTierWindow(const std::string& s);
std::optional<TierReview> ParseTierReview(const std::string& s);

struct TierBenefits {
  std::optional<std::string> birthday_coupon_definition_id;
  int free_parking_hours = 0;
  bool priority_service = false;
};

struct TierLevel {
  std::string code;       // "base", "silver", ...
  std::string name_zh;    // 普通会员
  std::string name_en;    // Member
  int64_t threshold = 0;  // in the metric's unit (fen, points, visits); first level is 0
  Rational earn_multiplier{1, 1};
  TierBenefits benefits;
};

struct TierRules {
  TierMetric metric = TierMetric::kSpend;
  TierWindow window = TierWindow::kRolling12Months;
  TierReview review = TierReview::kDowngradeOneLevel;
  int grace_days = 30;            // after the review date before a downgrade takes effect
  std::vector<TierLevel> levels;  // ascending thresholds, first threshold 0
};

struct ProgramConfig {
  int64_t version = 0;  // assigned on save; a PUT must name the version it replaces
  std::string currency = "CNY";
  std::string time_zone = "Asia/Shanghai";  // the chain's zone for dates that are not per store
  EarnRules earn;
  Awards awards;
  int pending_days = 0;  // return window before earned points become available
  ExpiryPolicy expiry;
  RefundPolicy refund = RefundPolicy::kWithinBalance;
  ReturnRules returns;
  OfflineRules offline;
  RedemptionRules redemption;
  AdjustmentRules adjustments;
  TransferRules transfers;
  TierRules tiers;
};

// The default program a fresh install starts with: 1 point per ¥1, 30 pending days, rolling
// 24-month expiry, 100 points = ¥1, four tiers by spend.
ProgramConfig DefaultProgram();

// Checks the whole configuration; the first problem is returned as invalid_program with the
// dotted field path in detail "field" (e.g. "earn.per_minor", "tiers.levels[2].threshold").
Status ValidateProgram(const ProgramConfig& program);

}  // namespace loyalty
