// Business dates: "today" as a store in a given IANA zone sees it (birthdays, holidays, tiers).
#pragma once

#include <string>

#include <date/date.h>

#include "loyalty/common/clock.h"

namespace loyalty {

// The calendar date of `t` in `iana_zone` (e.g. "Asia/Shanghai"); an unknown zone throws
// std::runtime_error, so zones are validated when stores are configured.
date::year_month_day BusinessDate(Instant t, const std::string& iana_zone);

// Start of local day `d` in `zone`, as a UTC instant. Zones with a DST gap at midnight resolve
// to the first valid instant.
Instant StartOfLocalDay(date::year_month_day d, const std::string& iana_zone);

// Whether the system's time zone database knows `iana_zone`.
bool IsKnownZone(const std::string& iana_zone);

}  // namespace loyalty
