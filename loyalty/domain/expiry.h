// When a lot of points expires, per the program's expiry policy and the business calendar of
// the zone it was earned in (end of year in Asia/Shanghai is not end of year in UTC).
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/domain/program.h"

namespace loyalty {

// The instant a lot earned at `earned_at` expires: the start of the first local day on which it
// is no longer usable. nullopt for kNone and kInactivityMonths (that one depends on activity,
// see InactivityExpiry). Month arithmetic clamps to the month's last day (29 Feb + 12 months is
// 28 Feb), and a lot stays usable through that whole local day.
std::optional<Instant> LotExpiry(const ExpiryPolicy& policy, Instant earned_at,
                                 const std::string& zone);

// Under kInactivityMonths: when everything expires if the member does nothing after
// `last_activity`.
std::optional<Instant> InactivityExpiry(const ExpiryPolicy& policy, Instant last_activity,
                                        const std::string& zone);

// Start of the local day `days` after the local date of `t` (pending period end).
Instant LocalDayStartAfter(Instant t, int days, const std::string& zone);

}  // namespace loyalty
