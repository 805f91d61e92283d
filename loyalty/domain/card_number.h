// Member card numbers: 16 digits, 15 random plus a Damm check digit, so a typo is "invalid".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "loyalty/common/error.h"

namespace loyalty {

inline constexpr size_t kCardNumberDigits = 16;

// Builds a card number from 15 random digits (values 0..9; the first is forced to 1..9 so the
// number never loses a leading zero in a spreadsheet). The caller supplies the randomness.
std::string MakeCardNumber(const std::array<uint8_t, kCardNumberDigits - 1>& random_digits);

// Accepts spaces and dashes between digits ("8123 4567 ..."); returns the bare 16 digits, or
// invalid_card_number (field "card_no") for a wrong length, a non-digit or a bad check digit.
Result<std::string> ValidateCardNumber(std::string_view raw);

// The Damm check digit of a digit string: detects every single-digit error and every adjacent
// transposition, which Luhn does not.
char DammCheckDigit(std::string_view digits);

}  // namespace loyalty
