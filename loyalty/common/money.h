// Money and exact rational arithmetic: int64 minor units, no floating point anywhere near money.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace loyalty {

struct Money {
  int64_t minor = 0;              // fen for CNY
  std::string currency = "CNY";   // ISO 4217
  bool operator==(const Money&) const = default;
};

enum class Rounding { kFloor, kHalfUp, kCeil };
const char* RoundingName(Rounding r);
std::optional<Rounding> ParseRounding(const std::string& name);

// num/den with den > 0; e.g. a 1.5x multiplier is {3, 2}.
struct Rational {
  int64_t num = 1;
  int64_t den = 1;
  bool operator==(const Rational&) const = default;
};

// value * r.num / r.den rounded as asked; nullopt when an intermediate would overflow int64
// (callers turn that into a 400, never a wrong number).
std::optional<int64_t> MulDiv(int64_t value, int64_t num, int64_t den, Rounding rounding);
// a * b as rationals, nullopt on overflow.
std::optional<Rational> Multiply(Rational a, Rational b);

}  // namespace loyalty
