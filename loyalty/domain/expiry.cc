// Expiry dates in a zone's calendar.
#include "loyalty/domain/expiry.h"

#include <date/tz.h>

#include "loyalty/common/business_date.h"

namespace loyalty {
namespace {

date::year_month_day AddMonthsClamped(date::year_month_day d, int months) {
  const date::year_month shifted = date::year_month(d.year(), d.month()) + date::months(months);
  const date::day last = date::year_month_day_last(shifted.year(), date::month_day_last(shifted.month())).day();
  return date::year_month_day(shifted.year(), shifted.month(), std::min(d.day(), last));
}

}  // namespace

std::optional<Instant> LotExpiry(const ExpiryPolicy& policy, Instant earned_at,
                                 const std::string& zone) {
  const date::year_month_day earned = BusinessDate(earned_at, zone);
  const int n = policy.months_or_years;
  switch (policy.kind) {
    case ExpiryKind::kNone:
    case ExpiryKind::kInactivityMonths:
      return std::nullopt;
    case ExpiryKind::kRollingMonths:
      // Usable through the same day N months later.
      return StartOfLocalDay(date::sys_days(AddMonthsClamped(earned, n)) + date::days(1), zone);
    case ExpiryKind::kEndOfNthMonth: {
      const date::year_month next = date::year_month(earned.year(), earned.month()) + date::months(n + 1);
      return StartOfLocalDay(next / date::day(1), zone);
    }
    case ExpiryKind::kEndOfYear:
      return StartOfLocalDay(date::year_month_day((earned.year() + date::years(n + 1)) / date::January / 1), zone);
  }
  return std::nullopt;
}

std::optional<Instant> InactivityExpiry(const ExpiryPolicy& policy, Instant last_activity,
                                        const std::string& zone) {
  if (policy.kind != ExpiryKind::kInactivityMonths) return std::nullopt;
  const date::year_month_day last = BusinessDate(last_activity, zone);
  return StartOfLocalDay(date::sys_days(AddMonthsClamped(last, policy.months_or_years)) + date::days(1),
                         zone);
}

Instant LocalDayStartAfter(Instant t, int days, const std::string& zone) {
  const date::year_month_day d = BusinessDate(t, zone);
  return StartOfLocalDay(date::sys_days(d) + date::days(days), zone);
}

}  // namespace loyalty
