// Phone normalisation and masking: one person, one key, however the number was typed.
#include "loyalty/domain/phone.h"

#include <gtest/gtest.h>

#include <string>

namespace loyalty {
namespace {

TEST(NormalizePhone, ChineseMobileInEveryCommonSpellingGivesOneE164) {
  for (const char* raw : {"138 0013 8000", "+86 13800138000", "8613800138000", "+86-138-0013-8000",
                          "13800138000", "0086 138 0013 8000", "(+86) 138-0013-8000"}) {
    SCOPED_TRACE(raw);
    auto phone = NormalizePhone(raw);
    ASSERT_TRUE(phone.has_value()) << phone.error().message;
    EXPECT_EQ(*phone, "+8613800138000");
  }
}

TEST(NormalizePhone, ForeignNumberKeepsItsCountryCode) {
  auto hk = NormalizePhone("+852 5123 4567");
  ASSERT_TRUE(hk.has_value()) << hk.error().message;
  EXPECT_EQ(*hk, "+85251234567");
}

TEST(NormalizePhone, RejectsWhatIsNotAPhoneNumberAsInvalidPhoneOnFieldPhone) {
  const std::string forty_chars(40, '1');
  for (const std::string& raw :
       {std::string(), std::string("12345"), std::string("abc"), forty_chars, std::string("+1 555"),
        std::string("1380013800") /* one digit short */,
        std::string("861380013800") /* 86 + one digit short */}) {
    SCOPED_TRACE("'" + raw + "'");
    auto phone = NormalizePhone(raw);
    ASSERT_FALSE(phone.has_value()) << "accepted as " << *phone;
    EXPECT_EQ(phone.error().code, Code::kInvalidArgument);
    EXPECT_EQ(phone.error().slug, "invalid_phone");
    ASSERT_NE(phone.error().Detail("field"), nullptr);
    EXPECT_EQ(*phone.error().Detail("field"), "phone");
    EXPECT_FALSE(phone.error().message.empty());
  }
}

TEST(NormalizePhone, ErrorMessageDoesNotRepeatTheNumberInClear) {
  // Error messages end up in logs; a mistyped number is still personal data.
  auto phone = NormalizePhone("1398765432");  // one digit short of a mobile number
  ASSERT_FALSE(phone.has_value());
  EXPECT_EQ(phone.error().message.find("1398765432"), std::string::npos) << phone.error().message;
  EXPECT_EQ(phone.error().message.find("98765"), std::string::npos) << phone.error().message;
}

TEST(NormalizePhone, OtherDefaultRegionReadsNationalNumbersForThatCountry) {
  auto hk = NormalizePhone("5123 4567", "HK");
  ASSERT_TRUE(hk.has_value()) << hk.error().message;
  EXPECT_EQ(*hk, "+85251234567");
  // The same digits are no Chinese mobile number.
  EXPECT_FALSE(NormalizePhone("5123 4567").has_value());
}

TEST(MaskPhone, ChineseMobileShowsFirstThreeAndLastFourDigits) {
  EXPECT_EQ(MaskPhone("+8613800138000"), "138****8000");
}

TEST(MaskPhone, OtherCountriesKeepCountryCodeAndLastFour) {
  EXPECT_EQ(MaskPhone("+85251234567"), "852****4567");
}

TEST(MaskPhone, TooShortToMaskRevealsNothing) {
  EXPECT_EQ(MaskPhone(""), "****");
  EXPECT_EQ(MaskPhone("+12345"), "****");
}

}  // namespace
}  // namespace loyalty
