// Implementation of the RFC 3339 helpers.
#include "loyalty/common/time_format.h"

#include <sstream>

namespace loyalty {

std::string FormatInstant(Instant t) { return date::format("%FT%TZ", t); }

std::optional<Instant> ParseInstant(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|+HH:MM|-HH:MM), checked by hand: date::parse's %Ez and %T
  // accept offsets like "+8:00" or "+99:99" that RFC 3339 does not.
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto day = ParseDate(text.substr(0, 10));
  if (!day) return std::nullopt;
  auto digits = [&](size_t pos, size_t len) -> std::optional<int> {
    if (pos + len > text.size()) return std::nullopt;
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto hh = digits(11, 2), mm = digits(14, 2), ss = digits(17, 2);
  if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;
  size_t pos = 19;
  int64_t micros = 0;
  if (text[pos] == '.') {
    size_t n = 0;
    while (pos + 1 + n < text.size() && text[pos + 1 + n] >= '0' && text[pos + 1 + n] <= '9') ++n;
    if (n < 1 || n > 6) return std::nullopt;
    micros = *digits(pos + 1, n);
    for (size_t i = n; i < 6; ++i) micros *= 10;
    pos += 1 + n;
  }
  int offset_minutes = 0;
  if (pos + 1 == text.size() && text[pos] == 'Z') {
    offset_minutes = 0;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') &&
             text[pos + 3] == ':') {
    const auto oh = digits(pos + 1, 2), om = digits(pos + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = (*oh * 60 + *om) * (text[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return Instant(date::sys_days(*day)) + std::chrono::hours(*hh) + std::chrono::minutes(*mm) +
         std::chrono::seconds(*ss) + std::chrono::microseconds(micros) -
         std::chrono::minutes(offset_minutes);
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
