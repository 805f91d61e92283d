// Tier rules (domain/tier.h): qualification windows in the chain's zone (rolling, calendar,
// anniversary incl. 29 February), qualifying values at the window edges, upgrades, reviews with
// grace, and manual assignment.
#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "loyalty/common/time_format.h"
#include "loyalty/domain/program.h"
#include "loyalty/domain/tier.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using namespace date::literals;
using date::December;
using date::February;
using date::January;
using date::June;
using date::March;
using date::November;

constexpr char kShanghai[] = "Asia/Shanghai";

Instant Utc(date::year_month_day d, std::chrono::microseconds time_of_day = 0us) {
  return Instant(date::sys_days(d) + time_of_day);
}

// Wall time in Shanghai (UTC+8 all year).
Instant Sh(date::year_month_day d, std::chrono::microseconds time_of_day = 0us) {
  return Instant(date::sys_days(d) + time_of_day - 8h);
}

std::string Show(Instant t) { return FormatInstant(t); }

TierRules Rules(TierWindow window = TierWindow::kRolling12Months,
                TierMetric metric = TierMetric::kSpend,
                TierReview review = TierReview::kDowngradeOneLevel) {
  TierRules r = DefaultProgram().tiers;
  r.window = window;
  r.metric = metric;
  r.review = review;
  return r;
}

void ExpectWindow(const TierWindowRange& w, Instant start, Instant end) {
  EXPECT_EQ(Show(w.start), Show(start));
  EXPECT_EQ(Show(w.end), Show(end));
}

// ---------------------------------------------------------------------------------------------
// Qualification windows.

const Instant kEnrolled = Utc(2025_y / March / 9, 17h);  // 2025-03-10 01:00 in Shanghai

TEST(QualificationWindowTest, RollingIsTheLastTwelveMonthsUpToTheEndOfTodayLocal) {
  // 2026-11-24 16:30 in Shanghai: 2025-11-25 00:00 up to 2026-11-25 00:00 local.
  ExpectWindow(
      QualificationWindow(Rules(), Utc(2026_y / November / 24, 8h + 30min), kEnrolled, kShanghai),
      Sh(2025_y / November / 25), Sh(2026_y / November / 25));
  // 2026-11-24T16:30Z is already the 25th in Shanghai.
  ExpectWindow(
      QualificationWindow(Rules(), Utc(2026_y / November / 24, 16h + 30min), kEnrolled, kShanghai),
      Sh(2025_y / November / 26), Sh(2026_y / November / 26));
  // The same instant seen from UTC.
  ExpectWindow(
      QualificationWindow(Rules(), Utc(2026_y / November / 24, 16h + 30min), kEnrolled, "UTC"),
      Utc(2025_y / November / 25), Utc(2026_y / November / 25));
}

TEST(QualificationWindowTest, RollingOnTwentyNinthFebruary) {
  // A year before 2028-02-29 is clamped to 2027-02-28; the window starts the day after.
  ExpectWindow(QualificationWindow(Rules(), Sh(2028_y / February / 29, 12h), kEnrolled, kShanghai),
               Sh(2027_y / March / 1), Sh(2028_y / March / 1));
  // A year before 2029-02-28 is 2028-02-28, so the leap day itself is inside (366 days).
  ExpectWindow(QualificationWindow(Rules(), Sh(2029_y / February / 28, 12h), kEnrolled, kShanghai),
               Sh(2028_y / February / 29), Sh(2029_y / March / 1));
  ExpectWindow(QualificationWindow(Rules(), Sh(2029_y / March / 1, 12h), kEnrolled, kShanghai),
               Sh(2028_y / March / 2), Sh(2029_y / March / 2));
}

TEST(QualificationWindowTest, CalendarYearIsTheLocalYear) {
  const TierRules rules = Rules(TierWindow::kCalendarYear);
  ExpectWindow(QualificationWindow(rules, Utc(2026_y / November / 24, 8h), kEnrolled, kShanghai),
               Sh(2026_y / January / 1), Sh(2027_y / January / 1));
  // 2026-12-31T16:30Z is 2027-01-01 00:30 in Shanghai.
  ExpectWindow(
      QualificationWindow(rules, Utc(2026_y / December / 31, 16h + 30min), kEnrolled, kShanghai),
      Sh(2027_y / January / 1), Sh(2028_y / January / 1));
  ExpectWindow(
      QualificationWindow(rules, Utc(2026_y / December / 31, 16h - 1us), kEnrolled, kShanghai),
      Sh(2026_y / January / 1), Sh(2027_y / January / 1));
}

TEST(QualificationWindowTest, AnniversaryYearTurnsOnTheLocalEnrolmentDay) {
  const TierRules rules = Rules(TierWindow::kAnniversaryYear);
  // Enrolled 2025-03-10 01:00 Shanghai (2025-03-09 UTC): the member year starts on 10 March.
  ExpectWindow(QualificationWindow(rules, kEnrolled, kEnrolled, kShanghai), Sh(2025_y / March / 10),
               Sh(2026_y / March / 10));
  ExpectWindow(QualificationWindow(rules, Sh(2026_y / March / 9, 24h - 1us), kEnrolled, kShanghai),
               Sh(2025_y / March / 10), Sh(2026_y / March / 10));
  ExpectWindow(QualificationWindow(rules, Sh(2026_y / March / 10), kEnrolled, kShanghai),
               Sh(2026_y / March / 10), Sh(2027_y / March / 10));
  ExpectWindow(QualificationWindow(rules, Sh(2026_y / November / 24), kEnrolled, kShanghai),
               Sh(2026_y / March / 10), Sh(2027_y / March / 10));
  ExpectWindow(QualificationWindow(rules, Sh(2027_y / January / 5), kEnrolled, kShanghai),
               Sh(2026_y / March / 10), Sh(2027_y / March / 10));
}

TEST(QualificationWindowTest, AnniversaryOfALeapDayEnrolmentIsTwentyEighthFebruaryInOtherYears) {
  const TierRules rules = Rules(TierWindow::kAnniversaryYear);
  const Instant enrolled = Sh(2024_y / February / 29, 10h);
  ExpectWindow(QualificationWindow(rules, Sh(2025_y / February / 27, 12h), enrolled, kShanghai),
               Sh(2024_y / February / 29), Sh(2025_y / February / 28));
  ExpectWindow(QualificationWindow(rules, Sh(2025_y / February / 28), enrolled, kShanghai),
               Sh(2025_y / February / 28), Sh(2026_y / February / 28));
  ExpectWindow(QualificationWindow(rules, Sh(2025_y / March / 1), enrolled, kShanghai),
               Sh(2025_y / February / 28), Sh(2026_y / February / 28));
  ExpectWindow(QualificationWindow(rules, Sh(2028_y / February / 28, 12h), enrolled, kShanghai),
               Sh(2027_y / February / 28), Sh(2028_y / February / 29));
  ExpectWindow(QualificationWindow(rules, Sh(2028_y / February / 29), enrolled, kShanghai),
               Sh(2028_y / February / 29), Sh(2029_y / February / 28));
}

TEST(QualificationWindowTest, AnniversaryWindowsTileTheCalendarWithoutGapsOrOverlaps) {
  // Every local day from the leap-day enrolment to 2032: the day's window contains it, lasts
  // 365 or 366 days, and is either yesterday's window or starts where yesterday's ended.
  const TierRules rules = Rules(TierWindow::kAnniversaryYear);
  const Instant enrolled = Sh(2024_y / February / 29, 10h);
  std::optional<TierWindowRange> previous;
  for (date::sys_days d = date::sys_days(2024_y / February / 29);
       d <= date::sys_days(2032_y / March / 31); d += date::days(1)) {
    const Instant now = Sh(date::year_month_day(d), 12h);
    const TierWindowRange w = QualificationWindow(rules, now, enrolled, kShanghai);
    ASSERT_LE(w.start, now) << date::year_month_day(d);
    ASSERT_LT(now, w.end) << date::year_month_day(d);
    const auto days = std::chrono::duration_cast<date::days>(w.end - w.start).count();
    ASSERT_TRUE(days == 365 || days == 366) << date::year_month_day(d) << ": " << days;
    if (previous && previous->start != w.start) {
      ASSERT_EQ(Show(previous->end), Show(w.start)) << date::year_month_day(d);
    }
    previous = w;
  }
}

// ---------------------------------------------------------------------------------------------
// Qualifying values.

struct MetricCase {
  std::string name;
  TierMetric metric;
  int64_t expected;
};
std::ostream& operator<<(std::ostream& os, const MetricCase& c) { return os << c.name; }

class QualifyingValueTest : public ::testing::TestWithParam<MetricCase> {};

TEST_P(QualifyingValueTest, CountsActivitiesFromTheStartInclusiveToTheEndExclusive) {
  const TierRules rules = Rules(TierWindow::kCalendarYear, GetParam().metric);
  const TierWindowRange w = QualificationWindow(rules, Sh(2026_y / June / 1), kEnrolled, kShanghai);
  // Spend in fen, points, visits; each activity's numbers are distinct powers so the sum shows
  // which were counted.
  const std::vector<TierActivity> activities = {
      {w.start - 1us, 1, 10, 100},                      // 2025-12-31 23:59:59.999999 local: out
      {w.start, 1000, 10000, 100000},                   // 2026-01-01 00:00 local: in
      {Sh(2026_y / June / 1), 20000, 200000, 2000000},  // in
      {w.end - 1us, 300000, 3000000, 30000000},         // 2026-12-31 23:59:59.999999: in
      {w.end, 4, 40, 400},                              // 2027-01-01 00:00 local: out
  };
  EXPECT_EQ(QualifyingValue(rules, activities, w), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Metrics, QualifyingValueTest,
                         ::testing::Values(MetricCase{"spend", TierMetric::kSpend, 321000},
                                           MetricCase{"points", TierMetric::kPoints, 3210000},
                                           MetricCase{"visits", TierMetric::kVisits, 32100000}),
                         [](const auto& info) { return info.param.name; });

TEST(QualifyingValueTest, RollingWindowEdges) {
  const TierRules rules = Rules(TierWindow::kRolling12Months, TierMetric::kVisits);
  const TierWindowRange w =
      QualificationWindow(rules, Utc(2026_y / November / 24, 8h + 30min), kEnrolled, kShanghai);
  const std::vector<TierActivity> activities = {
      {Sh(2025_y / November / 24, 24h - 1us), 0, 0, 1},  // out
      {Sh(2025_y / November / 25), 0, 0, 10},            // in
      {Sh(2026_y / November / 24, 23h), 0, 0, 100},      // later today: in
      {Sh(2026_y / November / 25), 0, 0, 1000},          // tomorrow: out
  };
  EXPECT_EQ(QualifyingValue(rules, activities, w), 110);
}

TEST(QualifyingValueTest, NoActivityIsZero) {
  const TierRules rules = Rules();
  EXPECT_EQ(QualifyingValue(
                rules, {}, QualificationWindow(rules, Sh(2026_y / June / 1), kEnrolled, kShanghai)),
            0);
}

// ---------------------------------------------------------------------------------------------
// Levels.

TEST(LevelTest, LevelForAndLevelIndex) {
  const TierRules rules = Rules();
  EXPECT_EQ(LevelFor(rules, 0), 0u);
  EXPECT_EQ(LevelFor(rules, 199999), 0u);
  EXPECT_EQ(LevelFor(rules, 200000), 1u);
  EXPECT_EQ(LevelFor(rules, 799999), 1u);
  EXPECT_EQ(LevelFor(rules, 800000), 2u);
  EXPECT_EQ(LevelFor(rules, 2000000), 3u);
  EXPECT_EQ(LevelFor(rules, 900000000), 3u);
  EXPECT_EQ(LevelIndex(rules, "base"), 0u);
  EXPECT_EQ(LevelIndex(rules, "diamond"), 3u);
  EXPECT_EQ(LevelIndex(rules, "platinum"), std::nullopt);
  EXPECT_EQ(rules.levels[0].name_zh, "普通会员");
  EXPECT_EQ(rules.levels[1].name_zh, "银卡");
  EXPECT_EQ(rules.levels[2].name_zh, "金卡");
  EXPECT_EQ(rules.levels[3].name_zh, "钻石");
}

// ---------------------------------------------------------------------------------------------
// Upgrades.

const Instant kNow = Utc(2026_y / November / 24, 8h + 30min);  // 16:30 in Shanghai

TierStatus Base() { return TierStatus{"base", kEnrolled, std::nullopt}; }

TEST(UpgradeTest, SkipsLevelsWhenTheValueJumps) {
  TierStatus status = Base();
  const auto change = Upgrade(Rules(), status, 900000, kNow, kShanghai);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->from, "base");
  EXPECT_EQ(change->to, "gold");
  EXPECT_EQ(change->reason, "qualified");
  EXPECT_EQ(change->at, kNow);
  EXPECT_EQ(status.tier, "gold");
  EXPECT_EQ(status.since, kNow);
  // Held for a year: reviewed once 2027-11-24 (local) is over.
  ASSERT_TRUE(status.review_at.has_value());
  EXPECT_EQ(Show(*status.review_at), Show(Sh(2027_y / November / 25)));
}

TEST(UpgradeTest, QualifiesExactlyAtTheThreshold) {
  TierStatus status = Base();
  EXPECT_FALSE(Upgrade(Rules(), status, 199999, kNow, kShanghai).has_value());
  EXPECT_EQ(status.tier, "base");
  EXPECT_FALSE(status.review_at.has_value());
  const auto change = Upgrade(Rules(), status, 200000, kNow, kShanghai);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->to, "silver");
}

TEST(UpgradeTest, CalendarWindowHoldsTheLevelThroughNextYear) {
  TierStatus status = Base();
  ASSERT_TRUE(Upgrade(Rules(TierWindow::kCalendarYear), status, 250000, kNow, kShanghai));
  ASSERT_TRUE(status.review_at.has_value());
  EXPECT_EQ(Show(*status.review_at), Show(Sh(2028_y / January / 1)));
  // Reached at 00:30 on 1 January 2027 local (still 2026 in UTC): held through 2028.
  TierStatus early = Base();
  ASSERT_TRUE(Upgrade(Rules(TierWindow::kCalendarYear), early, 250000,
                      Utc(2026_y / December / 31, 16h + 30min), kShanghai));
  EXPECT_EQ(Show(*early.review_at), Show(Sh(2029_y / January / 1)));
}

TEST(UpgradeTest, AnniversaryWindowReviewsAYearOn) {
  TierStatus status = Base();
  ASSERT_TRUE(Upgrade(Rules(TierWindow::kAnniversaryYear), status, 250000, kNow, kShanghai));
  EXPECT_EQ(Show(*status.review_at), Show(Sh(2027_y / November / 25)));
}

TEST(UpgradeTest, OnTwentyNinthFebruaryTheYearEndsOnTwentyEighth) {
  TierStatus status = Base();
  ASSERT_TRUE(Upgrade(Rules(), status, 250000, Sh(2028_y / February / 29, 12h), kShanghai));
  EXPECT_EQ(Show(*status.review_at), Show(Sh(2029_y / March / 1)));
}

TEST(UpgradeTest, NeverDowngradesAndIgnoresTheSameLevel) {
  TierStatus status{"gold", kEnrolled, Sh(2027_y / June / 1)};
  const TierStatus before = status;
  EXPECT_FALSE(Upgrade(Rules(), status, 0, kNow, kShanghai).has_value());
  EXPECT_FALSE(Upgrade(Rules(), status, 300000, kNow, kShanghai).has_value());
  EXPECT_FALSE(Upgrade(Rules(), status, 800000, kNow, kShanghai).has_value());
  EXPECT_EQ(status.tier, before.tier);
  EXPECT_EQ(status.since, before.since);
  EXPECT_EQ(status.review_at, before.review_at);
}

TEST(UpgradeTest, FromSilverToDiamond) {
  TierStatus status{"silver", kEnrolled, Sh(2027_y / June / 1)};
  const auto change = Upgrade(Rules(), status, 2000000, kNow, kShanghai);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->from, "silver");
  EXPECT_EQ(change->to, "diamond");
  EXPECT_EQ(Show(*status.review_at), Show(Sh(2027_y / November / 25)));
}

// ---------------------------------------------------------------------------------------------
// Reviews.

const Instant kReviewAt = Sh(2027_y / November / 25);

TierStatus Gold() { return TierStatus{"gold", kNow, kReviewAt}; }

TEST(ReviewTest, NothingHappensBeforeTheGracePeriodEnds) {
  const TierRules rules = Rules();
  ASSERT_EQ(rules.grace_days, 30);
  for (Instant t : {kReviewAt - 1us, kReviewAt, kReviewAt + std::chrono::days(29),
                    kReviewAt + std::chrono::days(30) - 1us}) {
    TierStatus status = Gold();
    EXPECT_FALSE(Review(rules, status, 0, t, kShanghai).has_value()) << Show(t);
    EXPECT_EQ(status.tier, "gold") << Show(t);
    EXPECT_EQ(status.review_at, kReviewAt) << Show(t);
  }
}

TEST(ReviewTest, DowngradeOneLevelAfterGraceEvenWithNoActivity) {
  const Instant effective = kReviewAt + std::chrono::days(30);
  TierStatus status = Gold();
  const auto change = Review(Rules(), status, 0, effective, kShanghai);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->from, "gold");
  EXPECT_EQ(change->to, "silver");
  EXPECT_EQ(change->reason, "review");
  EXPECT_EQ(change->at, effective);
  EXPECT_EQ(status.tier, "silver");
  EXPECT_EQ(status.since, effective);
  ASSERT_TRUE(status.review_at.has_value());
  EXPECT_GT(*status.review_at, effective);
  EXPECT_EQ(Show(*status.review_at), Show(NextReview(Rules(), effective, kShanghai)));

  // Silver reviewed a year later with nothing bought: base, and no further review.
  const Instant next = *status.review_at + std::chrono::days(30);
  const auto again = Review(Rules(), status, 0, next, kShanghai);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->to, "base");
  EXPECT_FALSE(status.review_at.has_value());
  EXPECT_FALSE(Review(Rules(), status, 0, next + std::chrono::days(800), kShanghai).has_value());
}

TEST(ReviewTest, RecalculateGoesToTheLevelTheValueEarns) {
  const Instant effective = kReviewAt + std::chrono::days(31);
  const TierRules rules =
      Rules(TierWindow::kRolling12Months, TierMetric::kSpend, TierReview::kRecalculate);
  TierStatus status = Gold();
  const auto change = Review(rules, status, 0, effective, kShanghai);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->to, "base");
  EXPECT_EQ(status.tier, "base");
  EXPECT_FALSE(status.review_at.has_value());

  TierStatus diamond{"diamond", kNow, kReviewAt};
  const auto to_silver = Review(rules, diamond, 250000, effective, kShanghai);
  ASSERT_TRUE(to_silver.has_value());
  EXPECT_EQ(to_silver->from, "diamond");
  EXPECT_EQ(to_silver->to, "silver");
  EXPECT_EQ(Show(*diamond.review_at), Show(NextReview(rules, effective, kShanghai)));
}

TEST(ReviewTest, DowngradeOneLevelMovesOneStepEvenFromDiamondWithNothing) {
  TierStatus status{"diamond", kNow, kReviewAt};
  const auto change = Review(Rules(), status, 0, kReviewAt + std::chrono::days(30), kShanghai);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->to, "gold");
}

TEST(ReviewTest, StillQualifiedKeepsTheLevelAndMovesTheReviewDate) {
  for (TierReview mode : {TierReview::kDowngradeOneLevel, TierReview::kRecalculate}) {
    const TierRules rules = Rules(TierWindow::kRolling12Months, TierMetric::kSpend, mode);
    const Instant effective = kReviewAt + std::chrono::days(30);
    for (int64_t value : {int64_t{800000}, int64_t{5000000}}) {
      TierStatus status = Gold();
      EXPECT_FALSE(Review(rules, status, value, effective, kShanghai).has_value())
          << TierReviewName(mode) << " " << value;
      EXPECT_EQ(status.tier, "gold");
      EXPECT_EQ(status.since, kNow) << "the level was held, not re-reached";
      ASSERT_TRUE(status.review_at.has_value());
      EXPECT_EQ(Show(*status.review_at), Show(NextReview(rules, effective, kShanghai)));
      EXPECT_GT(*status.review_at, effective);
    }
  }
}

TEST(ReviewTest, NoGraceReviewsAtTheReviewDate) {
  TierRules rules = Rules();
  rules.grace_days = 0;
  TierStatus status = Gold();
  EXPECT_FALSE(Review(rules, status, 0, kReviewAt - 1us, kShanghai).has_value());
  EXPECT_TRUE(Review(rules, status, 0, kReviewAt, kShanghai).has_value());
}

TEST(ReviewTest, BaseLevelHasNoReview) {
  TierStatus status = Base();
  EXPECT_FALSE(Review(Rules(), status, 0, kNow + std::chrono::days(5000), kShanghai).has_value());
  EXPECT_EQ(status.tier, "base");
}

// ---------------------------------------------------------------------------------------------
// Manual assignment.

TEST(AssignTierTest, UnknownCodeIsInvalidTierAndChangesNothing) {
  TierStatus status = Gold();
  const auto change = AssignTier(Rules(), status, "platinum", "VIP", kNow, kShanghai);
  ASSERT_FALSE(change.has_value());
  EXPECT_EQ(change.error().code, Code::kInvalidArgument);
  EXPECT_EQ(change.error().slug, "invalid_tier");
  ASSERT_NE(change.error().Detail("field"), nullptr);
  EXPECT_EQ(*change.error().Detail("field"), "tier");
  EXPECT_NE(change.error().message.find("diamond"), std::string::npos) << change.error().message;
  EXPECT_EQ(status.tier, "gold");
  EXPECT_EQ(status.review_at, kReviewAt);

  EXPECT_FALSE(AssignTier(Rules(), status, "", "VIP", kNow, kShanghai).has_value());
  EXPECT_FALSE(AssignTier(Rules(), status, "Gold", "VIP", kNow, kShanghai).has_value());
}

TEST(AssignTierTest, SetsTheLevelWithAManualReasonAndAReview) {
  TierStatus status = Base();
  const auto change = AssignTier(Rules(), status, "gold", "store opening VIP", kNow, kShanghai);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->from, "base");
  EXPECT_EQ(change->to, "gold");
  EXPECT_EQ(change->reason, "manual: store opening VIP");
  EXPECT_EQ(status.tier, "gold");
  EXPECT_EQ(status.since, kNow);
  EXPECT_EQ(Show(*status.review_at), Show(Sh(2027_y / November / 25)));

  // Down to base by hand: no review date.
  const auto down = AssignTier(Rules(), status, "base", "fraud", kNow + 1h, kShanghai);
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(down->from, "gold");
  EXPECT_FALSE(status.review_at.has_value());
}

// ---------------------------------------------------------------------------------------------
// After a return: a level reached by qualifying in this window falls back to what the value
// still earns, never below where that upgrade started; other levels wait for their review.

// Inside the rolling window that is current at kNow (2025-11-25 .. 2026-11-25 local).
const Instant kUpgradedAt = Sh(2026_y / June / 1, 12h);
const Instant kGoldReview = Sh(2027_y / June / 2);
const Instant kWindowStart = Sh(2025_y / November / 25);  // of the rolling window at kNow
const TierStatus kGoldSinceUpgrade{"gold", kUpgradedAt, kGoldReview};
const TierStatus kDiamondSinceUpgrade{"diamond", kUpgradedAt, kGoldReview};

TierChange Qualified(std::string from, std::string to, Instant at = kUpgradedAt) {
  return TierChange{std::move(from), std::move(to), at, "qualified"};
}

struct AfterReturnCase {
  std::string name;
  TierStatus status;
  std::optional<TierChange> last_change;
  int64_t value;                  // what the window's activity is worth after the return
  std::optional<std::string> to;  // nullopt: no change
};
std::ostream& operator<<(std::ostream& os, const AfterReturnCase& c) { return os << c.name; }

class AfterReturnTest : public ::testing::TestWithParam<AfterReturnCase> {};

TEST_P(AfterReturnTest, FallsBackOnlyFromAnUpgradeInThisWindow) {
  const AfterReturnCase& c = GetParam();
  const TierRules rules = Rules();
  const Instant window_start = QualificationWindow(rules, kNow, kEnrolled, kShanghai).start;
  ASSERT_EQ(Show(window_start), Show(kWindowStart));
  TierStatus status = c.status;
  const auto change =
      AfterReturn(rules, status, c.value, c.last_change, window_start, kNow, kShanghai);
  if (!c.to) {
    EXPECT_FALSE(change.has_value()) << "moved to " << change->to;
    EXPECT_EQ(status.tier, c.status.tier);
    EXPECT_EQ(status.since, c.status.since);
    EXPECT_EQ(status.review_at, c.status.review_at);
    return;
  }
  ASSERT_TRUE(change.has_value()) << "kept " << status.tier;
  EXPECT_EQ(change->from, c.status.tier);
  EXPECT_EQ(change->to, *c.to);
  EXPECT_EQ(change->at, kNow);
  EXPECT_EQ(change->reason, "return");  // what tier.cc writes; TierChange's comment lists the rest
  EXPECT_EQ(status.tier, *c.to);
  EXPECT_EQ(status.since, kNow);
  if (*c.to == "base") {
    EXPECT_FALSE(status.review_at.has_value()) << Show(*status.review_at);
  } else {
    ASSERT_TRUE(status.review_at.has_value());
    EXPECT_EQ(Show(*status.review_at), Show(NextReview(rules, kNow, kShanghai)));
  }
}

AfterReturnCase FallsTo(std::string to, std::string name, TierStatus status,
                        std::optional<TierChange> last_change, int64_t value) {
  return {std::move(name), std::move(status), std::move(last_change), value, std::move(to)};
}
AfterReturnCase Stays(std::string name, TierStatus status, std::optional<TierChange> last_change,
                      int64_t value) {
  return {std::move(name), std::move(status), std::move(last_change), value, std::nullopt};
}

INSTANTIATE_TEST_SUITE_P(
    Table, AfterReturnTest,
    ::testing::Values(
        FallsTo("base", "base_to_gold_nothing_left", kGoldSinceUpgrade, Qualified("base", "gold"),
                0),
        FallsTo("silver", "base_to_gold_silver_value", kGoldSinceUpgrade, Qualified("base", "gold"),
                250000),
        FallsTo("silver", "base_to_gold_just_below_gold", kGoldSinceUpgrade,
                Qualified("base", "gold"), 799999),
        FallsTo("base", "base_to_silver_nothing_left", {"silver", kUpgradedAt, kGoldReview},
                Qualified("base", "silver"), 0),
        FallsTo("silver", "silver_to_gold_never_below_silver", kGoldSinceUpgrade,
                Qualified("silver", "gold"), 0),
        FallsTo("gold", "silver_to_diamond_gold_value", kDiamondSinceUpgrade,
                Qualified("silver", "diamond"), 900000),
        FallsTo("silver", "silver_to_diamond_little_left_stops_at_silver", kDiamondSinceUpgrade,
                Qualified("silver", "diamond"), 100000),
        FallsTo("base", "upgraded_at_the_window_start", {"gold", kWindowStart, kGoldReview},
                Qualified("base", "gold", kWindowStart), 0),
        Stays("still_qualifies_exactly", kGoldSinceUpgrade, Qualified("base", "gold"), 800000),
        Stays("still_qualifies_for_more_never_upgrades", kGoldSinceUpgrade,
              Qualified("base", "gold"), 5000000),
        Stays("last_change_was_a_review", {"silver", kUpgradedAt, kGoldReview},
              TierChange{"gold", "silver", kUpgradedAt, "review"}, 0),
        Stays("last_change_was_manual", kGoldSinceUpgrade,
              TierChange{"base", "gold", kUpgradedAt, "manual: store opening VIP"}, 0),
        Stays("upgraded_in_an_earlier_window", {"gold", kWindowStart - 1us, kGoldReview},
              Qualified("base", "gold", kWindowStart - 1us), 0),
        Stays("no_history", kGoldSinceUpgrade, std::nullopt, 0),
        Stays("last_change_is_not_to_the_current_level", kDiamondSinceUpgrade,
              Qualified("base", "gold"), 0),
        Stays("base_stays_base", {"base", kUpgradedAt, std::nullopt}, Qualified("base", "base"),
              0)),
    [](const ::testing::TestParamInfo<AfterReturnCase>& info) { return info.param.name; });

TEST(AfterReturnTest, CalendarWindowReviewFollowsNextReview) {
  const TierRules rules = Rules(TierWindow::kCalendarYear);
  const Instant window_start = QualificationWindow(rules, kNow, kEnrolled, kShanghai).start;
  ASSERT_EQ(Show(window_start), Show(Sh(2026_y / January / 1)));
  TierStatus status{"gold", kUpgradedAt, Sh(2028_y / January / 1)};
  const auto change =
      AfterReturn(rules, status, 300000, Qualified("base", "gold"), window_start, kNow, kShanghai);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->to, "silver");
  ASSERT_TRUE(status.review_at.has_value());
  EXPECT_EQ(Show(*status.review_at), Show(Sh(2028_y / January / 1)));
}

TEST(AfterReturnTest, UpgradeThenReturnThenUpgradeAgain) {
  // The whole round trip: qualify, return the purchase, buy again.
  const TierRules rules = Rules();
  const Instant window_start = QualificationWindow(rules, kNow, kEnrolled, kShanghai).start;
  TierStatus status = Base();
  const auto up = Upgrade(rules, status, 850000, kUpgradedAt, kShanghai);
  ASSERT_TRUE(up.has_value());
  ASSERT_EQ(status.tier, "gold");
  const auto down = AfterReturn(rules, status, 50000, up, window_start, kNow, kShanghai);
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(down->from, "gold");
  EXPECT_EQ(down->to, "base");
  EXPECT_EQ(status.tier, "base");
  EXPECT_FALSE(status.review_at.has_value());
  // A second return finds the "return" change newest: nothing more to undo.
  EXPECT_FALSE(AfterReturn(rules, status, 0, down, window_start, kNow + 1h, kShanghai));
  const auto again = Upgrade(rules, status, 820000, kNow + 2h, kShanghai);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->to, "gold");
}

}  // namespace
}  // namespace loyalty
