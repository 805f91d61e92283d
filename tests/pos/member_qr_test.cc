// Member QR tokens: format, the one-step window either way, tampering and hostile scans.
#include "pos-adapter/member_qr.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace loyalty::pos {
namespace {

using std::chrono::seconds;

constexpr std::string_view kKey = "member-qr-test-key-0123456789";
constexpr std::string_view kMember =
    "3f9c0a1b2c3d4e5f60718293";        // the shape RandomSource::NewId makes
constexpr int64_t kStep = 58'960'000;  // 2026-01-19T05:20:00Z, a step start
constexpr int64_t kStepStart = kStep * kMemberQrStepSeconds;

Instant At(int64_t unix_seconds) { return Instant(seconds(unix_seconds)); }

std::string Issue(int64_t at, std::string_view member = kMember) {
  auto token = IssueMemberQrToken(kKey, member, At(at));
  EXPECT_TRUE(token) << token.error().message;
  return token.value_or("");
}

std::string SlugOf(const Result<MemberQrClaim>& r) { return r ? "ok" : r.error().slug; }

TEST(MemberQrTest, TokenLayout) {
  const std::string token = Issue(kStepStart + 7);
  EXPECT_TRUE(std::regex_match(token, std::regex(R"(M1\.[0-9a-f]{24}\.58960000\.[A-Z2-7]{16})")))
      << token;
  // Deterministic: the same member in the same step gets the same token.
  EXPECT_EQ(Issue(kStepStart + 29), token);
  EXPECT_NE(Issue(kStepStart + 30), token);
  EXPECT_NE(Issue(kStepStart, "another-member"), token);
}

TEST(MemberQrTest, VerifiesAndReturnsTheMember) {
  auto claim = VerifyMemberQrToken(kKey, Issue(kStepStart), At(kStepStart + 3));
  ASSERT_TRUE(claim) << claim.error().message;
  EXPECT_EQ(claim->member_id, kMember);
  EXPECT_EQ(claim->step, kStep);
}

TEST(MemberQrTest, WindowIsOneStepEitherWay) {
  const std::string token = Issue(kStepStart + 12);  // step kStep
  // Previous step's token still works through the whole next step...
  EXPECT_TRUE(VerifyMemberQrToken(kKey, token, At(kStepStart + 30)));
  EXPECT_TRUE(VerifyMemberQrToken(kKey, token, At(kStepStart + 59)));
  // ...and not a second later: a screenshot is dead at most 60 s after the step began.
  auto expired = VerifyMemberQrToken(kKey, token, At(kStepStart + 60));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().slug, "expired_qr_token");
  EXPECT_EQ(expired.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(SlugOf(VerifyMemberQrToken(kKey, token, At(kStepStart + 3600))), "expired_qr_token");

  // A server whose clock is one step behind the issuer still accepts it; two steps is too far.
  EXPECT_TRUE(VerifyMemberQrToken(kKey, token, At(kStepStart - 30)));
  EXPECT_TRUE(VerifyMemberQrToken(kKey, token, At(kStepStart - 1)));
  EXPECT_EQ(SlugOf(VerifyMemberQrToken(kKey, token, At(kStepStart - 31))), "invalid_qr_token");

  // Sub-second precision of the injected instant does not move the edges.
  EXPECT_TRUE(
      VerifyMemberQrToken(kKey, token, At(kStepStart + 59) + std::chrono::microseconds(999'999)));
}

TEST(MemberQrTest, StepsFloorBeforeTheEpoch) {
  EXPECT_EQ(MemberQrStep(At(0)), 0);
  EXPECT_EQ(MemberQrStep(At(29)), 0);
  EXPECT_EQ(MemberQrStep(At(30)), 1);
  EXPECT_EQ(MemberQrStep(At(-1)), -1);
  EXPECT_EQ(MemberQrStep(At(-30)), -1);
  EXPECT_EQ(MemberQrStep(At(-31)), -2);
}

TEST(MemberQrTest, TamperedTokensAreInvalid) {
  const std::string token = Issue(kStepStart);
  const Instant now = At(kStepStart);
  const size_t tag_at = token.size() - kMemberQrTagChars;
  const size_t step_at = token.find(".58960000.") + 1;

  std::string other_member = token;
  other_member[3] = other_member[3] == 'a' ? 'b' : 'a';
  std::string later_step = token;
  later_step.replace(step_at, 8, "58960001");  // try to extend a screenshot's life
  std::string flipped_tag = token;
  flipped_tag[tag_at] = flipped_tag[tag_at] == 'A' ? 'B' : 'A';
  std::string lower_tag = token;
  for (size_t i = tag_at; i < lower_tag.size(); ++i) lower_tag[i] = std::tolower(lower_tag[i]);

  for (const std::string& t : {other_member, later_step, flipped_tag, lower_tag}) {
    auto claim = VerifyMemberQrToken(kKey, t, now);
    ASSERT_FALSE(claim) << t;
    EXPECT_EQ(claim.error().slug, "invalid_qr_token") << t;
    EXPECT_EQ(claim.error().code, Code::kInvalidArgument);
    ASSERT_NE(claim.error().Detail("field"), nullptr);
    EXPECT_EQ(*claim.error().Detail("field"), "qr_token");
  }
  // Another chain's (or a rotated) key.
  EXPECT_EQ(SlugOf(VerifyMemberQrToken("some-other-key-0123456789", token, now)),
            "invalid_qr_token");
  // A forged old token is "invalid", never "expired": only genuine tokens are told apart.
  std::string old_forged = token;
  old_forged.replace(step_at, 8, "58950000");
  EXPECT_EQ(SlugOf(VerifyMemberQrToken(kKey, old_forged, now)), "invalid_qr_token");
}

TEST(MemberQrTest, BadInputIsInvalidNotACrash) {
  const std::string token = Issue(kStepStart);
  const std::string cases[] = {
      "",
      "M1.",
      "M1..",
      "M1...",
      "M1.abc",
      "M1.abc.58960000",
      "M1.abc.58960000.",
      "M1..58960000.AAAAAAAAAAAAAAAA",
      "M1.abc..AAAAAAAAAAAAAAAA",
      "M1.abc.058960000.AAAAAAAAAAAAAAAA",      // leading zero
      "M1.abc.-1.AAAAAAAAAAAAAAAA",             // negative step
      "M1.abc.5896x000.AAAAAAAAAAAAAAAA",       //
      "M1.abc.9999999999999.AAAAAAAAAAAAAAAA",  // 13 digits
      "M1.ab.c.58960000.AAAAAAAAAAAAAAAA",
      "M1.\xe5\xbc\xa0\xe4\xbc\x9f.58960000.AAAAAAAAAAAAAAAA",  // non-ASCII member id
      "M1.abc.58960000.AAAAAAAAAAAAAAA",                        // 15-char tag
      "M1.abc.58960000.AAAAAAAAAAAAAAAAA",                      // 17-char tag
      "M2" + token.substr(2),
      "m1" + token.substr(2),
      token + ".",
      token + " ",
      " " + token,
      token.substr(0, token.size() - 1),
      std::string("M1.abc.58960000.AAAAAAAAAAAAAAA\0", 32),
      "M1." + std::string(65, 'a') + ".58960000.AAAAAAAAAAAAAAAA",
      std::string(1 << 20, 'M'),
      "13800138000",  // a phone number scanned into the wrong field
  };
  for (const std::string& t : cases) {
    auto claim = VerifyMemberQrToken(kKey, t, At(kStepStart));
    ASSERT_FALSE(claim) << t.substr(0, 80);
    EXPECT_EQ(claim.error().slug, "invalid_qr_token") << t.substr(0, 80);
  }
}

TEST(MemberQrTest, KeyAndMemberIdAreChecked) {
  EXPECT_EQ(IssueMemberQrToken("short", kMember, At(kStepStart)).error().slug, "qr_key_missing");
  EXPECT_EQ(SlugOf(VerifyMemberQrToken("", Issue(kStepStart), At(kStepStart))), "qr_key_missing");
  for (std::string_view bad : {std::string_view(""), std::string_view("a.b"),
                               std::string_view("has space"), std::string_view("\xe5\xbc\xa0")}) {
    auto token = IssueMemberQrToken(kKey, bad, At(kStepStart));
    ASSERT_FALSE(token) << bad;
    EXPECT_EQ(token.error().slug, "invalid_member_id");
  }
  EXPECT_FALSE(IssueMemberQrToken(kKey, std::string(65, 'a'), At(kStepStart)));
  EXPECT_TRUE(IssueMemberQrToken(kKey, std::string(64, 'a'), At(kStepStart)));
}

}  // namespace
}  // namespace loyalty::pos
