// BusinessDate on top of Howard Hinnant's date/tz (system tzdata).
#include "loyalty/common/business_date.h"

#include <date/tz.h>

namespace loyalty {

date::year_month_day BusinessDate(Instant t, const std::string& iana_zone) {
  const auto local = date::make_zoned(iana_zone, t).get_local_time();
  return date::year_month_day{date::floor<date::days>(local)};
}

Instant StartOfLocalDay(date::year_month_day d, const std::string& iana_zone) {
  const auto zoned = date::make_zoned(iana_zone, date::local_days(d), date::choose::earliest);
  return std::chrono::time_point_cast<std::chrono::microseconds>(zoned.get_sys_time());
}

bool IsKnownZone(const std::string& iana_zone) {
  try {
    date::locate_zone(iana_zone);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace loyalty
