// Coupon codes: generation, the check symbol's detection claims (exhaustively), normalization.
#include "loyalty/domain/coupon_code.h"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <map>
#include <random>
#include <stdexcept>
#include <unordered_set>

#include "loyalty/crypto/openssl_crypto.h"

namespace loyalty {
namespace {

std::vector<uint8_t> Bytes(std::initializer_list<uint8_t> b) { return std::vector<uint8_t>(b); }

// Bytes whose 5-bit groups are 0, 1, ..., 12, so the random symbols are the alphabet in order.
const std::vector<uint8_t> kCountingBytes =
    Bytes({0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x00});

// Dash-free symbols of a canonical code, the form in which typos are made.
std::string Symbols(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (c != '-') out += c;
  }
  return out;
}

void ExpectInvalidCode(const std::string& raw, const std::string& why) {
  const auto r = NormalizeCouponCode(raw);
  ASSERT_FALSE(r.has_value()) << why << ": '" << raw << "' was accepted as " << *r;
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().slug, "invalid_code");
  ASSERT_NE(r.error().Detail("field"), nullptr);
  EXPECT_EQ(*r.error().Detail("field"), "code");
}

// A valid dash-free code of `length` symbols (check last) with the given symbols at the given
// positions. When the check position is fixed, one free position is varied: the check is a
// bijection of any single symbol, so exactly one of its 32 values produces the wanted check.
std::string ValidSymbolsWith(size_t length, const std::map<size_t, char>& fixed) {
  std::string s;
  for (size_t i = 0; i + 1 < length; ++i) {
    s += fixed.count(i) ? fixed.at(i) : kCouponAlphabet[(i * 7 + 3) % 32];
  }
  const auto check = fixed.find(length - 1);
  if (check == fixed.end()) return s + CouponCheckSymbol(s);
  size_t free = 0;
  while (fixed.count(free)) ++free;
  for (char c : kCouponAlphabet) {
    s[free] = c;
    if (CouponCheckSymbol(s) == check->second) return s + check->second;
  }
  ADD_FAILURE() << "no value of position " << free << " gives check " << check->second;
  return "";
}

// Lengths with no prefix, a 4-symbol prefix and the longest (8-symbol) prefix.
constexpr size_t kLengths[] = {kCouponBodySymbols, kCouponBodySymbols + 4,
                               kCouponBodySymbols + kCouponMaxPrefix};

TEST(CouponCodeTest, GeneratesFromTheBitStreamFiveBitsPerSymbol) {
  EXPECT_EQ(MakeCouponCode(kCountingBytes, ""), "23456789ABCDEQ");
  EXPECT_EQ(MakeCouponCode(kCountingBytes, "SALE"), "SALE-23456789ABCDEH");
  EXPECT_EQ(MakeCouponCode(std::vector<uint8_t>(9, 0x00), ""), "2222222222222X");
  EXPECT_EQ(MakeCouponCode(std::vector<uint8_t>(9, 0xff), ""), "ZZZZZZZZZZZZZM");
  // Leading '2's (value 0) still change the check: the fold starts from a non-zero value.
  EXPECT_EQ(MakeCouponCode(std::vector<uint8_t>(9, 0x00), "22"), "22-2222222222222V");
}

TEST(CouponCodeTest, UsesExactlySixtyFiveBitsOfNineBytes) {
  auto bytes = kCountingBytes;
  bytes[8] |= 0x7f;  // the 7 bits after the 65th
  bytes.push_back(0xab);
  EXPECT_EQ(MakeCouponCode(bytes, ""), "23456789ABCDEQ");
  bytes[8] ^= 0x80;  // the 65th bit is the last symbol's lowest bit
  EXPECT_EQ(MakeCouponCode(bytes, "").substr(0, 13), "23456789ABCDF");
  // Every bit position reaches the code: flipping any one of the 65 changes exactly one symbol.
  for (size_t bit = 0; bit < 65; ++bit) {
    auto flipped = kCountingBytes;
    flipped[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
    const std::string code = MakeCouponCode(flipped, "");
    size_t differing = 0;
    for (size_t i = 0; i < kCouponRandomSymbols; ++i) differing += code[i] != "23456789ABCDE"[i];
    EXPECT_EQ(differing, 1u) << "bit " << bit;
  }
}

TEST(CouponCodeTest, RefusesTooFewBytesAndUnnormalizedPrefixes) {
  EXPECT_THROW(MakeCouponCode(std::vector<uint8_t>(8, 0), ""), std::invalid_argument);
  for (const char* prefix : {"sale", "VIP", "B0NUS", "SALE-", "ABCDEFGHJ", " SALE"}) {
    EXPECT_THROW(MakeCouponCode(kCountingBytes, prefix), std::invalid_argument) << prefix;
  }
}

TEST(CouponCodeTest, PrefixesUseTheCodeAlphabet) {
  EXPECT_EQ(*NormalizeCouponPrefix(""), "");
  EXPECT_EQ(*NormalizeCouponPrefix("sale"), "SALE");
  EXPECT_EQ(*NormalizeCouponPrefix("Xmas26"), "XMAS26");
  for (const char* bad :
       {"VIP", "B0NUS", "GIFT100", "XMAS2025", "SALE-", "SUMMER 25", "ABCDEFGHJ", "é"}) {
    const auto r = NormalizeCouponPrefix(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().slug, "invalid_coupon_prefix");
    EXPECT_EQ(*r.error().Detail("field"), "prefix");
    EXPECT_NE(r.error().message.find("without 0, O, 1 or I"), std::string::npos);
  }
}

TEST(CouponCodeTest, HundredThousandOpenSslCodesAreDistinctAndCanonical) {
  OpenSslRandom random;
  std::unordered_set<std::string> seen;
  // Per-position symbol counts: 65 uniform bits must give uniform symbols everywhere.
  std::vector<std::array<int, 32>> counts(kCouponRandomSymbols);
  constexpr int kCodes = 100000;
  for (int i = 0; i < kCodes; ++i) {
    const std::string code = MakeCouponCode(random.Bytes(kCouponRandomBytes), i % 2 ? "SALE" : "");
    ASSERT_TRUE(seen.insert(code).second) << "duplicate " << code;
    const auto normalized = NormalizeCouponCode(code);
    ASSERT_TRUE(normalized.has_value()) << code << ": " << normalized.error().message;
    ASSERT_EQ(*normalized, code);
    const std::string body = Symbols(code).substr(i % 2 ? 4 : 0);
    for (size_t p = 0; p < kCouponRandomSymbols; ++p) ++counts[p][CouponSymbolValue(body[p])];
  }
  // Expected 3125 per cell, standard deviation about 55; 7 deviations is never hit by chance.
  for (size_t p = 0; p < kCouponRandomSymbols; ++p) {
    for (int v = 0; v < 32; ++v) {
      EXPECT_NEAR(counts[p][v], kCodes / 32, 385) << "position " << p << " symbol " << v;
    }
  }
}

TEST(CouponCodeTest, EverySingleSymbolSubstitutionIsInvalid) {
  std::mt19937_64 rng(20240404);
  std::vector<std::string> codes;
  for (const char* prefix : {"", "SALE", "ZZZZZZZZ", "2"}) {
    for (int i = 0; i < 50; ++i) {
      std::vector<uint8_t> bytes(kCouponRandomBytes);
      for (auto& b : bytes) b = static_cast<uint8_t>(rng());
      codes.push_back(MakeCouponCode(bytes, prefix));
    }
  }
  size_t rejected = 0;
  for (const std::string& code : codes) {
    const std::string symbols = Symbols(code);
    ASSERT_EQ(*NormalizeCouponCode(symbols), code);
    for (size_t pos = 0; pos < symbols.size(); ++pos) {
      for (char c : kCouponAlphabet) {
        if (c == symbols[pos]) continue;
        std::string typo = symbols;
        typo[pos] = c;
        ExpectInvalidCode(typo, "substitution at " + std::to_string(pos));
        ++rejected;
      }
    }
  }
  // 50 codes each of lengths 14, 18, 22 and 15, 31 wrong symbols per position.
  EXPECT_EQ(rejected, 50u * 31 * (14 + 18 + 22 + 15));
}

TEST(CouponCodeTest, EveryAdjacentTranspositionIsInvalid) {
  size_t rejected = 0;
  for (size_t length : kLengths) {
    for (size_t pos = 0; pos + 1 < length; ++pos) {
      for (char a : kCouponAlphabet) {
        for (char b : kCouponAlphabet) {
          if (a == b) continue;
          const std::string valid = ValidSymbolsWith(length, {{pos, a}, {pos + 1, b}});
          ASSERT_TRUE(NormalizeCouponCode(valid).has_value()) << valid;
          std::string swapped = valid;
          std::swap(swapped[pos], swapped[pos + 1]);
          ExpectInvalidCode(swapped, "transposition at " + std::to_string(pos));
          ++rejected;
        }
      }
    }
  }
  EXPECT_EQ(rejected, (13u + 17 + 21) * 32 * 31);
}

TEST(CouponCodeTest, EveryJumpTranspositionAndTwinErrorIsInvalidToo) {
  for (size_t length : kLengths) {
    for (size_t pos = 0; pos + 1 < length; ++pos) {
      for (char a : kCouponAlphabet) {
        for (char b : kCouponAlphabet) {
          if (a == b) continue;
          // Twin error: "aa" read as "bb".
          std::string twin = ValidSymbolsWith(length, {{pos, a}, {pos + 1, a}});
          twin[pos] = twin[pos + 1] = b;
          ASSERT_FALSE(CouponCheckHolds(twin)) << twin;
          if (pos + 2 >= length) continue;
          // Jump transposition: "acb" read as "bca".
          const std::string valid = ValidSymbolsWith(length, {{pos, a}, {pos + 2, b}});
          std::string swapped = valid;
          std::swap(swapped[pos], swapped[pos + 2]);
          ASSERT_FALSE(CouponCheckHolds(swapped)) << valid << " -> " << swapped;
        }
      }
    }
  }
}

// Why not Luhn mod 32: its doubling maps value 31 to 31 and 0 to 0, so "2Z" <-> "Z2" (values 0
// and 31) cancels out exactly as 09 <-> 90 does in decimal Luhn.
int LuhnMod32Remainder(std::string_view symbols) {
  int sum = 0;
  bool doubled = false;
  for (auto it = symbols.rbegin(); it != symbols.rend(); ++it, doubled = !doubled) {
    int v = CouponSymbolValue(*it);
    if (doubled) v = (2 * v) / 32 + (2 * v) % 32;
    sum += v;
  }
  return sum % 32;
}

TEST(CouponCodeTest, LuhnMod32WouldMissATranspositionThisCheckCatches) {
  // A Luhn-valid string: find its check by trying all 32.
  std::string luhn = "2Z456789ABCDE";
  for (char c : kCouponAlphabet) {
    if (LuhnMod32Remainder(luhn + c) == 0) {
      luhn += c;
      break;
    }
  }
  ASSERT_EQ(luhn.size(), 14u);
  std::string swapped = luhn;
  std::swap(swapped[0], swapped[1]);
  EXPECT_EQ(LuhnMod32Remainder(swapped), 0) << "Luhn mod 32 accepts the transposed " << swapped;

  const std::string ours = ValidSymbolsWith(14, {{0, '2'}, {1, 'Z'}});
  std::string ours_swapped = ours;
  std::swap(ours_swapped[0], ours_swapped[1]);
  ExpectInvalidCode(ours_swapped, "2Z transposition");
}

TEST(CouponCodeTest, AcceptsLowerCaseSpacesAndDashesAnywhere) {
  const std::string code = "SALE-23456789ABCDEH";
  for (const char* typed :
       {"sale-23456789abcdeh", "SALE 2345 6789 ABCD EH", "SALE-2345-6789-ABCD-EH",
        "SALE23456789ABCDEH", "s-a-l-e-2345-6789abcdEH", "  sale-2345-6789-abcd-eh\r\n",
        "SALE\t2345-6789-ABCD-EH", "SAL-E234-5678-9ABC-DEH"}) {
    const auto r = NormalizeCouponCode(typed);
    ASSERT_TRUE(r.has_value()) << typed << ": " << r.error().message;
    EXPECT_EQ(*r, code) << typed;
  }
  EXPECT_EQ(*NormalizeCouponCode("2345 6789 abcd eq"), "23456789ABCDEQ");
}

TEST(CouponCodeTest, ZeroOhOneEyeAreRefusedWithTheReason) {
  const std::string symbols = "SALE23456789ABCDEH";
  for (size_t pos : {0u, 2u, 5u, 17u}) {
    for (char c : {'0', 'O', 'o', '1', 'I', 'i'}) {
      std::string typo = symbols;
      typo[pos] = c;
      ExpectInvalidCode(typo, "ambiguous character");
      EXPECT_EQ(NormalizeCouponCode(typo).error().message,
                "this coupon code is not valid: coupon codes never use the digits 0 and 1 or the "
                "letters O and I; check it was typed correctly");
    }
  }
  for (const char* foreign : {"SALE23456789ABCD#H", "SALE23456789ABCDÉH", "SALE_23456789ABCDEH"}) {
    ExpectInvalidCode(foreign, "foreign character");
  }
  EXPECT_NE(NormalizeCouponCode("SALE23456789ABCD#H").error().message.find("digits 2-9"),
            std::string::npos);
  // A NUL inside the input is a foreign character, not the end of the string.
  ExpectInvalidCode(std::string("SALE23456789ABCD\0H", 18), "NUL");
}

TEST(CouponCodeTest, AWrongOrMissingPrefixIsInvalid) {
  ExpectInvalidCode("SALF-23456789ABCDEH", "one prefix letter wrong");
  ExpectInvalidCode("XMAS-23456789ABCDEH", "another campaign's prefix");
  ExpectInvalidCode("23456789ABCDEH", "prefix left off");
  ExpectInvalidCode("ASLE-23456789ABCDEH", "prefix letters swapped");
  ExpectInvalidCode("SAL2-E3456789ABCDEH", "transposed across the prefix boundary");
  ExpectInvalidCode("2SALE-23456789ABCDEH", "stray symbol before the prefix");
}

TEST(CouponCodeTest, WrongLengthsAreInvalid) {
  ExpectInvalidCode("", "empty");
  ExpectInvalidCode("   - -", "only separators");
  ExpectInvalidCode("23456789ABCDE", "13 symbols");
  ExpectInvalidCode("ABCDEFGHJ23456789ABCDEQ", "9-symbol prefix");
  EXPECT_NE(NormalizeCouponCode("23456789ABCDE").error().message.find("too few"),
            std::string::npos);
  EXPECT_NE(NormalizeCouponCode("ABCDEFGHJ23456789ABCDEQ").error().message.find("too many"),
            std::string::npos);
  const std::string huge(1 << 20, 'A');
  ExpectInvalidCode(huge, "a megabyte of symbols");
  EXPECT_NE(NormalizeCouponCode(huge).error().message.find("far too long"), std::string::npos);
}

TEST(CouponCodeTest, FormatGroupsByFourAndNormalizesBack) {
  EXPECT_EQ(FormatCouponCode("23456789ABCDEQ"), "2345-6789-ABCD-EQ");
  EXPECT_EQ(FormatCouponCode("SALE-23456789ABCDEH"), "SALE-2345-6789-ABCD-EH");
  EXPECT_EQ(FormatCouponCode(""), "");
  std::mt19937_64 rng(7);
  for (const char* prefix : {"", "2", "SALE", "XMAS26", "ZZZZZZZZ"}) {
    for (int i = 0; i < 500; ++i) {
      std::vector<uint8_t> bytes(kCouponRandomBytes);
      for (auto& b : bytes) b = static_cast<uint8_t>(rng());
      const std::string code = MakeCouponCode(bytes, prefix);
      const std::string printed = FormatCouponCode(code);
      ASSERT_EQ(*NormalizeCouponCode(printed), code) << printed;
      std::string lower = printed;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ASSERT_EQ(*NormalizeCouponCode(lower), code) << lower;
    }
  }
}

TEST(CouponCodeTest, StoredCodesNeverPassTheOfflineCheck) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 10000; ++i) {
    std::vector<uint8_t> bytes(kCouponRandomBytes);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    const std::string symbols = Symbols(MakeCouponCode(bytes, i % 3 ? "" : "ZZZZZZZZ"));
    ASSERT_TRUE(CouponCheckHolds(symbols, CouponCheckDomain::kStored));
    ASSERT_FALSE(CouponCheckHolds(symbols, CouponCheckDomain::kOffline)) << symbols;
  }
  EXPECT_EQ(CouponCheckSymbol("2#3"), '\0');
  EXPECT_FALSE(CouponCheckHolds(""));
}

}  // namespace
}  // namespace loyalty
