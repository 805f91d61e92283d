// Member cache entries (redis/redis_member_cache.*): what goes into Redis comes back unchanged, and
// anything else found under a member key is a cache miss, never a wrong member.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "loyalty/redis/redis_member_cache.h"

namespace loyalty {
namespace {

std::string AllBytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s;
}

StoredMember Full() {
  StoredMember m;
  Member& p = m.profile;
  p.member_id = "0123456789abcdef01234567";
  p.card_no = "8123456789012349";
  p.home_store_id = "sh-001";
  p.consents = Consents{true, false, true};
  p.tier = "gold";
  p.status = MemberStatus::kActive;
  p.created_at = Instant(std::chrono::microseconds(1772330400123456));
  p.updated_at = Instant(std::chrono::microseconds(1772330499000001));
  p.version = 7;
  m.phone_cipher = std::string("\x01\x00\x00phone\xff", 9);
  m.phone_index = std::string(32, '\0');
  m.email_cipher = AllBytes();
  m.email_index = std::string("\x00\x01\x02", 3);
  m.name_cipher = std::string("\x01name\x00\x80", 7);
  m.birthday_cipher = std::string("\x00", 1);
  return m;
}

StoredMember Minimal() {
  StoredMember m;
  m.profile.member_id = "m2";
  m.profile.card_no = "1000000000000009";
  m.profile.version = 1;
  return m;
}

void ExpectSame(const StoredMember& a, const StoredMember& b) {
  EXPECT_EQ(a.profile.member_id, b.profile.member_id);
  EXPECT_EQ(a.profile.card_no, b.profile.card_no);
  EXPECT_EQ(a.profile.home_store_id, b.profile.home_store_id);
  EXPECT_EQ(a.profile.consents.sms, b.profile.consents.sms);
  EXPECT_EQ(a.profile.consents.email, b.profile.consents.email);
  EXPECT_EQ(a.profile.consents.wechat, b.profile.consents.wechat);
  EXPECT_EQ(a.profile.tier, b.profile.tier);
  EXPECT_EQ(a.profile.status, b.profile.status);
  EXPECT_EQ(a.profile.created_at, b.profile.created_at);
  EXPECT_EQ(a.profile.updated_at, b.profile.updated_at);
  EXPECT_EQ(a.profile.version, b.profile.version);
  EXPECT_EQ(a.phone_cipher, b.phone_cipher);
  EXPECT_EQ(a.phone_index, b.phone_index);
  EXPECT_EQ(a.email_cipher, b.email_cipher);
  EXPECT_EQ(a.email_index, b.email_index);
  EXPECT_EQ(a.name_cipher, b.name_cipher);
  EXPECT_EQ(a.birthday_cipher, b.birthday_cipher);
}

TEST(MemberCacheCodec, RoundTripsEveryFieldIncludingBinaryBytes) {
  const StoredMember m = Full();
  auto back = DecodeStoredMember(EncodeStoredMember(m));
  ASSERT_TRUE(back.has_value());
  ExpectSame(*back, m);
}

TEST(MemberCacheCodec, AbsentOptionalFieldsStayAbsent) {
  const StoredMember m = Minimal();
  auto back = DecodeStoredMember(EncodeStoredMember(m));
  ASSERT_TRUE(back.has_value());
  ExpectSame(*back, m);
  EXPECT_FALSE(back->email_cipher.has_value());
  EXPECT_FALSE(back->email_index.has_value());
  EXPECT_FALSE(back->birthday_cipher.has_value());
  EXPECT_FALSE(back->profile.home_store_id.has_value());
}

TEST(MemberCacheCodec, PresentButEmptyOptionalFieldsStayPresent) {
  StoredMember m = Minimal();
  m.email_cipher = "";
  m.email_index = "";
  m.birthday_cipher = "";
  m.profile.home_store_id = "";
  auto back = DecodeStoredMember(EncodeStoredMember(m));
  ASSERT_TRUE(back.has_value());
  ExpectSame(*back, m);
}

TEST(MemberCacheCodec, ErasedMemberStaysErased) {
  StoredMember m = Minimal();
  m.profile.status = MemberStatus::kErased;
  auto back = DecodeStoredMember(EncodeStoredMember(m));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->profile.status, MemberStatus::kErased);
}

TEST(MemberCacheCodec, EntryCarriesNoPlaintextPersonalData) {
  // Plain values must never reach Redis, even if a caller forgets to clear the profile.
  StoredMember m = Full();
  m.profile.phone = "+8613800138000";
  m.profile.email = "zhang.wei@example.com";
  m.profile.name = "张伟";
  m.profile.birthday = date::year{1990} / 5 / 17;
  const std::string text = EncodeStoredMember(m);
  for (const char* pii : {"13800138000", "zhang.wei", "张伟", "1990-05-17", "1990"}) {
    EXPECT_EQ(text.find(pii), std::string::npos) << pii << " in " << text;
  }
}

TEST(MemberCacheCodec, GarbageIsAMiss) {
  for (const std::string& text :
       {std::string(), std::string("not json"), std::string("{}"), std::string("[]"),
        std::string("null"), std::string("42"), std::string("\"member\""), std::string("{\"v\":1}"),
        std::string("\x00\xff", 2)}) {
    SCOPED_TRACE(::testing::PrintToString(text));
    EXPECT_FALSE(DecodeStoredMember(text).has_value());
  }
}

TEST(MemberCacheCodec, TruncatedEntryIsAMiss) {
  const std::string text = EncodeStoredMember(Full());
  for (size_t len = 0; len < text.size(); ++len) {
    ASSERT_FALSE(DecodeStoredMember(text.substr(0, len)).has_value()) << text.substr(0, len);
  }
}

TEST(MemberCacheCodec, OtherFormatVersionIsAMiss) {
  const auto good = nlohmann::json::parse(EncodeStoredMember(Full()));
  ASSERT_TRUE(DecodeStoredMember(good.dump()).has_value());
  for (const nlohmann::json& v : {nlohmann::json(0), nlohmann::json(2), nlohmann::json("1"),
                                  nlohmann::json(nullptr), nlohmann::json(1.5)}) {
    SCOPED_TRACE(v.dump());
    auto j = good;
    j["v"] = v;
    EXPECT_FALSE(DecodeStoredMember(j.dump()).has_value());
  }
  auto no_version = good;
  no_version.erase("v");
  EXPECT_FALSE(DecodeStoredMember(no_version.dump()).has_value());
}

TEST(MemberCacheCodec, WrongShapeOfAFieldIsAMiss) {
  const auto good = nlohmann::json::parse(EncodeStoredMember(Full()));
  const std::vector<std::pair<const char*, nlohmann::json>> broken = {
      {"phone_cipher", "abc"},  // odd number of hex digits
      {"name_cipher", "zz"},    // not hex
      {"email_index", 12},      // not a string
      {"member_id", 5},
      {"card_no", nullptr},
      {"consents", {1, 0, 1}},      // numbers are not booleans
      {"consents", {true, false}},  // one channel missing
      {"erased", "no"},
      {"created_us", "yesterday"},
      {"version", "seven"},
      {"tier", nlohmann::json::array()},
  };
  for (const auto& [field, value] : broken) {
    SCOPED_TRACE(std::string(field) + "=" + value.dump());
    auto j = good;
    j[field] = value;
    EXPECT_FALSE(DecodeStoredMember(j.dump()).has_value());
  }
  for (const char* required :
       {"member_id", "card_no", "phone_cipher", "phone_index", "name_cipher", "home_store_id",
        "consents", "tier", "erased", "created_us", "updated_us", "version"}) {
    SCOPED_TRACE(std::string("without ") + required);
    auto j = good;
    j.erase(required);
    EXPECT_FALSE(DecodeStoredMember(j.dump()).has_value());
  }
}

}  // namespace
}  // namespace loyalty
