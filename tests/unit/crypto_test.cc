// OpenSSL adapters (crypto/openssl_crypto.*): PII encryption at rest, blind indexes, scrypt staff
// passwords, master key parsing, SHA-256 and randomness.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "loyalty/crypto/openssl_crypto.h"

namespace loyalty {
namespace {

constexpr char kKeyHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr char kOtherKeyHex[] = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

MasterKey Key(const char* hex) {
  auto key = ParseMasterKey(hex);
  EXPECT_TRUE(key.has_value());
  return key.value_or(MasterKey{});
}

void ExpectCorrupt(const Result<std::string>& r) {
  ASSERT_FALSE(r.has_value()) << "decrypted to " << ::testing::PrintToString(*r);
  EXPECT_EQ(r.error().code, Code::kInternal);
  EXPECT_EQ(r.error().slug, "data_corrupt");
}

// ---------------------------------------------------------------------------------------------
// ParseMasterKey, Sha256Hex

TEST(ParseMasterKey, SixtyFourHexDigitsInAnyCase) {
  auto lower = ParseMasterKey(kKeyHex);
  ASSERT_TRUE(lower.has_value()) << lower.error().message;
  for (size_t i = 0; i < lower->size(); ++i) EXPECT_EQ(static_cast<size_t>((*lower)[i]), i);
  auto upper = ParseMasterKey("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(*upper, *lower);
}

TEST(ParseMasterKey, AnythingElseIsInvalidMasterKey) {
  const std::string good = kKeyHex;
  for (const std::string& bad : {std::string(), good.substr(0, 62), good.substr(0, 63), good + "2",
                                 good + "20", "0x" + good.substr(2), good.substr(0, 63) + "g",
                                 " " + good.substr(1), good + "\n", std::string(64, 'z')}) {
    SCOPED_TRACE("'" + bad + "'");
    auto key = ParseMasterKey(bad);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, Code::kInvalidArgument);
    EXPECT_EQ(key.error().slug, "invalid_master_key");
  }
}

TEST(Sha256Hex, KnownVectors) {
  // FIPS 180-2 appendix B.1 and the empty string.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// ---------------------------------------------------------------------------------------------
// AesGcmPiiProtector

TEST(AesGcmPiiProtector, RoundTripsAnyText) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  for (const std::string& plain :
       {std::string("+8613800138000"), std::string("张伟"), std::string("zhang.wei@example.com"),
        std::string(""), std::string("a\0b\xff\x00", 5), std::string(100000, 'x')}) {
    SCOPED_TRACE(plain.size());
    auto back = pii.Decrypt(pii.Encrypt(plain));
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, plain);
  }
}

TEST(AesGcmPiiProtector, EmptyStringViewWithoutDataRoundTrips) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  auto back = pii.Decrypt(pii.Encrypt(std::string_view()));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, "");
}

TEST(AesGcmPiiProtector, CiphertextHasTheDocumentedLayout) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  const std::string cipher = pii.Encrypt("张伟");
  EXPECT_EQ(cipher.size(), 1 + 12 + std::string("张伟").size() + 16);
  EXPECT_EQ(static_cast<uint8_t>(cipher[0]), 0x01);
}

TEST(AesGcmPiiProtector, EncryptingTheSameValueTwiceGivesDifferentCiphertexts) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(pii.Encrypt("+8613800138000"));
  EXPECT_EQ(seen.size(), 50u);
}

TEST(AesGcmPiiProtector, CiphertextDoesNotContainThePlaintext) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  for (const std::string& plain :
       {std::string("+8613800138000"), std::string("13800138000"),
        std::string("zhang.wei@example.com"), std::string("张伟"), std::string(64, 'a')}) {
    SCOPED_TRACE(plain);
    const std::string cipher = pii.Encrypt(plain);
    EXPECT_EQ(cipher.find(plain), std::string::npos);
    // Not even a recognisable piece of it.
    EXPECT_EQ(cipher.find(plain.substr(0, 4)), std::string::npos);
  }
}

TEST(AesGcmPiiProtector, AnyAlteredByteIsDetectedAsDataCorrupt) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  const std::string cipher = pii.Encrypt("+8613800138000");
  for (size_t pos = 0; pos < cipher.size(); ++pos) {
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::string tampered = cipher;
      tampered[pos] = static_cast<char>(tampered[pos] ^ flip);
      SCOPED_TRACE("byte " + std::to_string(pos) + " ^ " + std::to_string(flip));
      ExpectCorrupt(pii.Decrypt(tampered));
    }
  }
}

TEST(AesGcmPiiProtector, TruncatedOrExtendedCiphertextIsDataCorrupt) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  const std::string cipher = pii.Encrypt("zhang.wei@example.com");
  for (size_t len = 0; len < cipher.size(); ++len) {
    SCOPED_TRACE(len);
    ExpectCorrupt(pii.Decrypt(cipher.substr(0, len)));
  }
  ExpectCorrupt(pii.Decrypt(cipher + "x"));
  ExpectCorrupt(pii.Decrypt("not a ciphertext at all, just some text"));
}

TEST(AesGcmPiiProtector, OtherMasterKeyCannotDecrypt) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  AesGcmPiiProtector other(Key(kOtherKeyHex));
  ExpectCorrupt(other.Decrypt(pii.Encrypt("+8613800138000")));
  ExpectCorrupt(other.Decrypt(pii.Encrypt("")));
}

TEST(AesGcmPiiProtector, SameMasterKeyDecryptsAfterRestart) {
  const std::string cipher = AesGcmPiiProtector(Key(kKeyHex)).Encrypt("张伟");
  auto back = AesGcmPiiProtector(Key(kKeyHex)).Decrypt(cipher);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, "张伟");
}

TEST(AesGcmPiiProtector, BlindIndexIsDeterministicAcrossInstances) {
  const std::string a = AesGcmPiiProtector(Key(kKeyHex)).BlindIndex("phone", "+8613800138000");
  const std::string b = AesGcmPiiProtector(Key(kKeyHex)).BlindIndex("phone", "+8613800138000");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 32u);  // HMAC-SHA256; the schema stores it as CHAR(64) hex
}

TEST(AesGcmPiiProtector, BlindIndexDiffersByValueKindAndKey) {
  AesGcmPiiProtector pii(Key(kKeyHex));
  AesGcmPiiProtector other(Key(kOtherKeyHex));
  const std::string phone = pii.BlindIndex("phone", "+8613800138000");
  EXPECT_NE(phone, pii.BlindIndex("phone", "+8613800138001"));
  EXPECT_NE(phone, pii.BlindIndex("email", "+8613800138000"));
  EXPECT_NE(phone, other.BlindIndex("phone", "+8613800138000"));
  // The kind/value boundary cannot be shifted to forge a match.
  EXPECT_NE(pii.BlindIndex("ab", "c"), pii.BlindIndex("a", "bc"));
  // Nor is it a plain hash of the value that anyone could compute.
  EXPECT_EQ(phone.find("13800138000"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// ScryptPasswordHasher (log2_n = 10 keeps the suite fast; one test uses the production cost)

class ScryptTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { phc_ = new std::string(ScryptPasswordHasher(10).Hash(kPassword)); }
  static void TearDownTestSuite() {
    delete phc_;
    phc_ = nullptr;
  }
  static constexpr char kPassword[] = "correct horse battery staple";
  static std::string* phc_;
  ScryptPasswordHasher hasher_{10};
};
std::string* ScryptTest::phc_ = nullptr;

TEST_F(ScryptTest, HashIsAPhcStringWithCostSaltAndHash) {
  const std::string& phc = *phc_;
  EXPECT_EQ(phc.rfind("$scrypt$ln=10,r=8,p=1$", 0), 0u) << phc;
  // 16-byte salt and 32-byte hash in unpadded base64.
  EXPECT_TRUE(std::regex_match(
      phc, std::regex(R"(\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43})")))
      << phc;
  EXPECT_EQ(phc.find(kPassword), std::string::npos);
}

TEST_F(ScryptTest, VerifiesTheRightPasswordOnly) {
  EXPECT_TRUE(hasher_.Verify(kPassword, *phc_));
  for (const std::string& wrong :
       {std::string(""), std::string("correct horse battery stapl"),
        std::string("correct horse battery staple "), std::string("Correct horse battery staple"),
        std::string("correct horse battery staple").substr(1)}) {
    SCOPED_TRACE(::testing::PrintToString(wrong));
    EXPECT_FALSE(hasher_.Verify(wrong, *phc_));
  }
}

TEST_F(ScryptTest, SamePasswordHashesDifferentlyEachTime) {
  const std::string again = hasher_.Hash(kPassword);
  EXPECT_NE(again, *phc_);
  EXPECT_TRUE(hasher_.Verify(kPassword, again));
}

TEST_F(ScryptTest, VerifyReadsTheCostFromTheStoredString) {
  // A server configured with a higher cost still accepts hashes made at the old one.
  EXPECT_TRUE(ScryptPasswordHasher(12).Verify(kPassword, *phc_));
  const std::string ln11 = ScryptPasswordHasher(11).Hash(kPassword);
  EXPECT_EQ(ln11.rfind("$scrypt$ln=11,r=8,p=1$", 0), 0u);
  EXPECT_TRUE(hasher_.Verify(kPassword, ln11));
}

TEST_F(ScryptTest, MalformedStoredHashesNeverVerify) {
  const std::string& phc = *phc_;
  const size_t salt_at = phc.find('$', 8) + 1;
  const size_t hash_at = phc.find('$', salt_at) + 1;
  const std::string salt = phc.substr(salt_at, hash_at - salt_at - 1);
  const std::string hash = phc.substr(hash_at);
  auto with = [&](const std::string& params) {
    return "$scrypt$" + params + "$" + salt + "$" + hash;
  };
  ASSERT_TRUE(hasher_.Verify(kPassword, with("ln=10,r=8,p=1")));  // the pieces are right

  std::vector<std::string> bad = {
      "",
      "garbage",
      "$scrypt$",
      "$scrypt$ln=10,r=8,p=1$",
      "$scrypt$ln=10,r=8,p=1$" + salt,
      "$scrypt$ln=10,r=8,p=1$" + salt + "$",
      "$scrypt$ln=10,r=8,p=1$$" + hash,
      with("ln=40,r=8,p=1"),
      with("ln=9,r=8,p=1"),
      with("ln=21,r=8,p=1"),
      with("ln=-1,r=8,p=1"),
      with("ln=10,r=0,p=1"),
      with("ln=10,r=33,p=1"),
      with("ln=10,r=8,p=0"),
      with("ln=10,r=8,p=5"),
      with("ln=11,r=8,p=1"),  // right pieces, wrong cost
      with("ln=10,r=9,p=1"),
      "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$" + hash,
      "$scrypt$ln=10,r=8,p=1$" + salt + "$" + hash.substr(0, 42) + "!",
      "$scrypt$ln=10,r=8,p=1$" + salt + "$" + std::string(43, 'A'),
      "$scrypt$ln=10,r=8,p=1$" + std::string(salt.size(), '*') + "$" + hash,
  };
  for (const std::string& phc_bad : bad) {
    SCOPED_TRACE(phc_bad);
    EXPECT_FALSE(hasher_.Verify(kPassword, phc_bad));
  }
}

TEST_F(ScryptTest, TruncatedStoredHashNeverVerifiesEvenWithTheRightPassword) {
  // A stored hash cut short (a VARCHAR too narrow, a bad copy-paste in `admin`) must not turn
  // into a check of only its first few bytes, which any password passes with odds 1 in 2^(8*n).
  const std::string& phc = *phc_;
  std::vector<std::string> accepted;
  for (size_t len = 0; len < phc.size(); ++len) {
    if (hasher_.Verify(kPassword, phc.substr(0, len))) accepted.push_back(phc.substr(0, len));
  }
  EXPECT_THAT(accepted, ::testing::IsEmpty()) << "full hash: " << phc;
}

TEST(ScryptProductionCost, DefaultCostHashesAndVerifies) {
  // N=2^17, r=8 needs 128 MiB: proves the EVP maxmem setting lets the production cost run.
  ScryptPasswordHasher hasher;
  const std::string phc = hasher.Hash("a long enough passphrase");
  EXPECT_EQ(phc.rfind("$scrypt$ln=17,r=8,p=1$", 0), 0u) << phc;
  EXPECT_TRUE(hasher.Verify("a long enough passphrase", phc));
}

TEST(ScryptTokenDigest, IsHexSha256OfTheToken) {
  ScryptPasswordHasher hasher(10);
  EXPECT_EQ(hasher.TokenDigest("abc"), Sha256Hex("abc"));
  EXPECT_EQ(hasher.TokenDigest("abc").size(), 64u);
}

// ---------------------------------------------------------------------------------------------
// OpenSslRandom

TEST(OpenSslRandom, GivesTheBytesAskedForAndNeverRepeats) {
  OpenSslRandom random;
  EXPECT_TRUE(random.Bytes(0).empty());
  EXPECT_EQ(random.Bytes(32).size(), 32u);
  std::set<std::vector<uint8_t>> seen;
  for (int i = 0; i < 100; ++i) seen.insert(random.Bytes(16));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(OpenSslRandom, NewIdIsTwentyFourLowerCaseHexDigits) {
  OpenSslRandom random;
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = random.NewId();
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{24}"))) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

}  // namespace
}  // namespace loyalty
