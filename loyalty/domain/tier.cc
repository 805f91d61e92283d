// Tier qualification and review rules.
#include "loyalty/domain/tier.h"

#include <date/tz.h>

#include <algorithm>

#include "loyalty/common/business_date.h"

namespace loyalty {
namespace {

date::year_month_day ClampedDay(date::year y, date::month m, date::day d) {
  const date::day last = date::year_month_day_last(y, date::month_day_last(m)).day();
  return date::year_month_day(y, m, std::min(d, last));
}

}  // namespace

TierWindowRange QualificationWindow(const TierRules& rules, Instant now, Instant enrolled_at,
                                    const std::string& zone) {
  const date::year_month_day today = BusinessDate(now, zone);
  switch (rules.window) {
    case TierWindow::kRolling12Months: {
      // The last 12 months up to and including today.
      const date::year_month_day start =
          ClampedDay(today.year() - date::years(1), today.month(), today.day());
      return {StartOfLocalDay(date::sys_days(start) + date::days(1), zone),
              StartOfLocalDay(date::sys_days(today) + date::days(1), zone)};
    }
    case TierWindow::kCalendarYear:
      return {StartOfLocalDay(today.year() / date::January / 1, zone),
              StartOfLocalDay((today.year() + date::years(1)) / date::January / 1, zone)};
    case TierWindow::kAnniversaryYear: {
      const date::year_month_day enrolled = BusinessDate(enrolled_at, zone);
      date::year_month_day start = ClampedDay(today.year(), enrolled.month(), enrolled.day());
      if (start > today) start = ClampedDay(today.year() - date::years(1), enrolled.month(), enrolled.day());
      const date::year_month_day end =
          ClampedDay(start.year() + date::years(1), enrolled.month(), enrolled.day());
      return {StartOfLocalDay(start, zone), StartOfLocalDay(end, zone)};
    }
  }
  return {now, now};
}

int64_t QualifyingValue(const TierRules& rules, const std::vector<TierActivity>& activities,
                        const TierWindowRange& window) {
  int64_t value = 0;
  for (const TierActivity& a : activities) {
    if (a.at < window.start || a.at >= window.end) continue;
    value += rules.metric == TierMetric::kSpend    ? a.spend_minor
             : rules.metric == TierMetric::kPoints ? a.points
                                                   : a.visits;
  }
  return value;
}

size_t LevelFor(const TierRules& rules, int64_t value) {
  size_t level = 0;
  for (size_t i = 0; i < rules.levels.size(); ++i) {
    if (value >= rules.levels[i].threshold) level = i;
  }
  return level;
}

std::optional<size_t> LevelIndex(const TierRules& rules, const std::string& code) {
  for (size_t i = 0; i < rules.levels.size(); ++i) {
    if (rules.levels[i].code == code) return i;
  }
  return std::nullopt;
}

Instant NextReview(const TierRules& rules, Instant at, const std::string& zone) {
  const date::year_month_day d = BusinessDate(at, zone);
  if (rules.window == TierWindow::kCalendarYear) {
    // Reached this year, held through next year.
    return StartOfLocalDay((d.year() + date::years(2)) / date::January / 1, zone);
  }
  return StartOfLocalDay(
      date::sys_days(ClampedDay(d.year() + date::years(1), d.month(), d.day())) + date::days(1), zone);
}

std::optional<TierChange> Upgrade(const TierRules& rules, TierStatus& status, int64_t value,
                                  Instant now, const std::string& zone) {
  const size_t current = LevelIndex(rules, status.tier).value_or(0);
  const size_t earned = LevelFor(rules, value);
  if (earned <= current && LevelIndex(rules, status.tier)) return std::nullopt;
  TierChange change{status.tier, rules.levels[earned].code, now, "qualified"};
  status.tier = change.to;
  status.since = now;
  status.review_at = earned == 0 ? std::nullopt : std::optional(NextReview(rules, now, zone));
  return change;
}

std::optional<TierChange> AfterReturn(const TierRules& rules, TierStatus& status, int64_t value,
                                      const std::optional<TierChange>& last_change,
                                      Instant window_start, Instant now, const std::string& zone) {
  if (!last_change || last_change->reason != "qualified" || last_change->to != status.tier ||
      status.since < window_start) {
    return std::nullopt;
  }
  const size_t current = LevelIndex(rules, status.tier).value_or(0);
  const size_t floor = LevelIndex(rules, last_change->from).value_or(0);
  const size_t next = std::max(LevelFor(rules, value), floor);
  if (next >= current) return std::nullopt;
  TierChange change{status.tier, rules.levels[next].code, now, "return"};
  status.tier = change.to;
  status.since = now;
  status.review_at = next == 0 ? std::nullopt : std::optional(NextReview(rules, now, zone));
  return change;
}

std::optional<TierChange> Review(const TierRules& rules, TierStatus& status, int64_t value,
                                 Instant now, const std::string& zone) {
  if (!status.review_at) return std::nullopt;
  const Instant effective = *status.review_at + std::chrono::days(rules.grace_days);
  if (now < effective) return std::nullopt;
  const size_t current = LevelIndex(rules, status.tier).value_or(0);
  const size_t earned = LevelFor(rules, value);
  size_t next = current;
  if (earned < current) {
    next = rules.review == TierReview::kDowngradeOneLevel ? current - 1 : earned;
  }
  status.review_at = next == 0 ? std::nullopt : std::optional(NextReview(rules, now, zone));
  if (next == current) return std::nullopt;
  TierChange change{status.tier, rules.levels[next].code, now, "review"};
  status.tier = change.to;
  status.since = now;
  return change;
}

Result<TierChange> AssignTier(const TierRules& rules, TierStatus& status, const std::string& tier,
                              const std::string& reason, Instant now, const std::string& zone) {
  const auto index = LevelIndex(rules, tier);
  if (!index) {
    std::string codes;
    for (const auto& l : rules.levels) codes += (codes.empty() ? "" : ", ") + l.code;
    return InvalidField("tier", "invalid_tier", "tier must be one of: " + codes);
  }
  TierChange change{status.tier, tier, now, "manual: " + reason};
  status.tier = tier;
  status.since = now;
  status.review_at = *index == 0 ? std::nullopt : std::optional(NextReview(rules, now, zone));
  return change;
}

}  // namespace loyalty
