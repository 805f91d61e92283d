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
// Accepts RFC 3339 date-times with "Z" or a numeric offset and optional fractional seconds
// ("2026-12-06T10:15:00Z", "2026-12-06T18:15:00.5+08:00"); nullopt when malformed.
std::optional<Instant> ParseInstant(std::string_view text);
// Accepts "YYYY-MM-DD"; nullopt when malformed or not a real calendar day (2026-02-30).
std::optional<date::year_month_day> ParseDate(std::string_view text);
std::string FormatDate(date::year_month_day d);

}  // namespace loyalty
