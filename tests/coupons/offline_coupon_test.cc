// Offline coupons: sign/verify round trips, forgeries, typos, mixing with stored codes, fuzzing.
#include "loyalty/crypto/offline_coupon.h"

#include <gtest/gtest.h>

#include <cctype>
#include <limits>
#include <random>
#include <stdexcept>

#include "loyalty/domain/coupon_code.h"

namespace loyalty {
namespace {

constexpr std::string_view kKey = "0123456789abcdef";
constexpr std::string_view kOtherStoreKey = "0123456789abcdeg";
constexpr uint32_t kMax = std::numeric_limits<uint32_t>::max();

void ExpectRejected(const Result<OfflineCoupon>& r, Code code, const std::string& slug,
                    const std::string& what) {
  ASSERT_FALSE(r.has_value()) << what << ": accepted as " << r->definition_id << "/" << r->serial;
  EXPECT_EQ(r.error().code, code) << what;
  EXPECT_EQ(r.error().slug, slug) << what << ": " << r.error().message;
}

void ExpectInvalid(std::string_view code, const std::string& what) {
  ExpectRejected(VerifyOfflineCoupon(kKey, code), Code::kInvalidArgument, "invalid_code", what);
}

// Independently computed (Python hmac + the documented layout): a till already in a store must
// keep accepting coupons printed before an upgrade, so the layout is pinned.
TEST(OfflineCouponTest, LayoutIsPinned) {
  EXPECT_EQ(SignOfflineCoupon(kKey, 0, 0), "Z2222222222223YALLYMYWS");
  EXPECT_EQ(SignOfflineCoupon(kKey, kMax, kMax), "ZZZZZZZZZZZZZZ2ZKJHDQ53");
  EXPECT_EQ(SignOfflineCoupon(kKey, 42, 1001), "Z22222CJ2223YMM6CPVXFPS");
  EXPECT_EQ(FormatCouponCode(SignOfflineCoupon(kKey, 42, 1001)), "Z222-22CJ-2223-YMM6-CPVX-FPS");
}

TEST(OfflineCouponTest, RoundTripsEdgeValues) {
  for (uint32_t definition : {0u, 1u, 42u, kMax - 1, kMax}) {
    for (uint32_t serial : {0u, 1u, 1001u, kMax - 1, kMax}) {
      const std::string code = SignOfflineCoupon(kKey, definition, serial);
      ASSERT_EQ(code.size(), kOfflineCouponSymbols);
      ASSERT_EQ(code[0], kOfflineCouponMarker);
      const auto r = VerifyOfflineCoupon(kKey, code);
      ASSERT_TRUE(r.has_value()) << code << ": " << r.error().message;
      EXPECT_EQ(*r, (OfflineCoupon{definition, serial, code}));
    }
  }
}

TEST(OfflineCouponTest, RoundTripsRandomValuesAsPrintedOrTypedInLowerCase) {
  std::mt19937 rng(99);
  for (int i = 0; i < 5000; ++i) {
    const uint32_t definition = static_cast<uint32_t>(rng()), serial = static_cast<uint32_t>(rng());
    const std::string code = SignOfflineCoupon(kKey, definition, serial);
    std::string typed = FormatCouponCode(code);
    if (i % 2) {
      for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    ASSERT_TRUE(LooksLikeOfflineCoupon(typed)) << typed;
    const auto r = VerifyOfflineCoupon(kKey, typed);
    ASSERT_TRUE(r.has_value()) << typed << ": " << r.error().message;
    ASSERT_EQ(*r, (OfflineCoupon{definition, serial, code}));
  }
}

TEST(OfflineCouponTest, AnotherStoresKeyIsNotValidHere) {
  for (uint32_t serial : {0u, 7u, kMax}) {
    const std::string code = SignOfflineCoupon(kKey, 42, serial);
    const auto r = VerifyOfflineCoupon(kOtherStoreKey, code);
    ExpectRejected(r, Code::kPermissionDenied, "forged_code", "other store's key");
    EXPECT_NE(r.error().message.find("not valid at this store"), std::string::npos);
    EXPECT_EQ(*r.error().Detail("field"), "code");
    // The whole key counts, not a prefix of it.
    ExpectRejected(VerifyOfflineCoupon(std::string(kKey) + "x", code), Code::kPermissionDenied,
                   "forged_code", "longer key");
  }
}

TEST(OfflineCouponTest, EverySingleSymbolChangeIsATypo) {
  size_t rejected = 0;
  for (auto [definition, serial] :
       {std::pair<uint32_t, uint32_t>{0, 0}, {42, 1001}, {kMax, kMax}}) {
    const std::string code = SignOfflineCoupon(kKey, definition, serial);
    for (size_t pos = 0; pos < code.size(); ++pos) {
      for (char c : kCouponAlphabet) {
        if (c == code[pos]) continue;
        std::string typo = code;
        typo[pos] = c;
        // The check symbol catches all of them before the MAC is even computed.
        ExpectInvalid(typo, "substitution at " + std::to_string(pos));
        ++rejected;
      }
      for (char c : {'0', 'O', '1', 'I'}) {
        std::string typo = code;
        typo[pos] = c;
        const auto r = VerifyOfflineCoupon(kKey, typo);
        ExpectRejected(r, Code::kInvalidArgument, "invalid_code", "ambiguous character");
        EXPECT_NE(r.error().message.find("never use"), std::string::npos);
      }
    }
  }
  EXPECT_EQ(rejected, 3u * 23 * 31);
}

TEST(OfflineCouponTest, EveryAdjacentTranspositionIsATypo) {
  const std::string code = SignOfflineCoupon(kKey, 42, 1001);
  for (size_t pos = 0; pos + 1 < code.size(); ++pos) {
    if (code[pos] == code[pos + 1]) continue;
    std::string typo = code;
    std::swap(typo[pos], typo[pos + 1]);
    ExpectInvalid(typo, "transposition at " + std::to_string(pos));
  }
}

// An attacker who knows the layout changes the ids and recomputes the public check symbol: only
// the MAC stands in the way, for every payload symbol and value.
TEST(OfflineCouponTest, AlteredPayloadWithARecomputedCheckIsForged) {
  const std::string code = SignOfflineCoupon(kKey, 42, 1001);
  size_t forged = 0;
  for (size_t pos = 1; pos + 1 < code.size(); ++pos) {
    for (char c : kCouponAlphabet) {
      if (c == code[pos]) continue;
      std::string altered = code.substr(0, code.size() - 1);
      altered[pos] = c;
      altered += CouponCheckSymbol(altered, CouponCheckDomain::kOffline);
      ExpectRejected(VerifyOfflineCoupon(kKey, altered), Code::kPermissionDenied, "forged_code",
                     "payload symbol " + std::to_string(pos));
      ++forged;
    }
  }
  EXPECT_EQ(forged, 21u * 31);
}

TEST(OfflineCouponTest, TruncatedOrExtendedCodesAreInvalid) {
  const std::string code = SignOfflineCoupon(kKey, 42, 1001);
  for (size_t pos = 0; pos < code.size(); ++pos) {
    std::string shorter = code;
    shorter.erase(pos, 1);
    ExpectInvalid(shorter, "symbol " + std::to_string(pos) + " left out");
    for (char c : {'2', 'Z', 'A'}) {
      std::string longer = code;
      longer.insert(pos, 1, c);
      ExpectInvalid(longer, "extra symbol at " + std::to_string(pos));
    }
  }
  ExpectInvalid(code + "2", "extra symbol at the end");
  ExpectInvalid(code.substr(0, 20), "last three left out");
  ExpectInvalid("", "empty");
  ExpectInvalid(std::string(1 << 20, 'Z'), "a megabyte");
}

TEST(OfflineCouponTest, StoredAndOfflineCodesNeverPassForEachOther) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bytes(kCouponRandomBytes);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    // Prefixes starting with the offline marker and the longest prefix, the closest lookalikes.
    const char* prefix = i % 3 == 0 ? "" : (i % 3 == 1 ? "ZZZZZZZZ" : "Z");
    const std::string stored = MakeCouponCode(bytes, prefix);
    EXPECT_FALSE(LooksLikeOfflineCoupon(stored)) << stored;
    ExpectInvalid(stored, "stored code given to the offline check");

    const std::string offline =
        SignOfflineCoupon(kKey, static_cast<uint32_t>(rng()), static_cast<uint32_t>(rng()));
    const auto as_stored = NormalizeCouponCode(offline);
    ASSERT_FALSE(as_stored.has_value()) << offline;
    EXPECT_EQ(as_stored.error().slug, "invalid_code");
    // The check families differ, so no offline code satisfies the stored-code check.
    EXPECT_FALSE(CouponCheckHolds(offline, CouponCheckDomain::kStored));
  }
}

TEST(OfflineCouponTest, ShortKeysAreRefused) {
  EXPECT_THROW(SignOfflineCoupon("", 1, 1), std::invalid_argument);
  EXPECT_THROW(SignOfflineCoupon("fifteen bytes!!", 1, 1), std::invalid_argument);
  const std::string code = SignOfflineCoupon(kKey, 1, 1);
  ExpectRejected(VerifyOfflineCoupon("", code), Code::kFailedPrecondition, "offline_key_missing",
                 "empty key");
}

// Random junk and random edits of real codes: never a crash, never a sanitizer report, never an
// acceptance of anything but the code that was signed.
TEST(OfflineCouponTest, FuzzNeverCrashesOrAcceptsJunk) {
  std::mt19937_64 rng(20250101);
  const std::string pool = std::string(kCouponAlphabet) + "01OIoiabcxyz -\t\r\n#_é\xff";
  size_t accepted_mutants = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string junk;
    const size_t length = rng() % 40;
    for (size_t j = 0; j < length; ++j) {
      junk += (rng() % 8 == 0) ? static_cast<char>(rng() % 256) : pool[rng() % pool.size()];
    }
    const auto r = VerifyOfflineCoupon(kKey, junk);
    ASSERT_FALSE(r.has_value()) << "junk accepted: " << junk;
    ASSERT_TRUE(r.error().code == Code::kInvalidArgument ||
                r.error().code == Code::kPermissionDenied);
    const auto n = NormalizeCouponCode(junk);
    if (!n) {
      ASSERT_EQ(n.error().slug, "invalid_code");
    }
    (void)LooksLikeOfflineCoupon(junk);

    const uint32_t definition = static_cast<uint32_t>(rng()), serial = static_cast<uint32_t>(rng());
    std::string mutant = SignOfflineCoupon(kKey, definition, serial);
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
      const size_t pos = rng() % (mutant.size() + 1);
      switch (rng() % 3) {
        case 0:
          if (pos < mutant.size()) mutant[pos] = pool[rng() % pool.size()];
          break;
        case 1:
          mutant.insert(pos, 1, pool[rng() % pool.size()]);
          break;
        default:
          if (pos < mutant.size()) mutant.erase(pos, 1);
      }
    }
    const auto m = VerifyOfflineCoupon(kKey, mutant);
    if (m) {
      // Only edits that cancel out (case, separators, undoing each other) may be accepted.
      ASSERT_EQ(m->definition_id, definition) << mutant;
      ASSERT_EQ(m->serial, serial) << mutant;
      ++accepted_mutants;
    }
  }
  RecordProperty("accepted_harmless_mutants", static_cast<int>(accepted_mutants));
}

}  // namespace
}  // namespace loyalty
