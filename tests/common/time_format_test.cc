// RFC 3339 instants (common/time_format.h): "Z" and numeric offsets, fractional seconds, and
// everything else refused with nullopt rather than guessed.
#include "loyalty/common/time_format.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using namespace date::literals;

Instant Utc(date::year_month_day d, std::chrono::microseconds time_of_day = 0us) {
  return Instant(date::sys_days(d) + time_of_day);
}

std::string Show(const std::optional<Instant>& t) {
  return t ? FormatInstant(*t) : std::string("nullopt");
}

TEST(ParseInstantTest, UtcWithZ) {
  EXPECT_EQ(ParseInstant("2026-12-06T10:15:00Z"), Utc(2026_y / 12 / 6, 10h + 15min));
  EXPECT_EQ(ParseInstant("2026-01-01T00:00:00Z"), Utc(2026_y / 1 / 1));
  EXPECT_EQ(ParseInstant("2026-12-31T23:59:59Z"), Utc(2026_y / 12 / 31, 24h - 1s));
  EXPECT_EQ(ParseInstant("2028-02-29T12:00:00Z"), Utc(2028_y / 2 / 29, 12h));
}

struct OffsetCase {
  std::string text;
  std::string utc;  // the same instant written with Z
};
std::ostream& operator<<(std::ostream& os, const OffsetCase& c) { return os << c.text; }

class ParseInstantOffsetTest : public ::testing::TestWithParam<OffsetCase> {};

TEST_P(ParseInstantOffsetTest, IsTheSameInstantAsZ) {
  const auto with_offset = ParseInstant(GetParam().text);
  const auto with_z = ParseInstant(GetParam().utc);
  ASSERT_TRUE(with_offset.has_value());
  ASSERT_TRUE(with_z.has_value());
  EXPECT_EQ(Show(with_offset), Show(with_z));
}

INSTANTIATE_TEST_SUITE_P(Table, ParseInstantOffsetTest,
                         ::testing::Values(
                             // Shanghai: the local wall time is 8 h ahead of the Z instant.
                             OffsetCase{"2026-12-06T18:15:00+08:00", "2026-12-06T10:15:00Z"},
                             OffsetCase{"2026-12-06T18:15:00.5+08:00", "2026-12-06T10:15:00.5Z"},
                             // Across midnight and the year end.
                             OffsetCase{"2027-01-01T02:00:00+08:00", "2026-12-31T18:00:00Z"},
                             OffsetCase{"2026-12-31T20:00:00-05:00", "2027-01-01T01:00:00Z"},
                             OffsetCase{"2026-12-06T15:45:00+05:30", "2026-12-06T10:15:00Z"},
                             OffsetCase{"2026-12-06T10:15:00+00:00", "2026-12-06T10:15:00Z"},
                             OffsetCase{"2026-12-06T10:15:00-00:00", "2026-12-06T10:15:00Z"}));

TEST(ParseInstantTest, OffsetIsEightHoursBeforeTheLocalWallTime) {
  const auto local = ParseInstant("2026-12-06T18:15:00+08:00");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(*local, Utc(2026_y / 12 / 6, 18h + 15min) - 8h);
}

TEST(ParseInstantTest, FractionalSecondsToTheMicrosecond) {
  const Instant base = Utc(2026_y / 12 / 6, 10h + 15min);
  EXPECT_EQ(ParseInstant("2026-12-06T10:15:00.5Z"), base + 500000us);
  EXPECT_EQ(ParseInstant("2026-12-06T10:15:00.05Z"), base + 50000us);
  EXPECT_EQ(ParseInstant("2026-12-06T10:15:00.123Z"), base + 123000us);
  EXPECT_EQ(ParseInstant("2026-12-06T10:15:00.123456Z"), base + 123456us);
  EXPECT_EQ(ParseInstant("2026-12-06T10:15:00.000001Z"), base + 1us);
  EXPECT_EQ(ParseInstant("2026-12-06T10:15:59.999999Z"), base + 60s - 1us);
  EXPECT_EQ(ParseInstant("2026-12-06T18:15:00.25+08:00"), base + 250000us);
}

TEST(ParseInstantTest, ReadsBackWhatFormatInstantWrites) {
  for (Instant t : {Utc(2026_y / 11 / 23, 15h + 35min + 25s + 123456us), Utc(1970_y / 1 / 1),
                    Utc(2028_y / 2 / 29, 24h - 1us)}) {
    const std::string text = FormatInstant(t);
    EXPECT_EQ(ParseInstant(text), t) << text;
  }
}

class ParseInstantRejectTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ParseInstantRejectTest, IsNullopt) {
  const auto t = ParseInstant(GetParam());
  EXPECT_FALSE(t.has_value()) << "accepted as " << Show(t);
}

INSTANTIATE_TEST_SUITE_P(Table, ParseInstantRejectTest,
                         ::testing::Values(
                             // Empty and date only.
                             "", "2026-12-06", "2026-12-06T",
                             // No zone: a local time the server would have to guess.
                             "2026-12-06T10:15:00", "2026-12-06T10:15:00.5",
                             // Not a calendar day.
                             "2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                             "2026-00-10T00:00:00Z",
                             // Not a time of day.
                             "2026-12-06T24:00:00Z", "2026-12-06T10:60:00Z", "2026-12-06T10:15:61Z",
                             "2026-12-06T10:15Z", "2026-12-06T1:15:00Z",
                             // Trailing garbage.
                             "2026-12-06T10:15:00Zx", "2026-12-06T10:15:00Z ",
                             "2026-12-06T10:15:00ZZ", "2026-12-06T10:15:00+08:00 ",
                             "2026-12-06T10:15:00+08:00Z", "2026-12-06T10:15:00Z+08:00",
                             "2026-12-06T10:15:00+08:00:00",
                             // Leading garbage and other separators.
                             " 2026-12-06T10:15:00Z", "2026-12-06 10:15:00Z",
                             "2026/12/06T10:15:00Z", "2026-12-06T10:15:00,5Z",
                             "2026-12-06T10:15:00 +08:00", "2026-12-06T10:15:00+0800"));

// RFC 3339 offsets are ("+" / "-") 2DIGIT ":" 2DIGIT with hour 00-23 and minute 00-59, and a
// fraction has at least one digit; date::parse's %Ez / %T alone accepted all of these.
TEST(ParseInstantTest, MalformedOffsetsAndFractionsAreRejected) {
  for (const std::string text :
       {"2026-12-06T10:15:00+08", "2026-12-06T10:15:00+8:00", "2026-12-06T10:15:00+24:00",
        "2026-12-06T10:15:00+99:99", "2026-12-06T10:15:00+08:60", "2026-12-06T10:15:00.Z"}) {
    const auto t = ParseInstant(text);
    EXPECT_FALSE(t.has_value()) << text << " accepted as " << Show(t);
  }
}

}  // namespace
}  // namespace loyalty
