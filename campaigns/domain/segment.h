// Marketing segments: a named set of rules over the member's profile, tier, points, consent,
// lifecycle stage, RFM scores and purchases. Plain values; storage adapters evaluate them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/member.h"

namespace loyalty {

// Inclusive bounds; an unset end is open.
struct IntRange {
  std::optional<int64_t> min;
  std::optional<int64_t> max;
};

// Where a member stands, from enrolment and the last purchase (mutually exclusive, in this order):
// new: enrolled less than kNewMemberDays ago; never_purchased: no purchase yet; active: last
// purchase within kActiveDays; at_risk: within kAtRiskDays; lapsed: longer ago.
enum class LifecycleStage { kNew, kNeverPurchased, kActive, kAtRisk, kLapsed };
inline constexpr int kNewMemberDays = 30;
inline constexpr int kActiveDays = 90;
inline constexpr int kAtRiskDays = 180;
const char* LifecycleStageName(LifecycleStage stage);
std::optional<LifecycleStage> ParseLifecycleStage(const std::string& name);
inline constexpr LifecycleStage kAllLifecycleStages[] = {
    LifecycleStage::kNew, LifecycleStage::kNeverPurchased, LifecycleStage::kActive,
    LifecycleStage::kAtRisk, LifecycleStage::kLapsed};

// RFM scores 1..5 (5 = best: most recent, most visits, most spend), by the member's standing
// among everyone who purchased in the last kRfmWindowDays: score = ceil(5 × cumulative share),
// so equal values always get the same score. Members without a purchase in the window have no
// scores and never match an RFM rule. An empty list accepts any score.
inline constexpr int kRfmWindowDays = 365;
struct RfmRule {
  std::vector<int> recency;
  std::vector<int> frequency;
  std::vector<int> monetary;
};

// "Bought ...": the member's till sales (not voided) in the period with at least one line that
// matches every non-empty filter and was not returned in full. `count` bounds the number of such
// sales (default at least one; {"max": 0} means "did not buy"); `spend_minor` bounds what was
// paid on the matching lines, less returns.
struct PurchaseRule {
  std::vector<std::string> skus;        // any of
  std::vector<std::string> categories;  // any of
  std::vector<std::string> store_ids;   // any of
  int within_days = 0;                  // the last N days; 0 = no such bound
  std::optional<Instant> since;         // absolute period, inclusive start
  std::optional<Instant> until;         // exclusive end
  IntRange count{1, std::nullopt};
  IntRange spend_minor;
};

// Every condition that is set must hold (AND); a list inside a condition is "any of".
// Erased members are never in a segment.
struct SegmentRules {
  std::vector<std::string> tiers;           // tier codes
  std::vector<std::string> home_store_ids;  // the member's home store
  IntRange enrolled_days;                   // whole days since enrolment
  IntRange points_available;                // available points balance
  std::vector<ConsentChannel> consents;     // channels the member must have agreed to, all of
  std::vector<LifecycleStage> lifecycle;    // any of
  RfmRule rfm;
  std::vector<PurchaseRule> purchases;  // each must hold
};

struct Segment {
  std::string id;  // assigned by the server
  std::string name_zh;
  std::string name_en;
  std::string description;
  SegmentRules rules;
  Instant created_at{};
  std::string created_by;  // staff id
};

inline constexpr size_t kMaxSegmentListSize = 200;  // entries in one list of a rule
inline constexpr size_t kMaxPurchaseRules = 10;
inline constexpr int kMaxPeriodDays = 3660;          // within_days
inline constexpr int64_t kMaxEnrolledDays = 36'600;  // enrolled_days ends (a hundred years)

// Checks what the rules can check by themselves; invalid_segment with detail "field" = the dotted
// path ("rules.purchases[0].count.min") and a message a marketer can act on. `tier_codes` are
// the program's tiers (a tier not among them is refused, naming them).
Status ValidateSegment(const Segment& segment, const std::vector<std::string>& tier_codes);

}  // namespace loyalty
