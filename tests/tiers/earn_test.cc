// Earn rules (domain/earn.h): rate and rounding, tax, SKU/category rules, tier, bonus-event and
// birthday multipliers, how lines add up, and bad baskets.
#include "loyalty/domain/earn.h"

#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "loyalty/domain/program.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using namespace date::literals;
using date::December;
using date::November;
using date::October;

constexpr char kShanghai[] = "Asia/Shanghai";
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// An instant given as UTC wall time.
Instant Utc(date::year_month_day d, std::chrono::microseconds time_of_day = 0us) {
  return Instant(date::sys_days(d) + time_of_day);
}

// One line of `net_minor` fen (tax `tax_minor` inside it).
BasketLine Line(int line_no, int64_t net_minor, int64_t tax_minor = 0, std::string sku = "SKU",
                std::string category = "grocery") {
  BasketLine l;
  l.line_no = line_no;
  l.sku = std::move(sku);
  l.category = std::move(category);
  l.net_minor = net_minor;
  l.tax_minor = tax_minor;
  return l;
}

// A context with no tier, no birthday, at a Monday noon in Shanghai, store S1.
EarnContext Context(std::string tier = "") {
  EarnContext c;
  c.at = Utc(2026_y / November / 23, 4h);
  c.store_id = "S1";
  c.store_zone = kShanghai;
  c.tier_code = std::move(tier);
  return c;
}

// The default program's earn rules (1 point per ¥1, floor) with no pending days to care about.
ProgramConfig Program() { return DefaultProgram(); }

EarnQuote Earn(const ProgramConfig& p, const std::vector<BasketLine>& lines,
               const EarnContext& c = Context()) {
  auto q = ComputeEarn(p, lines, c);
  EXPECT_TRUE(q.has_value()) << q.error().slug << ": " << q.error().message;
  return q ? *q : EarnQuote{};
}

int64_t LinesSum(const EarnQuote& q) {
  int64_t sum = 0;
  for (const EarnLine& l : q.lines) sum += l.points;
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Rate and rounding.

struct RateCase {
  std::string name;
  int64_t points, per_minor;
  Rounding rounding;
  int64_t net_minor;
  int64_t expected;
};
std::ostream& operator<<(std::ostream& os, const RateCase& c) { return os << c.name; }

class EarnRateTest : public ::testing::TestWithParam<RateCase> {};

TEST_P(EarnRateTest, PointsAreTheBaseTimesTheRateRoundedOnce) {
  const RateCase& c = GetParam();
  ProgramConfig p = Program();
  p.earn.points = c.points;
  p.earn.per_minor = c.per_minor;
  p.earn.rounding = c.rounding;
  ASSERT_TRUE(ValidateProgram(p).has_value());
  const EarnQuote q = Earn(p, {Line(1, c.net_minor)});
  EXPECT_EQ(q.points, c.expected);
  ASSERT_EQ(q.lines.size(), 1u);
  EXPECT_EQ(q.lines[0].base_minor, c.net_minor);
  EXPECT_EQ(q.lines[0].points, c.expected);
  EXPECT_EQ(q.multiplier, (Rational{1, 1}));
}

INSTANTIATE_TEST_SUITE_P(
    Rates, EarnRateTest,
    ::testing::Values(
        // 1 point per ¥1.
        RateCase{"floor_9_99_is_9", 1, 100, Rounding::kFloor, 999, 9},
        RateCase{"floor_10_00_is_10", 1, 100, Rounding::kFloor, 1000, 10},
        RateCase{"floor_0_99_is_0", 1, 100, Rounding::kFloor, 99, 0},
        RateCase{"floor_zero_is_0", 1, 100, Rounding::kFloor, 0, 0},
        RateCase{"half_up_9_49_is_9", 1, 100, Rounding::kHalfUp, 949, 9},
        RateCase{"half_up_9_50_is_10", 1, 100, Rounding::kHalfUp, 950, 10},
        RateCase{"half_up_9_99_is_10", 1, 100, Rounding::kHalfUp, 999, 10},
        RateCase{"ceil_9_00_is_9", 1, 100, Rounding::kCeil, 900, 9},
        RateCase{"ceil_9_01_is_10", 1, 100, Rounding::kCeil, 901, 10},
        RateCase{"ceil_0_01_is_1", 1, 100, Rounding::kCeil, 1, 1},
        // 1 point per ¥3: ¥10 is 3.33 points.
        RateCase{"per_3_yuan_floor", 1, 300, Rounding::kFloor, 1000, 3},
        RateCase{"per_3_yuan_half_up_down", 1, 300, Rounding::kHalfUp, 1000, 3},
        RateCase{"per_3_yuan_half_up_up", 1, 300, Rounding::kHalfUp, 1050, 4},  // 3.5
        RateCase{"per_3_yuan_ceil", 1, 300, Rounding::kCeil, 1000, 4},
        RateCase{"per_3_yuan_exact", 1, 300, Rounding::kCeil, 900, 3},
        // 2 points per ¥5: ¥12.34 is 4.936 points.
        RateCase{"2_per_5_yuan_floor", 2, 500, Rounding::kFloor, 1234, 4},
        RateCase{"2_per_5_yuan_half_up", 2, 500, Rounding::kHalfUp, 1234, 5},
        RateCase{"2_per_5_yuan_ceil", 2, 500, Rounding::kCeil, 1234, 5},
        // 10 points per fen.
        RateCase{"10_per_fen", 10, 1, Rounding::kFloor, 123, 1230},
        // Earning switched off.
        RateCase{"zero_points", 0, 100, Rounding::kCeil, 99999, 0}),
    [](const auto& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------
// Tax.

TEST(EarnTaxTest, TaxIsExcludedFromTheBaseUnlessConfigured) {
  ProgramConfig p = Program();
  // ¥113.00 paid, ¥13.00 of it VAT.
  EarnQuote q = Earn(p, {Line(1, 11300, 1300)});
  EXPECT_EQ(q.lines.at(0).base_minor, 10000);
  EXPECT_EQ(q.points, 100);

  p.earn.include_tax = true;
  q = Earn(p, {Line(1, 11300, 1300)});
  EXPECT_EQ(q.lines.at(0).base_minor, 11300);
  EXPECT_EQ(q.points, 113);
}

TEST(EarnTaxTest, TaxEqualToTheAmountLeavesNothingToEarnOn) {
  const EarnQuote q = Earn(Program(), {Line(1, 500, 500)});
  EXPECT_EQ(q.lines.at(0).base_minor, 0);
  EXPECT_EQ(q.points, 0);
}

// ---------------------------------------------------------------------------------------------
// SKU and category rules.

ProgramConfig ProgramWithLineRules() {
  ProgramConfig p = Program();
  p.earn.skus = {LineRule{"GIFTCARD-100", {1, 1}, true}, LineRule{"MILK-1L", {3, 1}, false},
                 LineRule{"CIGAR-ZERO", {1, 1}, true}, LineRule{"NICOTINE-PATCH", {2, 1}, false}};
  p.earn.categories = {LineRule{"tobacco", {1, 1}, true}, LineRule{"dairy", {2, 1}, false},
                       LineRule{"wine", {1, 2}, false}};
  EXPECT_TRUE(ValidateProgram(p).has_value());
  return p;
}

TEST(EarnLineRulesTest, ExcludedSkuEarnsNothingAndTheOtherLinesStillEarn) {
  const EarnQuote q = Earn(ProgramWithLineRules(), {Line(1, 10000, 0, "GIFTCARD-100", "gift"),
                                                    Line(2, 2500, 0, "BREAD", "bakery")});
  ASSERT_EQ(q.lines.size(), 2u);
  EXPECT_TRUE(q.lines[0].excluded);
  EXPECT_EQ(q.lines[0].points, 0);
  EXPECT_FALSE(q.lines[1].excluded);
  EXPECT_EQ(q.lines[1].points, 25);
  EXPECT_EQ(q.points, 25);
}

TEST(EarnLineRulesTest, ExcludedCategoryEarnsNothing) {
  const EarnQuote q = Earn(ProgramWithLineRules(), {Line(1, 3000, 0, "CIGS-20", "tobacco"),
                                                    Line(2, 1000, 0, "BREAD", "bakery")});
  EXPECT_TRUE(q.lines.at(0).excluded);
  EXPECT_EQ(q.lines.at(0).points, 0);
  EXPECT_EQ(q.points, 10);
}

TEST(EarnLineRulesTest, CategoryMultiplierAppliesToItsLines) {
  const EarnQuote q = Earn(ProgramWithLineRules(), {Line(1, 1000, 0, "YOGHURT", "dairy"),
                                                    Line(2, 1000, 0, "RED-1", "wine")});
  EXPECT_EQ(q.lines.at(0).multiplier, (Rational{2, 1}));
  EXPECT_EQ(q.lines.at(0).points, 20);
  EXPECT_EQ(q.lines.at(1).multiplier, (Rational{1, 2}));
  EXPECT_EQ(q.lines.at(1).points, 5);
  EXPECT_EQ(q.points, 25);
}

TEST(EarnLineRulesTest, SkuMultiplierBeatsItsCategoryMultiplier) {
  // MILK-1L is 3x, its category dairy 2x: the SKU rule is the more specific one.
  const EarnQuote q = Earn(ProgramWithLineRules(), {Line(1, 1000, 0, "MILK-1L", "dairy")});
  EXPECT_EQ(q.lines.at(0).multiplier, (Rational{3, 1}));
  EXPECT_EQ(q.points, 30);
}

TEST(EarnLineRulesTest, ExcludedSkuBeatsItsCategoryMultiplier) {
  // A dairy product (2x) that is itself excluded.
  ProgramConfig p = ProgramWithLineRules();
  p.earn.skus.push_back(LineRule{"INFANT-FORMULA", {1, 1}, true});
  const EarnQuote q = Earn(p, {Line(1, 20000, 0, "INFANT-FORMULA", "dairy")});
  EXPECT_TRUE(q.lines.at(0).excluded);
  EXPECT_EQ(q.points, 0);
}

TEST(EarnLineRulesTest, SkuRuleThatEarnsBeatsItsExcludedCategory) {
  // The category tobacco is excluded, but the program explicitly lists NICOTINE-PATCH (filed
  // under tobacco by the POS) at 2x. The SKU rule is the more specific one and must win, as it
  // does for multipliers: 2x of ¥50 = 100 points.
  const EarnQuote q = Earn(ProgramWithLineRules(), {Line(1, 5000, 0, "NICOTINE-PATCH", "tobacco")});
  ASSERT_EQ(q.lines.size(), 1u);
  EXPECT_FALSE(q.lines[0].excluded) << "a SKU rule overrides its category's exclusion";
  EXPECT_EQ(q.lines[0].multiplier, (Rational{2, 1}));
  EXPECT_EQ(q.points, 100);
}

TEST(EarnLineRulesTest, UnmatchedLinesEarnAtTheBaseRate) {
  const EarnQuote q = Earn(ProgramWithLineRules(), {Line(1, 1234, 0, "SOAP", "household")});
  EXPECT_FALSE(q.lines.at(0).excluded);
  EXPECT_EQ(q.lines.at(0).multiplier, (Rational{1, 1}));
  EXPECT_EQ(q.points, 12);
}

TEST(EarnLineRulesTest, ExcludedLinesNeverShowPointsEvenWhenTheRemainderIsAssigned) {
  // Two ¥0.50 lines are worth half a point each and one point together; the point that only
  // exists for the basket goes to some line so that the lines add up. It must not go to the
  // excluded ¥100 gift card, which the receipt would then show as earning a point.
  const EarnQuote q = Earn(ProgramWithLineRules(),
                           {Line(1, 10000, 0, "GIFTCARD-100", "gift"),
                            Line(2, 50, 0, "GUM", "snacks"), Line(3, 50, 0, "GUM", "snacks")});
  EXPECT_EQ(q.points, 1);
  EXPECT_EQ(LinesSum(q), q.points);
  ASSERT_EQ(q.lines.size(), 3u);
  EXPECT_TRUE(q.lines[0].excluded);
  EXPECT_EQ(q.lines[0].points, 0) << "the excluded line got the basket's rounding remainder";
  EXPECT_EQ(q.lines[1].points + q.lines[2].points, 1);
}

// ---------------------------------------------------------------------------------------------
// Tier, bonus and birthday multipliers.

struct TierCase {
  std::string name;
  std::string tier;
  int64_t expected;  // points for ¥100.00
};
std::ostream& operator<<(std::ostream& os, const TierCase& c) { return os << c.name; }

class EarnTierMultiplierTest : public ::testing::TestWithParam<TierCase> {};

TEST_P(EarnTierMultiplierTest, DefaultProgramLevelsMultiplyTheBasket) {
  const EarnQuote q = Earn(Program(), {Line(1, 10000)}, Context(GetParam().tier));
  EXPECT_EQ(q.points, GetParam().expected);
  EXPECT_EQ(LinesSum(q), q.points);
}

INSTANTIATE_TEST_SUITE_P(
    DefaultLevels, EarnTierMultiplierTest,
    ::testing::Values(TierCase{"base", "base", 100}, TierCase{"silver", "silver", 125},
                      TierCase{"gold", "gold", 150}, TierCase{"diamond", "diamond", 200},
                      TierCase{"no_tier", "", 100}, TierCase{"unknown_tier", "platinum", 100}),
    [](const auto& info) { return info.param.name; });

TEST(EarnTierMultiplierTest, SilverFiveQuartersOfNineNinetyNineIsFloored) {
  // 9.99 x 5/4 = 12.4875 points.
  EXPECT_EQ(Earn(Program(), {Line(1, 999)}, Context("silver")).points, 12);
  ProgramConfig p = Program();
  p.earn.rounding = Rounding::kHalfUp;
  EXPECT_EQ(Earn(p, {Line(1, 999)}, Context("silver")).points, 12);
  p.earn.rounding = Rounding::kCeil;
  EXPECT_EQ(Earn(p, {Line(1, 999)}, Context("silver")).points, 13);
}

TEST(EarnTierMultiplierTest, LineMultiplierAndTierMultiplierMultiply) {
  // MILK-1L is 3x; silver 5/4: ¥10 -> 37.5 -> 37.
  const EarnQuote q =
      Earn(ProgramWithLineRules(), {Line(1, 1000, 0, "MILK-1L", "dairy")}, Context("silver"));
  EXPECT_EQ(q.multiplier, (Rational{5, 4}));
  EXPECT_EQ(q.points, 37);
}

// Double points on Tuesdays 16:00-18:00 (Shanghai) in S1, during November 2026.
BonusEvent TuesdayHappyHour() {
  BonusEvent e;
  e.id = "tue-happy-hour";
  e.name = "周二欢乐时光";
  e.start_date = "2026-11-01";
  e.end_date = "2026-11-30";
  e.weekdays = {2};
  e.start_minute = 16 * 60;
  e.end_minute = 18 * 60;
  e.store_ids = {"S1"};
  e.multiplier = {2, 1};
  return e;
}

struct BonusCase {
  std::string name;
  Instant at;
  std::string store;
  bool applies;
};
std::ostream& operator<<(std::ostream& os, const BonusCase& c) { return os << c.name; }

class BonusEventTest : public ::testing::TestWithParam<BonusCase> {};

TEST_P(BonusEventTest, RunsOnlyInsideItsDatesWeekdaysHoursAndStores) {
  const BonusCase& c = GetParam();
  EXPECT_EQ(BonusEventApplies(TuesdayHappyHour(), c.at, c.store, kShanghai), c.applies);

  ProgramConfig p = Program();
  p.earn.bonus_events = {TuesdayHappyHour()};
  ASSERT_TRUE(ValidateProgram(p).has_value());
  EarnContext ctx = Context();
  ctx.at = c.at;
  ctx.store_id = c.store;
  const EarnQuote q = Earn(p, {Line(1, 10000)}, ctx);
  EXPECT_EQ(q.points, c.applies ? 200 : 100);
  if (c.applies) {
    EXPECT_EQ(q.bonus_events, std::vector<std::string>{"tue-happy-hour"});
    EXPECT_EQ(q.multiplier, (Rational{2, 1}));
  } else {
    EXPECT_TRUE(q.bonus_events.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    TuesdayHappyHour, BonusEventTest,
    ::testing::Values(
        // 2026-11-24 is a Tuesday; Shanghai is UTC+8 all year.
        BonusCase{"tuesday_16_30_in_s1", Utc(2026_y / November / 24, 8h + 30min), "S1", true},
        BonusCase{"tuesday_16_30_in_s2", Utc(2026_y / November / 24, 8h + 30min), "S2", false},
        BonusCase{"tuesday_16_00_start_is_inclusive", Utc(2026_y / November / 24, 8h), "S1", true},
        BonusCase{"tuesday_15_59_59", Utc(2026_y / November / 24, 7h + 59min + 59s), "S1", false},
        BonusCase{"tuesday_17_59_59_999999", Utc(2026_y / November / 24, 10h - 1us), "S1", true},
        BonusCase{"tuesday_18_00_end_is_exclusive", Utc(2026_y / November / 24, 10h), "S1", false},
        BonusCase{"wednesday_16_30", Utc(2026_y / November / 25, 8h + 30min), "S1", false},
        // Tuesday 16:30 in UTC is already Wednesday 00:30 in Shanghai.
        BonusCase{"tuesday_16_30_utc_is_wednesday_local", Utc(2026_y / November / 24, 16h + 30min),
                  "S1", false},
        BonusCase{"first_tuesday_in_dates", Utc(2026_y / November / 3, 8h + 30min), "S1", true},
        BonusCase{"tuesday_before_start_date", Utc(2026_y / October / 27, 8h + 30min), "S1", false},
        BonusCase{"tuesday_after_end_date", Utc(2026_y / December / 1, 8h + 30min), "S1", false}),
    [](const auto& info) { return info.param.name; });

TEST(BonusEventDatesTest, StartAndEndDatesAreInclusiveLocalDays) {
  BonusEvent e;
  e.id = "one-day";
  e.name = "One day";
  e.start_date = "2026-11-24";
  e.end_date = "2026-11-24";
  // 2026-11-24 00:00 Shanghai is 2026-11-23T16:00Z; the day ends at 2026-11-24T16:00Z.
  EXPECT_FALSE(BonusEventApplies(e, Utc(2026_y / November / 23, 16h - 1us), "S9", kShanghai));
  EXPECT_TRUE(BonusEventApplies(e, Utc(2026_y / November / 23, 16h), "S9", kShanghai));
  EXPECT_TRUE(BonusEventApplies(e, Utc(2026_y / November / 24, 16h - 1us), "S9", kShanghai));
  EXPECT_FALSE(BonusEventApplies(e, Utc(2026_y / November / 24, 16h), "S9", kShanghai));
  // The same instants seen from a store in UTC.
  EXPECT_FALSE(BonusEventApplies(e, Utc(2026_y / November / 23, 16h), "S9", "UTC"));
  EXPECT_TRUE(BonusEventApplies(e, Utc(2026_y / November / 24, 16h), "S9", "UTC"));
}

ProgramConfig ProgramWithAllMultipliers(bool stack) {
  ProgramConfig p = Program();
  BonusEvent e = TuesdayHappyHour();
  p.earn.bonus_events = {e};
  p.earn.birthday_month_multiplier = {3, 2};
  p.earn.stack_multipliers = stack;
  EXPECT_TRUE(ValidateProgram(p).has_value());
  return p;
}

// Silver member born in November, in S1 during the happy hour.
EarnContext SilverBirthdayHappyHour() {
  EarnContext c = Context("silver");
  c.at = Utc(2026_y / November / 24, 8h + 30min);
  c.birthday = 1990_y / November / 5;
  return c;
}

TEST(EarnMultiplierCombinationTest, StackedMultipliersMultiply) {
  // 5/4 x 2 x 3/2 = 15/4: ¥100 -> 375.
  const EarnQuote q =
      Earn(ProgramWithAllMultipliers(true), {Line(1, 10000)}, SilverBirthdayHappyHour());
  EXPECT_TRUE(q.birthday_month);
  EXPECT_EQ(q.bonus_events, std::vector<std::string>{"tue-happy-hour"});
  EXPECT_EQ(q.multiplier.num * 4, q.multiplier.den * 15)
      << q.multiplier.num << "/" << q.multiplier.den;
  EXPECT_EQ(q.points, 375);
}

TEST(EarnMultiplierCombinationTest, UnstackedTheHighestMultiplierWins) {
  const EarnQuote q =
      Earn(ProgramWithAllMultipliers(false), {Line(1, 10000)}, SilverBirthdayHappyHour());
  EXPECT_TRUE(q.birthday_month);
  EXPECT_EQ(q.multiplier, (Rational{2, 1}));
  EXPECT_EQ(q.points, 200);

  // Outside the happy hour the birthday's 3/2 beats silver's 5/4.
  EarnContext later = SilverBirthdayHappyHour();
  later.at = Utc(2026_y / November / 24, 11h);
  const EarnQuote q2 = Earn(ProgramWithAllMultipliers(false), {Line(1, 10000)}, later);
  EXPECT_TRUE(q2.bonus_events.empty());
  EXPECT_EQ(q2.multiplier, (Rational{3, 2}));
  EXPECT_EQ(q2.points, 150);

  // Stacked, the same purchase is 5/4 x 3/2 = 15/8: 187.5 -> 187.
  const EarnQuote q3 = Earn(ProgramWithAllMultipliers(true), {Line(1, 10000)}, later);
  EXPECT_EQ(q3.points, 187);
}

TEST(EarnBirthdayTest, BirthdayMonthIsTheMonthInTheStoresZone) {
  ProgramConfig p = Program();
  p.earn.birthday_month_multiplier = {2, 1};
  EarnContext c = Context();
  c.birthday = 1990_y / December / 5;

  // 2026-11-30T17:00Z is 2026-12-01 01:00 in Shanghai: December there.
  c.at = Utc(2026_y / November / 30, 17h);
  EarnQuote q = Earn(p, {Line(1, 10000)}, c);
  EXPECT_TRUE(q.birthday_month);
  EXPECT_EQ(q.multiplier, (Rational{2, 1}));
  EXPECT_EQ(q.points, 200);

  // 15:59:59 UTC is still 23:59:59 on 30 November in Shanghai.
  c.at = Utc(2026_y / November / 30, 15h + 59min + 59s);
  q = Earn(p, {Line(1, 10000)}, c);
  EXPECT_FALSE(q.birthday_month);
  EXPECT_EQ(q.points, 100);

  // A store in UTC sees the 17:00Z purchase in November.
  c.at = Utc(2026_y / November / 30, 17h);
  c.store_zone = "UTC";
  q = Earn(p, {Line(1, 10000)}, c);
  EXPECT_FALSE(q.birthday_month);
  EXPECT_EQ(q.points, 100);

  // Without a birthday on file there is no birthday month.
  c.store_zone = kShanghai;
  c.birthday.reset();
  EXPECT_FALSE(Earn(p, {Line(1, 10000)}, c).birthday_month);
}

TEST(EarnBirthdayTest, BirthdayMonthLastsTheWholeLocalMonth) {
  ProgramConfig p = Program();
  p.earn.birthday_month_multiplier = {2, 1};
  EarnContext c = Context();
  c.birthday = 1990_y / December / 5;
  c.at = Utc(2026_y / December / 31, 15h + 59min);  // 23:59 on 31 Dec in Shanghai
  EXPECT_TRUE(Earn(p, {Line(1, 100)}, c).birthday_month);
  c.at = Utc(2026_y / December / 31, 16h);  // 1 Jan 2027 in Shanghai
  EXPECT_FALSE(Earn(p, {Line(1, 100)}, c).birthday_month);
}

// ---------------------------------------------------------------------------------------------
// How lines add up.

TEST(EarnLinesTest, LinesAlwaysAddUpToTheTotal) {
  // ¥0.60 + ¥0.60 + ¥0.60 = 1.8 points: the lines show 0 + 0 + 0 before the remainder is placed.
  for (Rounding r : {Rounding::kFloor, Rounding::kHalfUp, Rounding::kCeil}) {
    ProgramConfig p = Program();
    p.earn.rounding = r;
    const EarnQuote q = Earn(p, {Line(1, 60), Line(2, 60), Line(3, 60)});
    EXPECT_EQ(q.points, r == Rounding::kFloor ? 1 : 2) << RoundingName(r);
    EXPECT_EQ(LinesSum(q), q.points) << RoundingName(r);
    for (const EarnLine& l : q.lines) EXPECT_GE(l.points, 0) << RoundingName(r);
  }
}

TEST(EarnLinesTest, BasketEarnsOnItsWholeBaseNotLineByLine) {
  // 1 point per ¥3: a ¥1 line and a ¥2 line are ¥3 paid, the same base as one ¥3 line. The base
  // is the net paid for the basket and the rate is rounded once, so both baskets earn 1 point.
  ProgramConfig p = Program();
  p.earn.per_minor = 300;
  ASSERT_TRUE(ValidateProgram(p).has_value());
  EXPECT_EQ(Earn(p, {Line(1, 300)}).points, 1);
  const EarnQuote split = Earn(p, {Line(1, 100), Line(2, 200)});
  EXPECT_EQ(split.points, 1) << "the basket's ¥3 base earns 1 point however it is split into lines";
  EXPECT_EQ(LinesSum(split), split.points);
}

// What the code guarantees when one line is split into two lines of half the amount (the second
// half takes the odd fen): the split basket never earns more than the whole line and at most one
// point less, and in both baskets the lines add up to the total. (With the default 1 point per
// ¥1 and the default tier multipliers, the two are always equal.)
TEST(EarnLinesTest, SplittingALineInHalfChangesTheTotalByAtMostOnePoint) {
  struct Config {
    int64_t points, per_minor;
    Rational line_multiplier;
    std::string tier;
  };
  const std::vector<Config> configs = {
      {1, 100, {1, 1}, ""},         {1, 100, {1, 1}, "silver"}, {1, 100, {4, 3}, "gold"},
      {1, 100, {33, 32}, "silver"}, {1, 300, {1, 1}, ""},       {2, 500, {7, 3}, "silver"},
      {3, 7, {1, 1}, "diamond"},    {1, 2'000'000, {1, 1}, ""}, {1000, 1, {99, 98}, "gold"},
  };
  std::mt19937_64 rng(20261124);
  int exact = 0, one_less = 0;
  for (const Config& cfg : configs) {
    // Amounts up to where millionths of a point still fit in int64 (multipliers here are <= 3x).
    const int64_t cap =
        std::min<int64_t>(100'000'000'000, kMax / 4 / (cfg.points * 1'000'000 / cfg.per_minor + 1));
    std::uniform_int_distribution<int64_t> small(0, 100'000), large(0, cap);
    for (Rounding r : {Rounding::kFloor, Rounding::kHalfUp, Rounding::kCeil}) {
      ProgramConfig p = Program();
      p.earn.points = cfg.points;
      p.earn.per_minor = cfg.per_minor;
      p.earn.rounding = r;
      p.earn.skus = {LineRule{"X", cfg.line_multiplier, false}};
      ASSERT_TRUE(ValidateProgram(p).has_value());
      for (int i = 0; i < 400; ++i) {
        const int64_t amount = i < 200 ? small(rng) : large(rng);
        const int64_t first = amount / 2;
        const EarnQuote whole = Earn(p, {Line(1, amount, 0, "X")}, Context(cfg.tier));
        const EarnQuote split =
            Earn(p, {Line(1, first, 0, "X"), Line(2, amount - first, 0, "X")}, Context(cfg.tier));
        ASSERT_LE(split.points, whole.points)
            << "amount " << amount << " per " << cfg.per_minor << " " << RoundingName(r);
        ASSERT_LE(whole.points - split.points, 1)
            << "amount " << amount << " per " << cfg.per_minor << " " << RoundingName(r);
        ASSERT_EQ(LinesSum(whole), whole.points);
        ASSERT_EQ(LinesSum(split), split.points);
        (whole.points == split.points ? exact : one_less)++;
        if (cfg.per_minor == 100 && cfg.points == 1 && cfg.line_multiplier == Rational{1, 1}) {
          ASSERT_EQ(whole.points, split.points) << "amount " << amount << " " << RoundingName(r);
        }
      }
    }
  }
  EXPECT_GT(exact, 0);
  RecordProperty("split_equal", exact);
  RecordProperty("split_one_less", one_less);
}

// ---------------------------------------------------------------------------------------------
// Bad baskets.

struct BadLineCase {
  std::string name;
  std::vector<BasketLine> lines;
  std::string field;
  std::string tier = "";
};
std::ostream& operator<<(std::ostream& os, const BadLineCase& c) { return os << c.name; }

class EarnBadLineTest : public ::testing::TestWithParam<BadLineCase> {};

TEST_P(EarnBadLineTest, IsInvalidArgumentNamingTheLineAndField) {
  const BadLineCase& c = GetParam();
  const auto q = ComputeEarn(Program(), c.lines, Context(c.tier));
  ASSERT_FALSE(q.has_value());
  EXPECT_EQ(q.error().code, Code::kInvalidArgument);
  EXPECT_EQ(q.error().slug, "invalid_basket");
  ASSERT_NE(q.error().Detail("field"), nullptr);
  EXPECT_EQ(*q.error().Detail("field"), c.field);
  EXPECT_FALSE(q.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    BadLines, EarnBadLineTest,
    ::testing::Values(
        BadLineCase{"negative_net", {Line(1, 100), Line(2, -1)}, "lines[1].net_minor"},
        BadLineCase{"negative_net_and_tax", {Line(1, -500, -50)}, "lines[0].net_minor"},
        BadLineCase{"negative_tax", {Line(1, 500, -1)}, "lines[0].tax_minor"},
        BadLineCase{
            "tax_above_net", {Line(1, 100), Line(2, 100), Line(3, 500, 501)}, "lines[2].tax_minor"},
        BadLineCase{"int64_max", {Line(1, kMax)}, "lines[0].net_minor"},
        BadLineCase{"int64_max_with_tax", {Line(1, kMax, 1)}, "lines[0].net_minor"},
        BadLineCase{"above_the_line_limit", {Line(1, kMax / 10'000 + 1)}, "lines[0].net_minor"},
        BadLineCase{"overflow_by_tier_multiplier",
                    {Line(1, 100), Line(2, kMax / 10'000)},
                    "lines[1].net_minor",
                    "diamond"}),
    [](const auto& info) { return info.param.name; });

// A line may be up to ¥10 billion (10^12 fen, earn.cc kMaxLineMinor); one fen more is refused.
TEST(EarnBadLineTest, LargestAmountThatFitsStillEarns) {
  const EarnQuote q = Earn(Program(), {Line(1, 1'000'000'000'000)});
  EXPECT_EQ(q.points, 10'000'000'000);
  const auto over = ComputeEarn(Program(), {Line(1, 1'000'000'000'001)}, Context());
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(*over.error().Detail("field"), "lines[0].net_minor");
}

TEST(EarnBadLineTest, LinesThatFitAloneButOverflowTogetherAreRejected) {
  std::vector<BasketLine> lines;
  for (int i = 0; i < 1000; ++i) lines.push_back(Line(i + 1, 1'000'000'000'000));
  const auto q = ComputeEarn(Program(), lines, Context());
  ASSERT_FALSE(q.has_value());
  EXPECT_EQ(q.error().code, Code::kInvalidArgument);
  EXPECT_EQ(q.error().slug, "invalid_basket");
  ASSERT_NE(q.error().Detail("field"), nullptr);
  EXPECT_EQ(*q.error().Detail("field"), "lines");
}

TEST(EarnBadLineTest, EmptyBasketEarnsNothing) {
  const EarnQuote q = Earn(Program(), {});
  EXPECT_EQ(q.points, 0);
  EXPECT_TRUE(q.lines.empty());
}

}  // namespace
}  // namespace loyalty
