// Member enrolment, edit and erasure rules (domain/member.*): what a cashier or the portal may
// send, what is stored, and what is refused with which field named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loyalty/domain/email.h"
#include "loyalty/domain/member.h"

namespace loyalty {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr date::year_month_day kToday{date::year{2026}, date::month{3}, date::day{1}};

EnrolRequest ValidRequest() {
  EnrolRequest r;
  r.phone = "138 0013 8000";
  r.name = "张伟";
  return r;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Expects `result` to be an invalid-argument error with this slug naming this field.
template <typename T>
void ExpectFieldError(const Result<T>& result, const std::string& slug, const std::string& field) {
  ASSERT_FALSE(result.has_value()) << "accepted";
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_EQ(result.error().slug, slug);
  ASSERT_NE(result.error().Detail("field"), nullptr);
  EXPECT_EQ(*result.error().Detail("field"), field);
  EXPECT_FALSE(result.error().message.empty());
}

Result<Member> EnrolWithName(const std::string& name) {
  EnrolRequest r = ValidRequest();
  r.name = name;
  return NewMember(r, kToday);
}

Result<Member> EnrolWithBirthday(const std::string& birthday) {
  EnrolRequest r = ValidRequest();
  r.birthday = birthday;
  return NewMember(r, kToday);
}

Member Enrolled() {
  EnrolRequest r = ValidRequest();
  r.email = "zhang.wei@example.com";
  r.birthday = "1990-05-17";
  r.home_store_id = "sh-001";
  r.consents.email = true;
  auto m = NewMember(r, kToday);
  EXPECT_TRUE(m.has_value());
  m->member_id = "m1";
  m->card_no = "1234567890123452";
  m->version = 3;
  return *m;
}

// ---------------------------------------------------------------------------------------------
// NewMember

TEST(NewMember, NormalisesEveryFieldOfAValidRequest) {
  EnrolRequest r;
  r.phone = "+86-138-0013-8000";
  r.email = "  Zhang.Wei@Example.COM ";
  r.name = "  张伟\t";
  r.birthday = "1990-05-17";
  r.home_store_id = "SH_001-a";
  r.consents.sms = true;
  r.consents.wechat = true;
  auto m = NewMember(r, kToday);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->phone, "+8613800138000");
  EXPECT_EQ(m->email, "zhang.wei@example.com");
  EXPECT_EQ(m->name, "张伟");
  EXPECT_EQ(m->birthday, (date::year{1990} / 5 / 17));
  EXPECT_EQ(m->home_store_id, "SH_001-a");
  EXPECT_TRUE(m->consents.sms);
  EXPECT_FALSE(m->consents.email);
  EXPECT_TRUE(m->consents.wechat);
  EXPECT_EQ(m->status, MemberStatus::kActive);
  EXPECT_EQ(m->tier, "base");
}

TEST(NewMember, OptionalFieldsMayBeAbsentOrEmpty) {
  EnrolRequest r = ValidRequest();
  r.email = "";
  r.birthday = "";
  auto m = NewMember(r, kToday);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_FALSE(m->email.has_value());
  EXPECT_FALSE(m->birthday.has_value());
  EXPECT_FALSE(m->home_store_id.has_value());
  EXPECT_FALSE(m->consents.sms || m->consents.email || m->consents.wechat);
}

TEST(NewMember, BadPhoneIsRefusedOnFieldPhone) {
  EnrolRequest r = ValidRequest();
  r.phone = "12345";
  ExpectFieldError(NewMember(r, kToday), "invalid_phone", "phone");
  r.phone = "";
  ExpectFieldError(NewMember(r, kToday), "invalid_phone", "phone");
}

TEST(NewMember, NameIsRequired) {
  for (const char* name : {"", " ", "\t  \t"}) {
    SCOPED_TRACE(std::string("'") + name + "'");
    ExpectFieldError(EnrolWithName(name), "invalid_name", "name");
  }
}

TEST(NewMember, NameOfFortyChineseCharactersFitsFortyOneDoNot) {
  auto forty = EnrolWithName(Repeat("张", 40));
  ASSERT_TRUE(forty.has_value()) << forty.error().message;
  EXPECT_EQ(forty->name, Repeat("张", 40));
  // Surrounding blanks do not count.
  EXPECT_TRUE(EnrolWithName("  " + Repeat("张", 40) + " ").has_value());
  ExpectFieldError(EnrolWithName(Repeat("张", 41)), "invalid_name", "name");
}

TEST(NewMember, AcceptsNamesFromManyScripts) {
  for (const char* name : {"张伟", "José García", "O'Brien-Smith", "Zoë", "김민준", "Иван", "محمد",
                           "王小明 Alex", "😀"}) {
    SCOPED_TRACE(name);
    auto m = EnrolWithName(name);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->name, name);
  }
}

TEST(NewMember, NameThatIsNotUtf8IsRefused) {
  for (const std::string& name : {
           std::string("\xff"),          // never valid in UTF-8
           std::string("Zhang\xc3"),     // two-byte sequence cut off at the end
           std::string("\xe5\xbc"),      // three-byte sequence cut off (from 张)
           std::string("\xf0\x9f\x98"),  // four-byte sequence cut off (from 😀)
           std::string("a\x80"
                       "b"),                     // continuation byte without a lead
           std::string("\xc3(abc"),              // lead byte followed by a non-continuation
           std::string("\xf8\x88\x80\x80\x80"),  // five-byte form, not UTF-8
           std::string("\xe4\xb8\xad\xe6\x96"),  // 中 then a cut-off 文
       }) {
    SCOPED_TRACE(::testing::PrintToString(name));
    ExpectFieldError(EnrolWithName(name), "invalid_name", "name");
  }
}

// RFC 3629 §3-4: overlong forms, UTF-16 surrogates and code points above U+10FFFF are not UTF-8.
// Accepting them stores a name that JSON encoders (nlohmann::json::dump, browsers) refuse to
// serialise, so every later read of that member would fail.
TEST(NewMember, NameWithOverlongSurrogateOrOutOfRangeSequenceIsRefused) {
  for (const std::string& name : {
           std::string("\xc0\x80"),          // overlong NUL
           std::string("\xc1\xbf"),          // overlong '\x7f'
           std::string("\xe0\x80\xaf"),      // overlong '/'
           std::string("\xed\xa0\x80"),      // U+D800, a UTF-16 surrogate
           std::string("\xf4\x90\x80\x80"),  // U+110000, beyond Unicode
           std::string("\xf5\x80\x80\x80"),  // lead byte above F4
       }) {
    SCOPED_TRACE(::testing::PrintToString(name));
    ExpectFieldError(EnrolWithName("Zhang " + name), "invalid_name", "name");
  }
}

TEST(NewMember, NameWithControlCharactersIsRefused) {
  for (const std::string& name :
       {std::string("Zhang\nWei"), std::string("Zhang\rWei"), std::string("\x1b[31mRed"),
        std::string("a\x7f"), std::string("Zhang\0Wei", 9), std::string("Zhang\x01")}) {
    SCOPED_TRACE(::testing::PrintToString(name));
    ExpectFieldError(EnrolWithName(name), "invalid_name", "name");
  }
}

// U+0080..U+009F are control characters too (Unicode category Cc), e.g. U+0085 NEXT LINE which
// some log viewers and CSV exports treat as a line break.
TEST(NewMember, NameWithC1ControlCharactersIsRefused) {
  for (const std::string& name : {std::string("Zhang\xc2\x85Wei"), std::string("\xc2\x80"),
                                  std::string("Zhang\xc2\x9b[31m")}) {
    SCOPED_TRACE(::testing::PrintToString(name));
    ExpectFieldError(EnrolWithName(name), "invalid_name", "name");
  }
}

TEST(NewMember, BirthdayMustBeARealPastDateSince1900) {
  for (const char* bad : {"2026-02-30", "2023-02-29", "1899-12-31", "2026-03-02" /* tomorrow */,
                          "2027-01-01", "2026-13-01", "2026-00-10", "1990-5-17", "1990/05/17",
                          "17.05.1990", "abcd-ef-gh", "1990-05-17T00:00:00Z", " 1990-05-17"}) {
    SCOPED_TRACE(bad);
    ExpectFieldError(EnrolWithBirthday(bad), "invalid_birthday", "birthday");
  }
}

TEST(NewMember, BirthdayEdgesThatAreValid) {
  for (const char* good :
       {"2024-02-29", "2000-02-29", "1900-01-01", "2026-03-01" /* today */, "2026-02-28"}) {
    SCOPED_TRACE(good);
    auto m = EnrolWithBirthday(good);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    ASSERT_TRUE(m->birthday.has_value());
  }
  EXPECT_EQ(EnrolWithBirthday("2024-02-29")->birthday, (date::year{2024} / 2 / 29));
}

TEST(NewMember, EmailIsNormalisedToLowerCase) {
  EnrolRequest r = ValidRequest();
  r.email = "ZHANG.Wei@EXAMPLE.Com";
  auto m = NewMember(r, kToday);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->email, "zhang.wei@example.com");
}

TEST(NewMember, ImplausibleEmailIsRefusedOnFieldEmail) {
  for (const std::string& bad :
       {std::string("zhang.wei"), std::string("@example.com"), std::string("zhang@"),
        std::string("zhang@example"), std::string("zhang@@example.com"),
        std::string("a@b@example.com"), std::string("zhang@example.com."),
        std::string("zhang wei@example.com"), std::string("zhang@.com"),
        std::string("zhang\n@example.com"), std::string("a@") + std::string(260, 'b') + ".com"}) {
    SCOPED_TRACE(bad);
    EnrolRequest r = ValidRequest();
    r.email = bad;
    ExpectFieldError(NewMember(r, kToday), "invalid_email", "email");
  }
}

TEST(NewMember, HomeStoreIdMustBeAShortPlainIdentifier) {
  for (const std::string& bad :
       {std::string(""), std::string(33, 'a'), std::string("sh 001"), std::string("sh/001"),
        std::string("上海1"), std::string("sh-001;DROP")}) {
    SCOPED_TRACE(bad);
    EnrolRequest r = ValidRequest();
    r.home_store_id = bad;
    ExpectFieldError(NewMember(r, kToday), "invalid_store_id", "home_store_id");
  }
  EnrolRequest r = ValidRequest();
  r.home_store_id = std::string(32, 'a');
  EXPECT_TRUE(NewMember(r, kToday).has_value());
}

// ---------------------------------------------------------------------------------------------
// ApplyPatch

TEST(ApplyPatch, EmptyPatchIsRefused) {
  Member m = Enrolled();
  auto changed = ApplyPatch(m, MemberPatch{}, kToday);
  ASSERT_FALSE(changed.has_value());
  EXPECT_EQ(changed.error().code, Code::kInvalidArgument);
  EXPECT_EQ(changed.error().slug, "empty_patch");
}

TEST(ApplyPatch, ErasedMemberCannotBeEdited) {
  Member m = Enrolled();
  Anonymise(m);
  MemberPatch p;
  p.name = "Someone Else";
  auto changed = ApplyPatch(m, p, kToday);
  ASSERT_FALSE(changed.has_value());
  EXPECT_EQ(changed.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(changed.error().slug, "member_erased");
  EXPECT_EQ(m.name, "");
  // Also when the patch is empty: the member's state is the more useful answer.
  EXPECT_EQ(ApplyPatch(m, MemberPatch{}, kToday).error().slug, "member_erased");
}

TEST(ApplyPatch, ChangesOnlyTheFieldsSentAndNormalisesThem) {
  Member m = Enrolled();
  MemberPatch p;
  p.phone = "+86 139 0013 9000";
  p.name = " 李娜 ";
  auto changed = ApplyPatch(m, p, kToday);
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_THAT(*changed, IsEmpty());
  EXPECT_EQ(m.phone, "+8613900139000");
  EXPECT_EQ(m.name, "李娜");
  EXPECT_EQ(m.email, "zhang.wei@example.com");
  EXPECT_EQ(m.birthday, (date::year{1990} / 5 / 17));
  EXPECT_EQ(m.home_store_id, "sh-001");
  EXPECT_TRUE(m.consents.email);
  EXPECT_EQ(m.member_id, "m1");
  EXPECT_EQ(m.card_no, "1234567890123452");
}

TEST(ApplyPatch, ReportsExactlyTheConsentsThatChanged) {
  Member m = Enrolled();  // sms off, email on, wechat off
  MemberPatch p;
  p.consent_sms = true;      // changes
  p.consent_email = true;    // already on
  p.consent_wechat = false;  // already off
  auto changed = ApplyPatch(m, p, kToday);
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_THAT(*changed, ElementsAre(ConsentChannel::kSms));
  EXPECT_TRUE(m.consents.sms);
  EXPECT_TRUE(m.consents.email);
  EXPECT_FALSE(m.consents.wechat);

  MemberPatch all;
  all.consent_sms = false;
  all.consent_email = false;
  all.consent_wechat = true;
  changed = ApplyPatch(m, all, kToday);
  ASSERT_TRUE(changed.has_value());
  EXPECT_THAT(*changed,
              ElementsAre(ConsentChannel::kSms, ConsentChannel::kEmail, ConsentChannel::kWechat));
  EXPECT_FALSE(m.consents.sms);
  EXPECT_FALSE(m.consents.email);
  EXPECT_TRUE(m.consents.wechat);
}

TEST(ApplyPatch, EmptyEmailRemovesItAndEmptyBirthdayRemovesIt) {
  Member m = Enrolled();
  MemberPatch p;
  p.email = "";
  p.birthday = "";
  ASSERT_TRUE(ApplyPatch(m, p, kToday).has_value());
  EXPECT_FALSE(m.email.has_value());
  EXPECT_FALSE(m.birthday.has_value());
}

TEST(ApplyPatch, NewEmailIsNormalised) {
  Member m = Enrolled();
  MemberPatch p;
  p.email = " Li.Na@Example.CN ";
  ASSERT_TRUE(ApplyPatch(m, p, kToday).has_value());
  EXPECT_EQ(m.email, "li.na@example.cn");
}

TEST(ApplyPatch, OneBadFieldRefusesTheWholePatchAndChangesNothing) {
  Member m = Enrolled();
  const Member before = m;
  MemberPatch p;
  p.name = "李娜";
  p.consent_sms = true;
  p.birthday = "2026-03-02";  // tomorrow
  ExpectFieldError(ApplyPatch(m, p, kToday), "invalid_birthday", "birthday");
  EXPECT_EQ(m.name, before.name);
  EXPECT_EQ(m.consents.sms, before.consents.sms);
  EXPECT_EQ(m.birthday, before.birthday);

  MemberPatch bad_phone;
  bad_phone.phone = "12345";
  bad_phone.email = "new@example.com";
  ExpectFieldError(ApplyPatch(m, bad_phone, kToday), "invalid_phone", "phone");
  EXPECT_EQ(m.phone, before.phone);
  EXPECT_EQ(m.email, before.email);

  MemberPatch bad_name;
  bad_name.name = "";
  ExpectFieldError(ApplyPatch(m, bad_name, kToday), "invalid_name", "name");
  EXPECT_EQ(m.name, before.name);
}

// ---------------------------------------------------------------------------------------------
// Anonymise

TEST(Anonymise, RemovesPersonalDataAndConsentsButKeepsTheBooks) {
  Member m = Enrolled();
  m.consents = Consents{true, true, true};
  m.tier = "gold";
  Anonymise(m);
  EXPECT_EQ(m.status, MemberStatus::kErased);
  EXPECT_EQ(m.phone, "");
  EXPECT_FALSE(m.email.has_value());
  EXPECT_EQ(m.name, "");
  EXPECT_FALSE(m.birthday.has_value());
  EXPECT_FALSE(m.consents.sms || m.consents.email || m.consents.wechat);
  EXPECT_EQ(m.member_id, "m1");
  EXPECT_EQ(m.card_no, "1234567890123452");
  EXPECT_EQ(m.tier, "gold");
  EXPECT_EQ(m.version, 3);
}

// ---------------------------------------------------------------------------------------------
// Names shown in the API and logs

TEST(MemberNames, StatusAndConsentChannelNames) {
  EXPECT_STREQ(MemberStatusName(MemberStatus::kActive), "active");
  EXPECT_STREQ(MemberStatusName(MemberStatus::kErased), "erased");
  EXPECT_STREQ(ConsentChannelName(ConsentChannel::kSms), "sms");
  EXPECT_STREQ(ConsentChannelName(ConsentChannel::kEmail), "email");
  EXPECT_STREQ(ConsentChannelName(ConsentChannel::kWechat), "wechat");
}

TEST(MaskEmail, KeepsFirstLetterAndDomain) {
  EXPECT_EQ(MaskEmail("zhang.wei@example.com"), "z***@example.com");
  EXPECT_EQ(MaskEmail("not-an-email"), "***");
  EXPECT_EQ(MaskEmail("@example.com"), "***");
}

}  // namespace
}  // namespace loyalty
