// Issued coupons through their life and the limit counters of a redemption
// (loyalty/domain/coupon_lifecycle.*): wallet state at an instant for every stored status, who may
// reserve, the counter takes a redemption needs, how caps are spread over buckets, the stable
// home bucket of a code, and period keys (ISO 8601 weeks at year edges). Also the validation of
// the definition's limits, budget and points cost (loyalty/domain/coupon.*).
#include "loyalty/domain/coupon_lifecycle.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "loyalty/domain/coupon.h"

namespace loyalty {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;

const Instant kValidUntil = Instant{date::sys_days{date::year{2026} / 3 / 1}};
const Instant kBefore = kValidUntil - hours(1);
const Instant kAfter = kValidUntil + hours(1);

date::year_month_day Ymd(int y, unsigned m, unsigned d) {
  return date::year_month_day{date::year{y}, date::month{m}, date::day{d}};
}

IssuedCoupon Coupon(CouponStatus status, std::optional<Instant> valid_until = kValidUntil) {
  IssuedCoupon c;
  c.instance.code = "K7M2-9XQ4-PT3H";
  c.instance.definition_id = "def-1";
  c.instance.issued_at = kValidUntil - days(30);
  c.instance.valid_until = valid_until;
  c.status = status;
  return c;
}

// Reserved by `reservation` until `until`.
IssuedCoupon Reserved(Instant until, std::string reservation = "Q1",
                      std::optional<Instant> valid_until = kValidUntil) {
  IssuedCoupon c = Coupon(CouponStatus::kReserved, valid_until);
  c.reservation_id = std::move(reservation);
  c.reserved_until = until;
  return c;
}

CouponDefinition Def() {
  CouponDefinition d;
  d.id = "def-1";
  d.name_zh = "满100减10";
  d.name_en = "10 off 100";
  d.kind = CouponKind::kFixedAmount;
  d.amount_minor = 1000;
  return d;
}

// ---- Names ----------------------------------------------------------------------------------

TEST(CouponStatusTest, NamesRoundTrip) {
  for (CouponStatus s : {CouponStatus::kIssued, CouponStatus::kReserved, CouponStatus::kRedeemed,
                         CouponStatus::kRevoked}) {
    EXPECT_EQ(ParseCouponStatus(CouponStatusName(s)), s);
  }
  EXPECT_STREQ(CouponStatusName(CouponStatus::kRedeemed), "redeemed");
  EXPECT_EQ(ParseCouponStatus("used"), std::nullopt);
  EXPECT_EQ(ParseCouponStatus(""), std::nullopt);
  EXPECT_EQ(ParseCouponStatus("Issued"), std::nullopt);
}

TEST(CouponWalletStateTest, Names) {
  EXPECT_STREQ(WalletStateName(CouponWalletState::kAvailable), "available");
  EXPECT_STREQ(WalletStateName(CouponWalletState::kReserved), "reserved");
  EXPECT_STREQ(WalletStateName(CouponWalletState::kUsed), "used");
  EXPECT_STREQ(WalletStateName(CouponWalletState::kExpired), "expired");
  EXPECT_STREQ(WalletStateName(CouponWalletState::kRevoked), "revoked");
}

// ---- WalletState ----------------------------------------------------------------------------

TEST(WalletStateTest, IssuedIsAvailableUntilValidUntilThenExpired) {
  const IssuedCoupon c = Coupon(CouponStatus::kIssued);
  EXPECT_EQ(WalletState(c, kBefore), CouponWalletState::kAvailable);
  EXPECT_EQ(WalletState(c, kValidUntil - microseconds(1)), CouponWalletState::kAvailable);
  EXPECT_EQ(WalletState(c, kValidUntil), CouponWalletState::kExpired);  // exclusive end
  EXPECT_EQ(WalletState(c, kAfter), CouponWalletState::kExpired);
}

TEST(WalletStateTest, WithoutValidUntilNeverExpires) {
  const IssuedCoupon c = Coupon(CouponStatus::kIssued, std::nullopt);
  EXPECT_EQ(WalletState(c, kAfter + days(365 * 50)), CouponWalletState::kAvailable);
}

TEST(WalletStateTest, ReservedWhileTheReservationRunsThenAvailableAgain) {
  const Instant until = kBefore - hours(1);
  const IssuedCoupon c = Reserved(until);
  EXPECT_EQ(WalletState(c, until - hours(1)), CouponWalletState::kReserved);
  EXPECT_EQ(WalletState(c, until - microseconds(1)), CouponWalletState::kReserved);
  EXPECT_EQ(WalletState(c, until), CouponWalletState::kAvailable);  // reservation has ended
  EXPECT_EQ(WalletState(c, kBefore), CouponWalletState::kAvailable);
}

TEST(WalletStateTest, ReservedPastValidUntilIsExpired) {
  // The reservation still runs, but the coupon itself is past its end.
  const IssuedCoupon running = Reserved(kAfter + hours(1));
  EXPECT_EQ(WalletState(running, kBefore), CouponWalletState::kReserved);
  EXPECT_EQ(WalletState(running, kAfter), CouponWalletState::kExpired);
  // The reservation has ended as well.
  const IssuedCoupon ended = Reserved(kBefore);
  EXPECT_EQ(WalletState(ended, kAfter), CouponWalletState::kExpired);
}

TEST(WalletStateTest, RedeemedIsUsedBeforeAndAfterValidUntil) {
  IssuedCoupon c = Coupon(CouponStatus::kRedeemed);
  c.redeemed_txn = "S1/T1/42";
  c.redeemed_at = kBefore - hours(2);
  EXPECT_EQ(WalletState(c, kBefore), CouponWalletState::kUsed);
  EXPECT_EQ(WalletState(c, kAfter), CouponWalletState::kUsed);  // a used coupon stays used
  EXPECT_EQ(WalletState(c, kAfter + days(3650)), CouponWalletState::kUsed);
  // A leftover reservation does not matter once redeemed.
  c.reservation_id = "Q1";
  c.reserved_until = kAfter + hours(5);
  EXPECT_EQ(WalletState(c, kBefore), CouponWalletState::kUsed);
  EXPECT_EQ(WalletState(c, kAfter), CouponWalletState::kUsed);
}

TEST(WalletStateTest, RevokedIsRevokedBeforeAndAfterValidUntil) {
  IssuedCoupon c = Coupon(CouponStatus::kRevoked);
  c.revoked_at = kBefore - hours(2);
  c.revoke_reason = "fraud";
  EXPECT_EQ(WalletState(c, kBefore), CouponWalletState::kRevoked);
  EXPECT_EQ(WalletState(c, kAfter), CouponWalletState::kRevoked);
  c.reservation_id = "Q1";
  c.reserved_until = kAfter + hours(5);
  EXPECT_EQ(WalletState(c, kBefore), CouponWalletState::kRevoked);
}

// Every stored status × before/after valid_until × reservation running or ended.
TEST(WalletStateTest, Matrix) {
  struct Case {
    CouponStatus status;
    bool after_valid_until;
    bool reservation_ended;
    CouponWalletState want;
  };
  using S = CouponStatus;
  using W = CouponWalletState;
  const std::vector<Case> cases = {
      {S::kIssued, false, false, W::kAvailable},  {S::kIssued, false, true, W::kAvailable},
      {S::kIssued, true, false, W::kExpired},     {S::kIssued, true, true, W::kExpired},
      {S::kReserved, false, false, W::kReserved}, {S::kReserved, false, true, W::kAvailable},
      {S::kReserved, true, false, W::kExpired},   {S::kReserved, true, true, W::kExpired},
      {S::kRedeemed, false, false, W::kUsed},     {S::kRedeemed, false, true, W::kUsed},
      {S::kRedeemed, true, false, W::kUsed},      {S::kRedeemed, true, true, W::kUsed},
      {S::kRevoked, false, false, W::kRevoked},   {S::kRevoked, false, true, W::kRevoked},
      {S::kRevoked, true, false, W::kRevoked},    {S::kRevoked, true, true, W::kRevoked},
  };
  for (const Case &k : cases) {
    const Instant now = k.after_valid_until ? kAfter : kBefore;
    IssuedCoupon c = Coupon(k.status);
    c.reservation_id = "Q1";
    c.reserved_until = k.reservation_ended ? now - hours(1) : now + hours(1);
    EXPECT_EQ(WalletState(c, now), k.want)
        << CouponStatusName(k.status) << (k.after_valid_until ? " after" : " before")
        << (k.reservation_ended ? " ended" : " running") << " got "
        << WalletStateName(WalletState(c, now));
  }
}

// ---- Reservable -----------------------------------------------------------------------------

TEST(ReservableTest, AvailableCouponMayBeReservedByAnyone) {
  const IssuedCoupon c = Coupon(CouponStatus::kIssued);
  EXPECT_TRUE(Reservable(c, "Q1", kBefore));
  EXPECT_TRUE(Reservable(c, "Q2", kBefore));
}

TEST(ReservableTest, SameReservationReReservesOthersWaitUntilReservedUntil) {
  const Instant until = kBefore - hours(2);
  const IssuedCoupon c = Reserved(until, "Q1");
  EXPECT_TRUE(Reservable(c, "Q1", until - hours(1)));  // a re-quote of the same basket
  EXPECT_FALSE(Reservable(c, "Q2", until - hours(1)));
  EXPECT_FALSE(Reservable(c, "", until - hours(1)));
  EXPECT_FALSE(Reservable(c, "Q2", until - microseconds(1)));
  EXPECT_TRUE(Reservable(c, "Q2", until));  // the reservation has ended
  EXPECT_TRUE(Reservable(c, "Q1", until));
  EXPECT_TRUE(Reservable(c, "Q2", until + hours(1)));
}

TEST(ReservableTest, ExpiredUsedAndRevokedNever) {
  // Expired, whether issued or (still) reserved by the same quote.
  EXPECT_FALSE(Reservable(Coupon(CouponStatus::kIssued), "Q1", kAfter));
  EXPECT_FALSE(Reservable(Coupon(CouponStatus::kIssued), "Q1", kValidUntil));
  EXPECT_FALSE(Reservable(Reserved(kAfter + hours(1), "Q1"), "Q1", kAfter));
  for (CouponStatus s : {CouponStatus::kRedeemed, CouponStatus::kRevoked}) {
    IssuedCoupon c = Coupon(s);
    c.reservation_id = "Q1";
    c.reserved_until = kBefore + hours(1);
    for (Instant now : {kBefore, kAfter}) {
      EXPECT_FALSE(Reservable(c, "Q1", now)) << CouponStatusName(s);
      EXPECT_FALSE(Reservable(c, "Q2", now)) << CouponStatusName(s);
    }
  }
}

// ---- CouponCounterTakes ---------------------------------------------------------------------

const date::year_month_day kBusinessDate = Ymd(2026, 11, 23);

TEST(CouponCounterTakesTest, NoLimitsNoTakes) {
  CouponDefinition d = Def();
  EXPECT_TRUE(CouponCounterTakes(d, "S1", kBusinessDate, 1000).empty());
  // Per-member limits are the member's rows, not counters here.
  d.limits.per_member = 3;
  EXPECT_TRUE(CouponCounterTakes(d, "S1", kBusinessDate, 1000).empty());
}

TEST(CouponCounterTakesTest, Total) {
  CouponDefinition d = Def();
  d.limits.total = 1000;
  const auto takes = CouponCounterTakes(d, "S1", kBusinessDate, 500);
  ASSERT_EQ(takes.size(), 1u);
  EXPECT_EQ(takes[0].scope, "total");
  EXPECT_EQ(takes[0].cap, 1000);
  EXPECT_EQ(takes[0].buckets, kCouponCounterBuckets);
  EXPECT_EQ(takes[0].amount, 1);
}

TEST(CouponCounterTakesTest, BudgetTakesTheDiscountAndIsSkippedWhenNothingIsOff) {
  CouponDefinition d = Def();
  d.budget_minor = 1'000'000;
  const auto takes = CouponCounterTakes(d, "S1", kBusinessDate, 1234);
  ASSERT_EQ(takes.size(), 1u);
  EXPECT_EQ(takes[0].scope, "budget");
  EXPECT_EQ(takes[0].cap, 1'000'000);
  EXPECT_EQ(takes[0].buckets, 16);
  EXPECT_EQ(takes[0].amount, 1234);
  EXPECT_TRUE(CouponCounterTakes(d, "S1", kBusinessDate, 0).empty());  // e.g. points multiplier
}

TEST(CouponCounterTakesTest, PerStoreScopeNamesTheStore) {
  CouponDefinition d = Def();
  d.limits.per_store = 50;
  auto takes = CouponCounterTakes(d, "S1", kBusinessDate, 100);
  ASSERT_EQ(takes.size(), 1u);
  EXPECT_EQ(takes[0].scope, "store:S1");
  EXPECT_EQ(takes[0].cap, 50);
  EXPECT_EQ(takes[0].amount, 1);
  takes = CouponCounterTakes(d, "SH-0042", kBusinessDate, 100);
  ASSERT_EQ(takes.size(), 1u);
  EXPECT_EQ(takes[0].scope, "store:SH-0042");
}

TEST(CouponCounterTakesTest, PerPeriodScopeUsesThePeriodKeyOfTheBusinessDate) {
  struct Case {
    CouponPeriod period;
    std::string scope;
  };
  for (const Case &c : {Case{CouponPeriod::kDay, "period:day:2026-11-23"},
                        Case{CouponPeriod::kWeek, "period:week:2026-W48"},
                        Case{CouponPeriod::kMonth, "period:month:2026-11"}}) {
    CouponDefinition d = Def();
    d.limits.per_period = 200;
    d.limits.period = c.period;
    const auto takes = CouponCounterTakes(d, "S1", kBusinessDate, 100);
    ASSERT_EQ(takes.size(), 1u) << c.scope;
    EXPECT_EQ(takes[0].scope, c.scope);
    EXPECT_EQ(takes[0].cap, 200);
    EXPECT_EQ(takes[0].amount, 1);
  }
}

TEST(CouponCounterTakesTest, EveryLimitTogether) {
  CouponDefinition d = Def();
  d.limits = CouponLimits{10000, 2, 300, 40, CouponPeriod::kMonth};
  d.budget_minor = 5'000'000;
  const auto takes = CouponCounterTakes(d, "S9", Ymd(2027, 1, 1), 800);
  ASSERT_EQ(takes.size(), 4u);
  std::vector<std::string> scopes;
  for (const auto &t : takes) scopes.push_back(t.scope);
  EXPECT_EQ(scopes,
            (std::vector<std::string>{"total", "budget", "store:S9", "period:month:2027-01"}));
  EXPECT_EQ(takes[1].amount, 800);
  for (const auto &t : takes) EXPECT_EQ(t.buckets, 16) << t.scope;
}

TEST(CouponCounterTakesTest, BucketsAreTheCapWhenBelowSixteen) {
  for (int64_t cap : {1, 2, 5, 15, 16, 17, 1000, 1'000'000'000}) {
    CouponDefinition d = Def();
    d.limits.total = cap;
    d.limits.per_store = cap;
    d.limits.per_period = cap;
    d.budget_minor = cap;
    const auto takes = CouponCounterTakes(d, "S1", kBusinessDate, 1);
    ASSERT_EQ(takes.size(), 4u);
    for (const auto &t : takes) {
      EXPECT_EQ(t.buckets, cap < 16 ? static_cast<int>(cap) : 16) << t.scope << " cap " << cap;
      EXPECT_EQ(t.cap, cap);
    }
  }
}

// ---- BucketCap ------------------------------------------------------------------------------

CounterTake Take(int64_t cap) {
  return CounterTake{"total", cap, static_cast<int>(std::min<int64_t>(kCouponCounterBuckets, cap)),
                     1};
}

TEST(BucketCapTest, SharesAddUpToTheCapExactly) {
  for (int64_t cap : {int64_t{1}, int64_t{5}, int64_t{16}, int64_t{17}, int64_t{1000003},
                      int64_t{1'000'000'000}, int64_t{1'000'000'000'000}}) {
    const CounterTake t = Take(cap);
    int64_t sum = 0;
    for (int b = 0; b < t.buckets; ++b) {
      EXPECT_GE(BucketCap(t, b), 1) << "cap " << cap << " bucket " << b;
      sum += BucketCap(t, b);
    }
    EXPECT_EQ(sum, cap);
  }
}

TEST(BucketCapTest, TheFirstCapModBucketsAreOneLarger) {
  // 17 over 16 buckets: bucket 0 holds 2, the rest 1.
  const CounterTake t17 = Take(17);
  ASSERT_EQ(t17.buckets, 16);
  EXPECT_EQ(BucketCap(t17, 0), 2);
  for (int b = 1; b < 16; ++b) EXPECT_EQ(BucketCap(t17, b), 1) << b;
  // 1000003 = 16 * 62500 + 3.
  const CounterTake t = Take(1000003);
  for (int b = 0; b < 16; ++b) EXPECT_EQ(BucketCap(t, b), b < 3 ? 62501 : 62500) << b;
  // Caps below 16 have one per bucket.
  const CounterTake t5 = Take(5);
  ASSERT_EQ(t5.buckets, 5);
  for (int b = 0; b < 5; ++b) EXPECT_EQ(BucketCap(t5, b), 1) << b;
  const CounterTake t1 = Take(1);
  ASSERT_EQ(t1.buckets, 1);
  EXPECT_EQ(BucketCap(t1, 0), 1);
  // An even split.
  const CounterTake t32 = Take(32);
  for (int b = 0; b < 16; ++b) EXPECT_EQ(BucketCap(t32, b), 2) << b;
}

// ---- HomeBucket -----------------------------------------------------------------------------

TEST(HomeBucketTest, IsFnv1a32SoItNeverChangesBetweenBuilds) {
  // FNV-1a 32-bit, from its published test vectors: "" = 0x811c9dc5, "a" = 0xe40c292c,
  // "foobar" = 0xbf9cf968. Worked out by hand for the code below: 0x0801e4d1.
  EXPECT_EQ(HomeBucket("", 16), 0x811c9dc5u % 16);  // 5
  EXPECT_EQ(HomeBucket("a", 16), 12);               // 0xe40c292c % 16
  EXPECT_EQ(HomeBucket("a", 5), 0);                 // 3826002220 % 5
  EXPECT_EQ(HomeBucket("foobar", 16), 8);           // 0xbf9cf968 % 16
  EXPECT_EQ(HomeBucket("K7M2-9XQ4-PT3H", 16), 1);   // 0x0801e4d1 % 16
  EXPECT_EQ(HomeBucket("K7M2-9XQ4-PT3H", 5), 1);    // 134335697 % 5
  // Bytes, not characters: UTF-8 "满减" hashes to 0x585916be.
  EXPECT_EQ(HomeBucket("满减", 16), 14);
  EXPECT_EQ(HomeBucket("满减", 5), 4);
}

TEST(HomeBucketTest, AlwaysInRange) {
  for (int buckets : {1, 2, 3, 5, 16}) {
    for (int i = 0; i < 2000; ++i) {
      const int b = HomeBucket("CODE-" + std::to_string(i), buckets);
      EXPECT_GE(b, 0);
      EXPECT_LT(b, buckets);
    }
  }
  EXPECT_EQ(HomeBucket("anything", 1), 0);
  EXPECT_EQ(HomeBucket("anything", 0), 0);  // no buckets: treated as one
}

TEST(HomeBucketTest, SpreadsCodesOverTheBuckets) {
  std::vector<int> counts(16, 0);
  for (int i = 0; i < 16000; ++i)
    ++counts[static_cast<size_t>(HomeBucket("C" + std::to_string(i), 16))];
  for (int b = 0; b < 16; ++b) {
    EXPECT_GT(counts[static_cast<size_t>(b)], 700) << b;
    EXPECT_LT(counts[static_cast<size_t>(b)], 1300) << b;
  }
}

// ---- CouponPeriodKey ------------------------------------------------------------------------

TEST(CouponPeriodKeyTest, DayAndMonth) {
  EXPECT_EQ(CouponPeriodKey(CouponPeriod::kDay, Ymd(2026, 11, 23)), "day:2026-11-23");
  EXPECT_EQ(CouponPeriodKey(CouponPeriod::kDay, Ymd(2026, 1, 5)), "day:2026-01-05");
  EXPECT_EQ(CouponPeriodKey(CouponPeriod::kDay, Ymd(2024, 2, 29)), "day:2024-02-29");
  EXPECT_EQ(CouponPeriodKey(CouponPeriod::kMonth, Ymd(2026, 11, 23)), "month:2026-11");
  EXPECT_EQ(CouponPeriodKey(CouponPeriod::kMonth, Ymd(2027, 1, 1)), "month:2027-01");
  EXPECT_EQ(CouponPeriodKey(CouponPeriod::kMonth, Ymd(2026, 12, 31)), "month:2026-12");
}

TEST(CouponPeriodKeyTest, IsoWeekEdgeCases) {
  struct Case {
    date::year_month_day day;
    const char *key;
  };
  const std::vector<Case> cases = {
      {Ymd(2026, 11, 23), "week:2026-W48"},  // Monday
      {Ymd(2026, 1, 1), "week:2026-W01"},    // Thursday: the year's first week
      {Ymd(2025, 12, 29), "week:2026-W01"},  // Monday of that week, still in 2025
      {Ymd(2026, 12, 28), "week:2026-W53"},  // 2026 has 53 weeks
      {Ymd(2026, 12, 31), "week:2026-W53"},
      {Ymd(2027, 1, 1), "week:2026-W53"},    // Friday: belongs to the last week of 2026
      {Ymd(2027, 1, 3), "week:2026-W53"},    // Sunday
      {Ymd(2027, 1, 4), "week:2027-W01"},    // Monday
      {Ymd(2024, 12, 29), "week:2024-W52"},  // Sunday
      {Ymd(2024, 12, 30), "week:2025-W01"},  // Monday: belongs to 2025
      {Ymd(2020, 12, 31), "week:2020-W53"},
      {Ymd(2021, 1, 3), "week:2020-W53"},  // Sunday
      {Ymd(2021, 1, 4), "week:2021-W01"},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(CouponPeriodKey(CouponPeriod::kWeek, c.day), c.key)
        << date::sys_days{c.day}.time_since_epoch().count();
  }
}

// Every day from 1999 to 2041 against a second way of finding the ISO week: week 1 starts on the
// Monday of the week holding 4 January.
TEST(CouponPeriodKeyTest, IsoWeekMatchesTheFourthOfJanuaryRule) {
  auto week_one_monday = [](int y) {
    const date::sys_days jan4{date::year{y} / 1 / 4};
    return jan4 - (date::weekday{jan4} - date::Monday);
  };
  for (date::sys_days d{date::year{1999} / 1 / 1}; d < date::sys_days{date::year{2042} / 1 / 1};
       d += days(1)) {
    int y = static_cast<int>(date::year_month_day{d}.year());
    if (d < week_one_monday(y)) {
      --y;
    } else if (d >= week_one_monday(y + 1)) {
      ++y;
    }
    const int week = static_cast<int>((d - week_one_monday(y)).count() / 7) + 1;
    char want[32];
    std::snprintf(want, sizeof want, "week:%04d-W%02d", y, week);
    ASSERT_EQ(CouponPeriodKey(CouponPeriod::kWeek, date::year_month_day{d}), want)
        << date::year_month_day{d};
  }
}

// ---- Definition limits, budget and points cost ----------------------------------------------

TEST(CouponDefinitionLimitsTest, InRangeValuesPass) {
  CouponDefinition d = Def();
  d.limits =
      CouponLimits{1'000'000'000, 1'000'000'000, 1'000'000'000, 1'000'000'000, CouponPeriod::kWeek};
  d.budget_minor = kCouponMaxMinor;
  d.points_cost = 100'000'000;
  EXPECT_TRUE(ValidateCouponDefinition(d).has_value());
  d.limits = CouponLimits{};
  d.budget_minor = 0;
  d.points_cost = 0;
  EXPECT_TRUE(ValidateCouponDefinition(d).has_value());
}

TEST(CouponDefinitionLimitsTest, OutOfRangeNamesTheField) {
  struct Case {
    CouponDefinition def;
    std::string field;
  };
  std::vector<Case> cases;
  for (int64_t bad : {int64_t{-1}, int64_t{1'000'000'001}, std::numeric_limits<int64_t>::min()}) {
    CouponDefinition total = Def();
    total.limits.total = bad;
    cases.push_back({total, "limits.total"});
    CouponDefinition member = Def();
    member.limits.per_member = bad;
    cases.push_back({member, "limits.per_member"});
    CouponDefinition store = Def();
    store.limits.per_store = bad;
    cases.push_back({store, "limits.per_store"});
    CouponDefinition period = Def();
    period.limits.per_period = bad;
    cases.push_back({period, "limits.per_period"});
  }
  CouponDefinition budget = Def();
  budget.budget_minor = -1;
  cases.push_back({budget, "budget_minor"});
  CouponDefinition budget_big = Def();
  budget_big.budget_minor = kCouponMaxMinor + 1;
  cases.push_back({budget_big, "budget_minor"});
  CouponDefinition cost = Def();
  cost.points_cost = -1;
  cases.push_back({cost, "points_cost"});
  CouponDefinition cost_big = Def();
  cost_big.points_cost = 100'000'001;
  cases.push_back({cost_big, "points_cost"});
  for (const Case &c : cases) {
    const auto s = ValidateCouponDefinition(c.def);
    ASSERT_FALSE(s.has_value()) << c.field;
    EXPECT_EQ(s.error().code, Code::kInvalidArgument);
    EXPECT_EQ(s.error().slug, "invalid_coupon_definition");
    ASSERT_NE(s.error().Detail("field"), nullptr) << c.field;
    EXPECT_EQ(*s.error().Detail("field"), c.field);
    EXPECT_EQ(s.error().message.rfind(c.field, 0), 0u) << s.error().message;
  }
}

}  // namespace
}  // namespace loyalty
