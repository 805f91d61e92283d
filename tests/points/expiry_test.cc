// Expiry dates in a zone's calendar (domain/expiry.h): each policy, month clamping, the year
// boundary seen from Asia/Shanghai and from UTC, DST zones, inactivity and the pending period.
#include <gtest/gtest.h>

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include "loyalty/common/time_format.h"
#include "loyalty/domain/expiry.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using date::April;
using date::December;
using date::February;
using date::January;
using date::May;
using date::September;
using date::July;
using date::March;
using date::November;
using date::October;

// An instant given as UTC wall time.
Instant Utc(date::year_month_day d, std::chrono::minutes time_of_day = 0min) {
  return Instant(date::sys_days(d) + time_of_day);
}

// An instant given as wall time in `zone` (the times used here all exist and are unambiguous).
Instant Local(date::year_month_day d, std::chrono::minutes time_of_day, const std::string& zone) {
  const auto z = date::make_zoned(zone, date::local_days(d) + time_of_day);
  return std::chrono::time_point_cast<std::chrono::microseconds>(z.get_sys_time());
}

// The wall time of `t` in `zone`, for messages and local-midnight checks.
std::chrono::minutes LocalTimeOfDay(Instant t, const std::string& zone) {
  const auto local = date::make_zoned(zone, t).get_local_time();
  return std::chrono::duration_cast<std::chrono::minutes>(local - date::floor<date::days>(local));
}

struct LotExpiryCase {
  std::string name;
  ExpiryPolicy policy;
  Instant earned_at;
  std::string zone;
  std::optional<Instant> expires_at;
};

std::ostream& operator<<(std::ostream& os, const LotExpiryCase& c) { return os << c.name; }

class LotExpiryTest : public ::testing::TestWithParam<LotExpiryCase> {};

TEST_P(LotExpiryTest, ExpiresAtTheStartOfTheFirstUnusableLocalDay) {
  const LotExpiryCase& c = GetParam();
  const auto got = LotExpiry(c.policy, c.earned_at, c.zone);
  ASSERT_EQ(got.has_value(), c.expires_at.has_value())
      << (got ? FormatInstant(*got) : std::string("nullopt"));
  if (got) {
    EXPECT_EQ(FormatInstant(*got), FormatInstant(*c.expires_at));
    // Whatever the policy, a lot stops being usable at a local midnight.
    EXPECT_EQ(LocalTimeOfDay(*got, c.zone), 0min) << c.zone;
  }
}

const std::string kShanghai = "Asia/Shanghai";
const std::string kUtc = "UTC";
const std::string kBerlin = "Europe/Berlin";

INSTANTIATE_TEST_SUITE_P(
    Table, LotExpiryTest,
    ::testing::Values(
        LotExpiryCase{"none_never_expires", {ExpiryKind::kNone, 0},
                      Local(date::year{2026} / March / 1, 10h, kShanghai), kShanghai, std::nullopt},
        LotExpiryCase{"inactivity_has_no_lot_expiry", {ExpiryKind::kInactivityMonths, 6},
                      Local(date::year{2026} / March / 1, 10h, kShanghai), kShanghai, std::nullopt},
        // 29 Feb + 12 months clamps to 28 Feb, usable through that whole day in Shanghai.
        LotExpiryCase{"rolling_12_from_leap_day", {ExpiryKind::kRollingMonths, 12},
                      Local(date::year{2024} / February / 29, 10h, kShanghai), kShanghai,
                      Utc(date::year{2025} / February / 28, 16h)},
        LotExpiryCase{"rolling_48_from_leap_day_to_leap_day", {ExpiryKind::kRollingMonths, 48},
                      Local(date::year{2024} / February / 29, 10h, kShanghai), kShanghai,
                      Local(date::year{2028} / March / 1, 0h, kShanghai)},
        LotExpiryCase{"rolling_1_from_31_jan_clamps", {ExpiryKind::kRollingMonths, 1},
                      Local(date::year{2026} / January / 31, 9h, kShanghai), kShanghai,
                      Local(date::year{2026} / March / 1, 0h, kShanghai)},
        LotExpiryCase{"rolling_24_default", {ExpiryKind::kRollingMonths, 24},
                      Utc(date::year{2026} / March / 1, 2h), kShanghai, Local(date::year{2028} / March / 2, 0h, kShanghai)},
        // 20:00Z on 31 Dec is 04:00 on 1 Jan in Shanghai: the lot was earned in the new year.
        LotExpiryCase{"rolling_1_earned_new_year_in_shanghai", {ExpiryKind::kRollingMonths, 1},
                      Utc(date::year{2026} / December / 31, 20h), kShanghai,
                      Local(date::year{2027} / February / 2, 0h, kShanghai)},
        LotExpiryCase{"rolling_1_same_instant_in_utc", {ExpiryKind::kRollingMonths, 1},
                      Utc(date::year{2026} / December / 31, 20h), kUtc, Utc(date::year{2027} / February / 1)},
        LotExpiryCase{"end_of_year_0_shanghai_already_next_year", {ExpiryKind::kEndOfYear, 0},
                      Utc(date::year{2026} / December / 31, 20h), kShanghai, Utc(date::year{2027} / December / 31, 16h)},
        LotExpiryCase{"end_of_year_0_utc_still_this_year", {ExpiryKind::kEndOfYear, 0},
                      Utc(date::year{2026} / December / 31, 20h), kUtc, Utc(date::year{2027} / January / 1)},
        LotExpiryCase{"end_of_year_1", {ExpiryKind::kEndOfYear, 1},
                      Local(date::year{2026} / July / 15, 12h, kShanghai), kShanghai,
                      Local(date::year{2028} / January / 1, 0h, kShanghai)},
        LotExpiryCase{"end_of_year_0_first_second_of_year", {ExpiryKind::kEndOfYear, 0},
                      Local(date::year{2027} / January / 1, 0h, kShanghai), kShanghai,
                      Local(date::year{2028} / January / 1, 0h, kShanghai)},
        LotExpiryCase{"end_of_nth_month_0_same_month", {ExpiryKind::kEndOfNthMonth, 0},
                      Local(date::year{2026} / November / 10, 15h, kShanghai), kShanghai,
                      Utc(date::year{2026} / November / 30, 16h)},
        LotExpiryCase{"end_of_nth_month_2_across_year", {ExpiryKind::kEndOfNthMonth, 2},
                      Local(date::year{2026} / November / 10, 15h, kShanghai), kShanghai,
                      Local(date::year{2027} / February / 1, 0h, kShanghai)},
        LotExpiryCase{"end_of_nth_month_1_from_31_dec", {ExpiryKind::kEndOfNthMonth, 1},
                      Local(date::year{2026} / December / 31, 23h + 59min, kShanghai), kShanghai,
                      Local(date::year{2027} / February / 1, 0h, kShanghai)},
        LotExpiryCase{"end_of_nth_month_0_february_leap", {ExpiryKind::kEndOfNthMonth, 0},
                      Local(date::year{2028} / February / 29, 8h, kShanghai), kShanghai,
                      Local(date::year{2028} / March / 1, 0h, kShanghai)},
        // Berlin: earned in winter time (+01:00), expires in summer time (+02:00) and back.
        LotExpiryCase{"rolling_3_berlin_into_summer_time", {ExpiryKind::kRollingMonths, 3},
                      Local(date::year{2026} / January / 15, 12h, kBerlin), kBerlin,
                      Utc(date::year{2026} / April / 15, 22h)},
        LotExpiryCase{"rolling_4_berlin_into_winter_time", {ExpiryKind::kRollingMonths, 4},
                      Local(date::year{2026} / July / 10, 12h, kBerlin), kBerlin,
                      Utc(date::year{2026} / November / 10, 23h)},
        // The last usable day is the day clocks go forward (29 Mar 2026, 02:00 → 03:00).
        LotExpiryCase{"rolling_2_berlin_last_day_is_dst_day", {ExpiryKind::kRollingMonths, 2},
                      Local(date::year{2026} / January / 29, 18h, kBerlin), kBerlin,
                      Utc(date::year{2026} / March / 29, 22h)},
        LotExpiryCase{"end_of_year_0_berlin", {ExpiryKind::kEndOfYear, 0},
                      Local(date::year{2026} / October / 25, 12h, kBerlin), kBerlin,
                      Utc(date::year{2026} / December / 31, 23h)}));

// In a zone whose DST gap was at midnight (Sao Paulo, 4 Nov 2018: 00:00 → 01:00) the local day
// starts at its first valid instant.
TEST(LotExpiry, DayWithoutMidnightStartsAtItsFirstInstant) {
  const std::string zone = "America/Sao_Paulo";
  const auto got = LotExpiry({ExpiryKind::kRollingMonths, 1},
                             Local(date::year{2018} / October / 3, 12h, zone), zone);
  ASSERT_TRUE(got.has_value());
  // 00:00 -03:00 does not exist; 01:00 -02:00 is 03:00Z.
  EXPECT_EQ(FormatInstant(*got), FormatInstant(Utc(date::year{2018} / November / 4, 3h)));
  EXPECT_EQ(LocalTimeOfDay(*got, zone), 1h);
}

TEST(LotExpiry, UsableThroughTheLastLocalDay) {
  const auto expires = LotExpiry({ExpiryKind::kRollingMonths, 12},
                                 Local(date::year{2024} / February / 29, 10h, kShanghai), kShanghai);
  ASSERT_TRUE(expires.has_value());
  // 23:59:59.999999 on 28 Feb 2025 in Shanghai is still before the expiry instant.
  EXPECT_LT(Local(date::year{2025} / February / 28, 23h + 59min, kShanghai) + 59s + 999999us, *expires);
  EXPECT_EQ(Local(date::year{2025} / March / 1, 0h, kShanghai), *expires);
}

TEST(LotExpiry, UnknownZoneThrowsRatherThanGuessing) {
  EXPECT_ANY_THROW(LotExpiry({ExpiryKind::kRollingMonths, 1}, Utc(date::year{2026} / March / 1), "Mars/Olympus"));
}

struct InactivityCase {
  std::string name;
  ExpiryPolicy policy;
  Instant last_activity;
  std::string zone;
  std::optional<Instant> expires_at;
};

std::ostream& operator<<(std::ostream& os, const InactivityCase& c) { return os << c.name; }

class InactivityExpiryTest : public ::testing::TestWithParam<InactivityCase> {};

TEST_P(InactivityExpiryTest, EverythingExpiresAfterTheLastActiveLocalDayPlusNMonths) {
  const InactivityCase& c = GetParam();
  const auto got = InactivityExpiry(c.policy, c.last_activity, c.zone);
  ASSERT_EQ(got.has_value(), c.expires_at.has_value());
  if (got) {
    EXPECT_EQ(FormatInstant(*got), FormatInstant(*c.expires_at));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, InactivityExpiryTest,
    ::testing::Values(
        InactivityCase{"not_inactivity_policy_none", {ExpiryKind::kNone, 0},
                       Utc(date::year{2026} / March / 1), kShanghai, std::nullopt},
        InactivityCase{"not_inactivity_policy_rolling", {ExpiryKind::kRollingMonths, 6},
                       Utc(date::year{2026} / March / 1), kShanghai, std::nullopt},
        InactivityCase{"six_months", {ExpiryKind::kInactivityMonths, 6},
                       Local(date::year{2026} / March / 15, 10h, kShanghai), kShanghai,
                       Local(date::year{2026} / September / 16, 0h, kShanghai)},
        InactivityCase{"clamps_31_aug_to_28_feb", {ExpiryKind::kInactivityMonths, 6},
                       Local(date::year{2026} / date::August / 31, 10h, kShanghai), kShanghai,
                       Local(date::year{2027} / March / 1, 0h, kShanghai)},
        InactivityCase{"late_evening_utc_is_next_day_in_shanghai", {ExpiryKind::kInactivityMonths, 1},
                       Utc(date::year{2026} / March / 31, 18h), kShanghai, Local(date::year{2026} / May / 2, 0h, kShanghai)},
        InactivityCase{"same_instant_in_utc", {ExpiryKind::kInactivityMonths, 1},
                       Utc(date::year{2026} / March / 31, 18h), kUtc, Utc(date::year{2026} / May / 1)}));

struct DayStartCase {
  std::string name;
  Instant t;
  int days;
  std::string zone;
  Instant expected;
};

std::ostream& operator<<(std::ostream& os, const DayStartCase& c) { return os << c.name; }

class LocalDayStartAfterTest : public ::testing::TestWithParam<DayStartCase> {};

TEST_P(LocalDayStartAfterTest, StartsTheLocalDayNDaysLater) {
  const DayStartCase& c = GetParam();
  EXPECT_EQ(FormatInstant(LocalDayStartAfter(c.t, c.days, c.zone)), FormatInstant(c.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Table, LocalDayStartAfterTest,
    ::testing::Values(
        DayStartCase{"thirty_days_shanghai", Utc(date::year{2026} / March / 1, 2h), 30, kShanghai,
                     Utc(date::year{2026} / March / 30, 16h)},
        // 17:00Z on 1 Mar is already 2 Mar 01:00 in Shanghai.
        DayStartCase{"thirty_days_after_utc_evening_shanghai", Utc(date::year{2026} / March / 1, 17h), 30,
                     kShanghai, Utc(date::year{2026} / March / 31, 16h)},
        DayStartCase{"thirty_days_after_utc_evening_utc", Utc(date::year{2026} / March / 1, 17h), 30, kUtc,
                     Utc(date::year{2026} / March / 31)},
        DayStartCase{"zero_days_is_start_of_today", Utc(date::year{2026} / March / 1, 2h), 0, kShanghai,
                     Utc(date::year{2026} / February / 28, 16h)},
        DayStartCase{"across_leap_day", Local(date::year{2028} / February / 28, 9h, kShanghai), 1, kShanghai,
                     Local(date::year{2028} / February / 29, 0h, kShanghai)},
        DayStartCase{"across_year", Local(date::year{2026} / December / 31, 23h, kShanghai), 1, kShanghai,
                     Local(date::year{2027} / January / 1, 0h, kShanghai)},
        // 30 days across the spring-forward: the day is 23 hours long but starts at midnight.
        DayStartCase{"across_dst_berlin", Local(date::year{2026} / March / 15, 12h, kBerlin), 30, kBerlin,
                     Utc(date::year{2026} / April / 13, 22h)}));

}  // namespace
}  // namespace loyalty
