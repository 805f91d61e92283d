// Tiers: which level a member's qualifying activity earns, when it is reviewed, and what a
// review does (downgrade by one level or recalculate, after a grace period).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/program.h"

namespace loyalty {

// One qualifying event (a purchase): spend in minor units, points earned, one visit.
struct TierActivity {
  Instant at{};
  int64_t spend_minor = 0;
  int64_t points = 0;
  int64_t visits = 0;
};

struct TierStatus {
  std::string tier;          // level code
  Instant since{};
  std::optional<Instant> review_at;  // when the level is reviewed; nullopt for the base level
};

struct TierChange {
  std::string from, to;
  Instant at{};
  std::string reason;  // "qualified", "review", "manual: <why>"
};

// The window a qualification is measured over, as [start, end) instants.
struct TierWindowRange {
  Instant start{}, end{};
};
TierWindowRange QualificationWindow(const TierRules& rules, Instant now, Instant enrolled_at,
                                    const std::string& zone);

// Sum of the metric over activities inside the window.
int64_t QualifyingValue(const TierRules& rules, const std::vector<TierActivity>& activities,
                        const TierWindowRange& window);

// Index of the highest level whose threshold `value` reaches (0 = base).
size_t LevelFor(const TierRules& rules, int64_t value);
// Index of `code` in the levels; nullopt if the program no longer has it.
std::optional<size_t> LevelIndex(const TierRules& rules, const std::string& code);

// After new activity: upgrades at once when the window's value reaches a higher level.
// The new level is held until a review one year on (end of next calendar year for
// calendar_year windows).
std::optional<TierChange> Upgrade(const TierRules& rules, TierStatus& status, int64_t value,
                                  Instant now, const std::string& zone);

// At or after review_at + grace_days: keeps the level if the value still qualifies, else moves
// down one level (kDowngradeOneLevel) or to the level the value earns (kRecalculate); sets the
// next review. No change before the grace period ends.
std::optional<TierChange> Review(const TierRules& rules, TierStatus& status, int64_t value,
                                 Instant now, const std::string& zone);

// After a return took qualifying activity back: a level the member reached by qualifying
// (`last_change`, the newest history entry, is that upgrade) inside the current window
// (`window_start`) and no longer earns is recalculated, but never below the level held before
// that upgrade; levels from earlier windows, reviews or staff stay until their review.
std::optional<TierChange> AfterReturn(const TierRules& rules, TierStatus& status, int64_t value,
                                      const std::optional<TierChange>& last_change,
                                      Instant window_start, Instant now, const std::string& zone);

// Staff sets a level by hand; invalid_tier (field "tier") for an unknown code.
Result<TierChange> AssignTier(const TierRules& rules, TierStatus& status, const std::string& tier,
                              const std::string& reason, Instant now, const std::string& zone);

// When a level reached at `at` is next reviewed.
Instant NextReview(const TierRules& rules, Instant at, const std::string& zone);

}  // namespace loyalty
