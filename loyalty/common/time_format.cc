// Implementation of the RFC 3339 helpers.
#include "loyalty/common/time_format.h"

#include <sstream>

namespace loyalty {

std::string FormatInstant(Instant t) { return date::format("%FT%TZ", t); }

std::optional<Instant> ParseInstant(std::string_view text) {
  if (text.size() < 20 || text.size() > 40 || text[10] != 'T') return std::nullopt;
  if (!ParseDate(text.substr(0, 10))) return std::nullopt;
  std::string s(text);
  if (s.back() == 'Z') s.replace(s.size() - 1, 1, "+00:00");
  std::istringstream in(s);
  date::sys_time<std::chrono::microseconds> t;
  in >> date::parse("%FT%T%Ez", t);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return std::chrono::time_point_cast<Instant::duration>(t);
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
