// Segment rule checks: each problem names its field and says what would be accepted.
#include "campaigns/domain/segment.h"

#include <algorithm>
#include <utility>

#include "loyalty/common/utf8.h"

namespace loyalty {
namespace {

constexpr char kSlug[] = "invalid_segment";
constexpr size_t kMaxName = 120;
constexpr size_t kMaxDescription = 1000;
constexpr size_t kMaxCode = 64;

Status Bad(const std::string& field, const std::string& problem) {
  return InvalidField(field, kSlug, field + " " + problem);
}

Status CheckText(const std::string& text, const std::string& field, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Bad(field, "must be at most " + std::to_string(max_bytes) + " bytes");
  }
  if (!text.empty() && !CountPrintableCodePoints(text)) {
    return Bad(field, "must be printable UTF-8 text (no control characters)");
  }
  return {};
}

template <typename T>
Status CheckListSize(const std::vector<T>& list, const std::string& field) {
  if (list.size() <= kMaxSegmentListSize) return {};
  return Bad(field, "may list at most " + std::to_string(kMaxSegmentListSize) + " entries");
}

Status CheckRange(const IntRange& range, const std::string& field, int64_t floor,
                  std::optional<int64_t> ceiling = std::nullopt) {
  for (const auto& [end, name] : {std::pair{range.min, ".min"}, std::pair{range.max, ".max"}}) {
    if (end && *end < floor) return Bad(field + name, "must be at least " + std::to_string(floor));
    if (end && ceiling && *end > *ceiling) {
      return Bad(field + name, "must be at most " + std::to_string(*ceiling));
    }
  }
  if (range.min && range.max && *range.min > *range.max) {
    return Bad(field + ".max", "must not be below min (" + std::to_string(*range.min) + ")");
  }
  return {};
}

Status CheckCodes(const std::vector<std::string>& codes, const std::string& field) {
  if (auto ok = CheckListSize(codes, field); !ok) return ok;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i].empty() || codes[i].size() > kMaxCode) {
      return Bad(field + "[" + std::to_string(i) + "]",
                 "must be 1 to " + std::to_string(kMaxCode) + " characters");
    }
  }
  return {};
}

Status CheckScores(const std::vector<int>& scores, const std::string& field) {
  if (auto ok = CheckListSize(scores, field); !ok) return ok;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] < 1 || scores[i] > 5) {
      return Bad(field + "[" + std::to_string(i) + "]", "must be a score from 1 to 5");
    }
  }
  return {};
}

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Status CheckPurchase(const PurchaseRule& rule, const std::string& field) {
  if (auto ok = CheckCodes(rule.skus, field + ".skus"); !ok) return ok;
  if (auto ok = CheckCodes(rule.categories, field + ".categories"); !ok) return ok;
  if (auto ok = CheckCodes(rule.store_ids, field + ".store_ids"); !ok) return ok;
  if (rule.within_days < 0 || rule.within_days > kMaxPeriodDays) {
    return Bad(field + ".within_days",
               "must be between 0 (no bound) and " + std::to_string(kMaxPeriodDays));
  }
  if (rule.since && rule.until && *rule.since >= *rule.until) {
    return Bad(field + ".until", "must be after since");
  }
  if (auto ok = CheckRange(rule.count, field + ".count", 0); !ok) return ok;
  return CheckRange(rule.spend_minor, field + ".spend_minor", 0);
}

}  // namespace

const char* LifecycleStageName(LifecycleStage stage) {
  switch (stage) {
    case LifecycleStage::kNew:
      return "new";
    case LifecycleStage::kNeverPurchased:
      return "never_purchased";
    case LifecycleStage::kActive:
      return "active";
    case LifecycleStage::kAtRisk:
      return "at_risk";
    case LifecycleStage::kLapsed:
      return "lapsed";
  }
  return "lapsed";
}

std::optional<LifecycleStage> ParseLifecycleStage(const std::string& name) {
  for (LifecycleStage stage : kAllLifecycleStages) {
    if (name == LifecycleStageName(stage)) return stage;
  }
  return std::nullopt;
}

Status ValidateSegment(const Segment& segment, const std::vector<std::string>& tier_codes) {
  if (segment.name_zh.empty() && segment.name_en.empty()) {
    return Bad("name_zh", "or name_en must be given: a segment needs a name");
  }
  if (auto ok = CheckText(segment.name_zh, "name_zh", kMaxName); !ok) return ok;
  if (auto ok = CheckText(segment.name_en, "name_en", kMaxName); !ok) return ok;
  if (auto ok = CheckText(segment.description, "description", kMaxDescription); !ok) return ok;
  const SegmentRules& r = segment.rules;
  if (auto ok = CheckCodes(r.tiers, "rules.tiers"); !ok) return ok;
  for (size_t i = 0; i < r.tiers.size(); ++i) {
    if (std::find(tier_codes.begin(), tier_codes.end(), r.tiers[i]) == tier_codes.end()) {
      return Bad("rules.tiers[" + std::to_string(i) + "]",
                 "is not a tier of the program (" + Joined(tier_codes) + ")");
    }
  }
  if (auto ok = CheckCodes(r.home_store_ids, "rules.home_store_ids"); !ok) return ok;
  if (auto ok = CheckRange(r.enrolled_days, "rules.enrolled_days", 0, kMaxEnrolledDays); !ok) {
    return ok;
  }
  if (auto ok = CheckRange(r.points_available, "rules.points_available", 0); !ok) return ok;
  if (auto ok = CheckListSize(r.consents, "rules.consents"); !ok) return ok;
  if (auto ok = CheckListSize(r.lifecycle, "rules.lifecycle"); !ok) return ok;
  if (auto ok = CheckScores(r.rfm.recency, "rules.rfm.recency"); !ok) return ok;
  if (auto ok = CheckScores(r.rfm.frequency, "rules.rfm.frequency"); !ok) return ok;
  if (auto ok = CheckScores(r.rfm.monetary, "rules.rfm.monetary"); !ok) return ok;
  if (r.purchases.size() > kMaxPurchaseRules) {
    return Bad("rules.purchases",
               "may hold at most " + std::to_string(kMaxPurchaseRules) + " purchase rules");
  }
  for (size_t i = 0; i < r.purchases.size(); ++i) {
    if (auto ok = CheckPurchase(r.purchases[i], "rules.purchases[" + std::to_string(i) + "]");
        !ok) {
      return ok;
    }
  }
  return {};
}

}  // namespace loyalty
