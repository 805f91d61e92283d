// Implementation of the RFC 3339 helpers.
#include "loyalty/common/time_format.h"

#include <chrono>

namespace loyalty {

std::string FormatInstant(Instant t) { return date::format("%FT%TZ", t); }

std::optional<Instant> ParseInstant(std::string_view text) {
  size_t pos = 0;
  auto digits = [&](size_t n) -> std::optional<int> {
    if (pos + n > text.size()) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < n; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos += n;
    return value;
  };
  auto literal = [&](char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  const auto year = digits(4);
  if (!year || !literal('-')) return std::nullopt;
  const auto month = digits(2);
  if (!month || !literal('-')) return std::nullopt;
  const auto day = digits(2);
  if (!day || !literal('T')) return std::nullopt;
  const auto hour = digits(2);
  if (!hour || !literal(':')) return std::nullopt;
  const auto minute = digits(2);
  if (!minute || !literal(':')) return std::nullopt;
  const auto second = digits(2);
  if (!second) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  int64_t micros = 0;
  if (literal('.')) {
    int count = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++count > 6) return std::nullopt;
      micros = micros * 10 + (text[pos] - '0');
      ++pos;
    }
    if (count == 0) return std::nullopt;
    for (int i = count; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  if (!literal('Z')) {
    int sign = 0;
    if (literal('+')) {
      sign = 1;
    } else if (literal('-')) {
      sign = -1;
    } else {
      return std::nullopt;
    }
    const auto off_hour = digits(2);
    if (!off_hour || !literal(':')) return std::nullopt;
    const auto off_minute = digits(2);
    if (!off_minute || *off_hour > 23 || *off_minute > 59) return std::nullopt;
    offset_minutes = sign * (*off_hour * 60 + *off_minute);
  }
  if (pos != text.size()) return std::nullopt;
  const date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                 date::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  using std::chrono::hours;
  using std::chrono::microseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  // Local time minus the offset is UTC ("+08:00" is eight hours ahead of UTC).
  const Instant t = Instant{date::sys_days{ymd}} + hours{*hour} + minutes{*minute} +
                    seconds{*second} + microseconds{micros} - minutes{offset_minutes};
  const Instant min = Instant{date::sys_days{date::year{0} / 1 / 1}};
  const Instant end = Instant{date::sys_days{date::year{10000} / 1 / 1}};
  if (t < min || t >= end) return std::nullopt;
  return t;
}

std::optional<date::year_month_day> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  auto number = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  date::year_month_day d{date::year{number(0, 4)}, date::month{unsigned(number(5, 2))},
                         date::day{unsigned(number(8, 2))}};
  if (!d.ok()) return std::nullopt;
  return d;
}

std::string FormatDate(date::year_month_day d) { return date::format("%F", d); }

}  // namespace loyalty
