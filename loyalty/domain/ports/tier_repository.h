// Port: members' tier levels, their qualifying activity and the history of changes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/tier.h"

namespace loyalty {

struct TierRecord {
  TierStatus status;
  Instant enrolled_at{};                 // for anniversary windows
  std::vector<TierActivity> activities;  // since the `activities_since` asked for
  std::vector<TierChange> history;       // newest first, at most 20
};

// Decides from the locked record; returns the change to record (if any). `status` is written
// back whatever it returns (review dates move without a level change).
using TierDecision = std::function<Result<std::optional<TierChange>>(TierStatus& status,
                                                                     const TierRecord& record)>;

struct TierActivityRecord {
  std::string activity_id;
  std::string ref;  // the purchase it came from
  TierActivity activity;
};

// A tier change written together with other rows (a till transaction): Apply's arguments.
struct TierUpdate {
  std::string member_id;
  std::string base_tier;
  std::optional<TierActivityRecord> activity;
  Instant activities_since{};
  std::string staff_id;
  TierDecision decide;
};

class TierRepository {
 public:
  virtual ~TierRepository() = default;
  // In one transaction: locks the member's tier row (the first level if the member has none),
  // adds `activity` if given, loads activities since `activities_since`, runs `decide`, writes
  // the status (and members.tier), the change into the history by `staff_id`, and `audit`.
  virtual Result<std::pair<TierStatus, std::optional<TierChange>>> Apply(
      const std::string& member_id, const std::string& base_tier,
      const std::optional<TierActivityRecord>& activity, Instant activities_since,
      const std::string& staff_id, const TierDecision& decide,
      const std::optional<AuditEntry>& audit) = 0;
  // Without locking, for display.
  virtual Result<TierRecord> Load(const std::string& member_id, const std::string& base_tier,
                                  Instant activities_since) = 0;
  // Members whose review date is before `before`, at most `limit`.
  virtual Result<std::vector<std::string>> DueForReview(Instant before, int limit) = 0;
};

}  // namespace loyalty
