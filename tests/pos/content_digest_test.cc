// Content-Digest (RFC 9530) and the Structured Fields parser under it, including hostile input.
#include "pos-adapter/content_digest.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace loyalty::pos {
namespace {

// The body of the test request in RFC 9421 B.2 and its digests (RFC 9530 examples use the same).
constexpr std::string_view kBody = R"({"hello": "world"})";
constexpr std::string_view kSha256 = "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:";
constexpr std::string_view kSha512 =
    "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwe"
    "w==:";

std::string SlugOf(const Status& s) { return s ? "ok" : s.error().slug; }

TEST(ContentDigestTest, ComputesTheRfcValues) {
  EXPECT_EQ(ContentDigestHeader(kBody), kSha256);
  EXPECT_EQ(ContentDigestHeader(kBody, /*with_sha512=*/true),
            std::string(kSha256) + ", " + std::string(kSha512));
}

TEST(ContentDigestTest, AcceptsMatchingDigests) {
  EXPECT_TRUE(VerifyContentDigest(kSha256, kBody));
  EXPECT_TRUE(VerifyContentDigest(kSha512, kBody));  // what RFC 9421 B.2 sends
  EXPECT_TRUE(VerifyContentDigest(std::string(kSha512) + ", " + std::string(kSha256), kBody));
  EXPECT_TRUE(VerifyContentDigest(ContentDigestHeader(""), ""));
}

TEST(ContentDigestTest, RejectsABodyThatDiffers) {
  const std::string tampered = R"({"hello": "World"})";
  EXPECT_EQ(SlugOf(VerifyContentDigest(kSha256, tampered)), "content_digest_mismatch");
  EXPECT_EQ(SlugOf(VerifyContentDigest(kSha512, tampered)), "content_digest_mismatch");
  EXPECT_EQ(SlugOf(VerifyContentDigest(kSha256, "")), "content_digest_mismatch");
  // Both listed: each must match; a right sha-256 does not excuse a wrong sha-512.
  const std::string mixed =
      std::string(kSha256) + ", " +
      ContentDigestHeader("x", true).substr(ContentDigestHeader("x").size() + 2);
  EXPECT_EQ(SlugOf(VerifyContentDigest(mixed, kBody)), "content_digest_mismatch");
  auto error = VerifyContentDigest(kSha256, tampered).error();
  EXPECT_EQ(error.code, Code::kInvalidArgument);
  ASSERT_NE(error.Detail("field"), nullptr);
  EXPECT_EQ(*error.Detail("field"), "Content-Digest");
}

TEST(ContentDigestTest, MissingHeaderHasItsOwnSlug) {
  EXPECT_EQ(SlugOf(VerifyContentDigest("", kBody)), "missing_content_digest");
  EXPECT_EQ(SlugOf(VerifyContentDigest(" \t ", kBody)), "missing_content_digest");
}

TEST(ContentDigestTest, IgnoresUnknownAlgorithmsButNeedsOneOfOurs) {
  const std::string with_md5 = "md5=:AAAAAAAAAAAAAAAAAAAAAA==:, " + std::string(kSha256);
  EXPECT_TRUE(VerifyContentDigest(with_md5, kBody));
  EXPECT_EQ(SlugOf(VerifyContentDigest("md5=:AAAAAAAAAAAAAAAAAAAAAA==:", kBody)),
            "unsupported_content_digest");
  EXPECT_EQ(SlugOf(VerifyContentDigest("unixsum=?1", kBody)), "unsupported_content_digest");
}

TEST(ContentDigestTest, ToleratesParametersAndWhitespace) {
  EXPECT_TRUE(VerifyContentDigest("  " + std::string(kSha256) + ";note=\"x\"  ", kBody));
  EXPECT_TRUE(VerifyContentDigest(
      "sha-512=:" + std::string(kSha512.substr(9)) + " ,\t" + std::string(kSha256), kBody));
}

TEST(ContentDigestTest, MalformedValuesAreRejectedWithoutCrashing) {
  const std::string huge(sf::kMaxFieldBytes + 1, 'a');
  const std::string cases[] = {
      "sha-256",                                                   // bare key: boolean, not bytes
      "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",      // token, not :bytes:
      "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",     // unterminated
      "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWx:",                // 24 bytes, not 32
      "sha-256=:!!!!:",                                            // not base64
      "sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"",  // string
      "sha-256=(:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:)",  // inner list
      std::string(kSha256) + ",",                                  // trailing comma
      std::string(kSha256) + " x",                                 // junk after a member
      "SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",    // keys are lower case
      "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:;",   // empty parameter
      "\xe6\x91\x98\xe8\xa6\x81=:AA==:",                           // non-ASCII key
      "a=\"unbalanced",
      "a=\"bad \\n escape\"",
      std::string("a=\"nul\0\"", 8),
      "=:AA==:",
      huge,
  };
  for (const std::string& value : cases) {
    auto result = VerifyContentDigest(value, kBody);
    ASSERT_FALSE(result) << value;
    EXPECT_EQ(result.error().slug, "malformed_content_digest") << value;
    EXPECT_EQ(result.error().code, Code::kInvalidArgument) << value;
    EXPECT_FALSE(result.error().message.empty());
  }
}

TEST(StructuredFieldsTest, ParsesEveryItemType) {
  auto dict = sf::ParseDictionary(
      R"(a=1, b=-42;p, c=3.14, d="q\"uo\\te", e=tok/en:1, f=:aGk=:, g=?0, h, i=("x" y);z=2)", "T",
      "bad");
  ASSERT_TRUE(dict) << dict.error().message;
  ASSERT_EQ(dict->size(), 9u);
  const auto& d = *dict;
  EXPECT_EQ(d[0].second.item.integer, 1);
  EXPECT_EQ(d[1].second.item.integer, -42);
  ASSERT_NE(sf::FindParameter(d[1].second.params, "p"), nullptr);
  EXPECT_EQ(d[2].second.item.type, sf::Item::Type::kDecimal);
  EXPECT_EQ(d[2].second.item.text, "3.14");
  EXPECT_EQ(d[3].second.item.text, "q\"uo\\te");
  EXPECT_EQ(d[4].second.item.type, sf::Item::Type::kToken);
  EXPECT_EQ(d[4].second.item.text, "tok/en:1");
  EXPECT_EQ(d[5].second.item.text, "hi");
  EXPECT_FALSE(d[6].second.item.boolean);
  EXPECT_TRUE(d[7].second.item.boolean);
  EXPECT_TRUE(d[8].second.is_inner_list);
  ASSERT_EQ(d[8].second.list.size(), 2u);
  EXPECT_EQ(sf::SerializeInnerList(d[8].second.list, d[8].second.params), R"(("x" y);z=2)");
  EXPECT_EQ(sf::SerializeItem(d[3].second.item), R"("q\"uo\\te")");
}

TEST(StructuredFieldsTest, RepeatedKeysOverwriteInPlace) {
  auto dict = sf::ParseDictionary("a=1, b=2, a=3", "T", "bad");
  ASSERT_TRUE(dict);
  ASSERT_EQ(dict->size(), 2u);
  EXPECT_EQ((*dict)[0].first, "a");
  EXPECT_EQ((*dict)[0].second.item.integer, 3);
}

TEST(StructuredFieldsTest, EnforcesNumberLimits) {
  EXPECT_TRUE(sf::ParseDictionary("a=999999999999999", "T", "bad"));
  EXPECT_FALSE(sf::ParseDictionary("a=9999999999999999", "T", "bad"));
  EXPECT_FALSE(sf::ParseDictionary("a=1.2345", "T", "bad"));
  EXPECT_FALSE(sf::ParseDictionary("a=1.", "T", "bad"));
  EXPECT_FALSE(sf::ParseDictionary("a=-", "T", "bad"));
}

TEST(StructuredFieldsTest, ErrorsNameTheFieldAndOffset) {
  auto dict = sf::ParseDictionary("a=(\"x\"", "Signature-Input", "malformed_signature");
  ASSERT_FALSE(dict);
  EXPECT_EQ(dict.error().slug, "malformed_signature");
  EXPECT_NE(dict.error().message.find("Signature-Input"), std::string::npos);
  EXPECT_NE(dict.error().message.find("offset"), std::string::npos);
}

TEST(StructuredFieldsTest, Base64RoundTripsAndAcceptsMissingPadding) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    auto decoded = sf::Base64Decode(sf::Base64Encode(s));
    ASSERT_TRUE(decoded) << s;
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_EQ(sf::Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(sf::Base64Decode("Zm9vYg").value_or("?"), "foob");
  EXPECT_FALSE(sf::Base64Decode("Zm9vY"));     // a length no encoding produces
  EXPECT_FALSE(sf::Base64Decode("Zm=9vYg="));  // padding in the middle
  EXPECT_FALSE(sf::Base64Decode("Zm9vYg==="));
  EXPECT_FALSE(sf::Base64Decode("Zm9v-_=="));  // the URL alphabet is not sf's
}

// Deterministic stand-in for the fuzz target in unit runs: random header-ish bytes never crash
// the parser and never produce anything but an invalid-argument error or a value.
TEST(StructuredFieldsTest, RandomInputNeverCrashes) {
  std::mt19937 rng(9530);
  const std::string alphabet = "azAZ09-_.*=,;:()\"\\?/ \t+\x01\x7f\xc3\xa9";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 64, ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    auto dict = sf::ParseDictionary(s, "T", "bad");
    if (!dict) {
      EXPECT_EQ(dict.error().code, Code::kInvalidArgument);
    }
    auto digest = ParseContentDigest(s);
    if (!digest) {
      EXPECT_EQ(digest.error().code, Code::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace loyalty::pos
