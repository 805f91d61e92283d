// Rational arithmetic with overflow detection (__int128 intermediates).
#include "loyalty/common/money.h"

#include <limits>

namespace loyalty {

const char* RoundingName(Rounding r) {
  switch (r) {
    case Rounding::kFloor: return "floor";
    case Rounding::kHalfUp: return "half_up";
    case Rounding::kCeil: return "ceil";
  }
  return "?";
}

std::optional<Rounding> ParseRounding(const std::string& name) {
  for (Rounding r : {Rounding::kFloor, Rounding::kHalfUp, Rounding::kCeil}) {
    if (name == RoundingName(r)) return r;
  }
  return std::nullopt;
}

std::optional<int64_t> MulDiv(int64_t value, int64_t num, int64_t den, Rounding rounding) {
  if (den <= 0) return std::nullopt;
  const __int128 product = static_cast<__int128>(value) * num;
  __int128 q = product / den;
  const __int128 r = product % den;
  if (r != 0) {
    const bool negative = (product < 0);
    switch (rounding) {
      case Rounding::kFloor:
        if (negative) q -= 1;  // C++ truncates toward zero; floor goes down
        break;
      case Rounding::kCeil:
        if (!negative) q += 1;
        break;
      case Rounding::kHalfUp: {
        const __int128 twice = (r < 0 ? -r : r) * 2;
        if (twice >= den) q += negative ? -1 : 1;  // halves round away from zero
        break;
      }
    }
  }
  if (q > std::numeric_limits<int64_t>::max() || q < std::numeric_limits<int64_t>::min()) {
    return std::nullopt;
  }
  return static_cast<int64_t>(q);
}

std::optional<Rational> Multiply(Rational a, Rational b) {
  const __int128 num = static_cast<__int128>(a.num) * b.num;
  const __int128 den = static_cast<__int128>(a.den) * b.den;
  if (num > std::numeric_limits<int64_t>::max() || den > std::numeric_limits<int64_t>::max() ||
      num < std::numeric_limits<int64_t>::min()) {
    return std::nullopt;
  }
  return Rational{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

}  // namespace loyalty
