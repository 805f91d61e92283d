// RFC 3339 / ISO-8601 text for instants and dates, the only time formats the API speaks.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "loyalty/common/clock.h"

namespace loyalty {

// "2026-11-23T15:35:25.123456Z"
std::string FormatInstant(Instant t);
// Accepts "YYYY-MM-DD"; nullopt when malformed or not a real calendar day (2026-02-30).
std::optional<date::year_month_day> ParseDate(std::string_view text);
std::string FormatDate(date::year_month_day d);

}  // namespace loyalty
