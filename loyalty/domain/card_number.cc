// Card number generation and validation (Damm algorithm).
#include "loyalty/domain/card_number.h"

namespace loyalty {
namespace {

// The standard weakly totally anti-symmetric quasigroup of order 10 (Damm 2004).
constexpr uint8_t kDamm[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};

}  // namespace

char DammCheckDigit(std::string_view digits) {
  uint8_t interim = 0;
  for (char c : digits) interim = kDamm[interim][c - '0'];
  return static_cast<char>('0' + interim);
}

std::string MakeCardNumber(const std::array<uint8_t, kCardNumberDigits - 1>& random_digits) {
  std::string card;
  card.reserve(kCardNumberDigits);
  for (size_t i = 0; i < random_digits.size(); ++i) {
    uint8_t d = random_digits[i] % 10;
    if (i == 0 && d == 0) d = 1 + random_digits[i] % 9;
    card += static_cast<char>('0' + d);
  }
  card += DammCheckDigit(card);
  return card;
}

Result<std::string> ValidateCardNumber(std::string_view raw) {
  std::string digits;
  for (char c : raw) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9' || digits.size() > kCardNumberDigits) {
      digits.clear();
      break;
    }
    digits += c;
  }
  if (digits.size() != kCardNumberDigits) {
    return InvalidField("card_no", "invalid_card_number",
                        "card number must be 16 digits as printed on the card");
  }
  if (DammCheckDigit(digits) != '0') {
    return InvalidField("card_no", "invalid_card_number",
                        "card number check digit does not match; please re-enter or scan the card");
  }
  return digits;
}

}  // namespace loyalty
