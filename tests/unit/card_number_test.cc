// Card numbers: what we print is accepted, and a cashier's typo is caught rather than finding
// someone else's card.
#include "loyalty/domain/card_number.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace loyalty {
namespace {

using Digits = std::array<uint8_t, kCardNumberDigits - 1>;

// A spread of generator inputs: edge values, and raw random bytes (0..255) as MemberService
// passes them straight from RandomSource::Bytes.
std::vector<Digits> Inputs() {
  std::vector<Digits> out;
  Digits zeros{}, nines{}, bytes_max{}, ascending{};
  nines.fill(9);
  bytes_max.fill(255);
  for (size_t i = 0; i < ascending.size(); ++i) ascending[i] = static_cast<uint8_t>(i);
  out = {zeros, nines, bytes_max, ascending};
  uint32_t x = 12345;
  for (int n = 0; n < 60; ++n) {
    Digits d{};
    for (auto& b : d) {
      x = x * 1103515245u + 12345u;
      b = static_cast<uint8_t>(x >> 16);
    }
    out.push_back(d);
  }
  return out;
}

void ExpectInvalidCard(const std::string& raw) {
  auto card = ValidateCardNumber(raw);
  ASSERT_FALSE(card.has_value()) << "'" << raw << "' accepted as " << *card;
  EXPECT_EQ(card.error().code, Code::kInvalidArgument);
  EXPECT_EQ(card.error().slug, "invalid_card_number");
  ASSERT_NE(card.error().Detail("field"), nullptr);
  EXPECT_EQ(*card.error().Detail("field"), "card_no");
}

TEST(DammCheckDigit, MatchesThePublishedExample) {
  // Wikipedia "Damm algorithm": 572 -> check digit 4, and 5724 checks to 0.
  EXPECT_EQ(DammCheckDigit("572"), '4');
  EXPECT_EQ(DammCheckDigit("5724"), '0');
}

TEST(MakeCardNumber, SixteenDigitsNoLeadingZeroAndValid) {
  for (const Digits& d : Inputs()) {
    const std::string card = MakeCardNumber(d);
    SCOPED_TRACE(card);
    ASSERT_EQ(card.size(), kCardNumberDigits);
    for (char c : card) EXPECT_TRUE(c >= '0' && c <= '9');
    EXPECT_NE(card[0], '0');
    auto valid = ValidateCardNumber(card);
    ASSERT_TRUE(valid.has_value()) << valid.error().message;
    EXPECT_EQ(*valid, card);
  }
}

TEST(MakeCardNumber, UsesTheRandomDigitsItIsGiven) {
  Digits d{};
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>((i + 1) % 10);
  EXPECT_EQ(MakeCardNumber(d).substr(0, 15), "123456789012345");
}

TEST(ValidateCardNumber, EverySingleDigitTypoIsRejected) {
  for (const Digits& d : Inputs()) {
    const std::string card = MakeCardNumber(d);
    for (size_t pos = 0; pos < card.size(); ++pos) {
      for (char digit = '0'; digit <= '9'; ++digit) {
        if (digit == card[pos]) continue;
        std::string typo = card;
        typo[pos] = digit;
        SCOPED_TRACE(card + " -> " + typo);
        ExpectInvalidCard(typo);
      }
    }
  }
}

TEST(ValidateCardNumber, EveryAdjacentTranspositionIsRejected) {
  for (const Digits& d : Inputs()) {
    const std::string card = MakeCardNumber(d);
    for (size_t pos = 0; pos + 1 < card.size(); ++pos) {
      if (card[pos] == card[pos + 1]) continue;  // swapping equal digits changes nothing
      std::string swapped = card;
      std::swap(swapped[pos], swapped[pos + 1]);
      SCOPED_TRACE(card + " -> " + swapped);
      ExpectInvalidCard(swapped);
    }
  }
}

TEST(ValidateCardNumber, AcceptsSpacesAndDashesAsPrintedAndReturnsBareDigits) {
  Digits d{};
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(9 - i % 10);
  const std::string card = MakeCardNumber(d);
  const std::string a = card.substr(0, 4), b = card.substr(4, 4), c = card.substr(8, 4),
                    e = card.substr(12, 4);
  for (const std::string& raw : {a + " " + b + " " + c + " " + e, a + "-" + b + "-" + c + "-" + e,
                                 " " + card + " ", a + " - " + b + c + "  " + e}) {
    SCOPED_TRACE("'" + raw + "'");
    auto valid = ValidateCardNumber(raw);
    ASSERT_TRUE(valid.has_value()) << valid.error().message;
    EXPECT_EQ(*valid, card);
  }
}

TEST(ValidateCardNumber, RejectsWrongLengthsAndNonDigits) {
  const std::string card = MakeCardNumber(Digits{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9});
  ASSERT_TRUE(ValidateCardNumber(card).has_value());
  std::vector<std::string> bad = {
      "",
      card.substr(0, 15),                         // 15 digits
      card + "0",                                 // 17 digits
      card + card,                                // two cards scanned into one field
      "0" + card,                                 // leading zero added
      card.substr(0, 15) + "X",                   // a letter as check digit
      "O" + card.substr(1),                       // letter O for a zero/one
      card.substr(0, 8) + "." + card.substr(8),   // other separator
      card.substr(0, 8) + "\t" + card.substr(8),  // tab is not a printed separator
      card.substr(0, 8) + std::string(1, '\0') + card.substr(8),
      "----------------",
  };
  for (int n = 15; n <= 17; n += 2) bad.push_back(std::string(n, '1'));
  for (const std::string& raw : bad) {
    SCOPED_TRACE("'" + raw + "'");
    ExpectInvalidCard(raw);
  }
}

}  // namespace
}  // namespace loyalty
