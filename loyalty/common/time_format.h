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
// Strict RFC 3339: "YYYY-MM-DDTHH:MM:SS", an optional fraction of 1 to 6 digits (an Instant holds
// microseconds; more digits would be silently dropped), then "Z" or "+HH:MM" / "-HH:MM" (hour
// 00-23, minute 00-59). Upper case 'T' and 'Z' only, no leap second (:60), a real calendar day,
// and a UTC result in years 0000..9999 so that FormatInstant writes it back in the same form.
// nullopt when malformed ("2026-12-06T18:15:00.5+08:00" is 10:15:00.5Z).
std::optional<Instant> ParseInstant(std::string_view text);
// Accepts "YYYY-MM-DD"; nullopt when malformed or not a real calendar day (2026-02-30).
std::optional<date::year_month_day> ParseDate(std::string_view text);
std::string FormatDate(date::year_month_day d);

}  // namespace loyalty
