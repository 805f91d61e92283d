// Tier use cases: progress for the portal and the till, upgrades on qualifying purchases,
// reviews with grace, manual assignment by staff.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/domain/ports/program_store.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/domain/ports/tier_repository.h"
#include "loyalty/service/actor.h"

namespace loyalty {

struct TierView {
  TierStatus status;
  TierLevel level;                 // the current level's names and benefits
  TierMetric metric = TierMetric::kSpend;
  std::string currency = "CNY";
  int64_t qualifying_value = 0;    // in the metric's unit over the current window
  int64_t qualifying_spend = 0;    // minor units spent over the current window, whatever the metric
  Instant window_start{}, window_end{};
  std::optional<TierLevel> next_level;
  int64_t remaining_to_next = 0;
  std::vector<TierChange> history;  // newest first
};

struct TierPorts {
  TierRepository& tiers;
  ProgramStore& program;
  RandomSource& random;
  const Clock& clock;
};

class TierService {
 public:
  explicit TierService(TierPorts ports) : ports_(ports) {}

  Result<TierView> View(const Actor& actor, const std::string& member_id);
  // Records a qualifying purchase and upgrades at once if it reaches a higher level.
  // RecordPurchase's change, for a till transaction that writes it with the sale.
  Result<TierUpdate> PurchaseUpdate(const Actor& actor, const std::string& member_id,
                                    const TierActivity& activity, const std::string& ref);
  // A return's change: `activity` (negative spend and points) is recorded, and a level the
  // returned purchase earned is recalculated (AfterReturn).
  Result<TierUpdate> ReturnUpdate(const Actor& actor, const std::string& member_id,
                                  const TierActivity& activity, const std::string& ref);
  Result<std::optional<TierChange>> RecordPurchase(const Actor& actor, const std::string& member_id,
                                                   const TierActivity& activity,
                                                   const std::string& ref);
  // Staff sets a level by hand (store_manager, admin), with a reason; audited.
  Result<TierChange> Assign(const Actor& actor, const std::string& member_id,
                            const std::string& tier, const std::string& reason);
  // Reviews every member whose review date (plus grace) has passed. Returns how many changed.
  Result<int> ReviewDue(Instant now);

 private:
  Instant ActivitiesSince(Instant now) const;
  TierPorts ports_;
};

}  // namespace loyalty
