// Coupon code generation, check symbol (Damm construction over GF(32)) and normalization.
#include "loyalty/domain/coupon_code.h"

#include <stdexcept>

namespace loyalty {
namespace {

// Longer input is refused before any work, so a pasted paragraph costs nothing.
constexpr size_t kMaxParsedSymbols = 64;

constexpr std::string_view kTypoHint = "check it was typed correctly";

// Multiplication by the generator a = x in GF(2^5) reduced by x^5 + x^2 + 1 (primitive; 31 is
// prime, so a has order 31 and a^2 != 1).
constexpr uint8_t MulGenerator(uint8_t v) {
  v = static_cast<uint8_t>(v << 1);
  if (v & 0x20) v ^= 0x25;
  return v;
}

// Folds the quasigroup x * y = a.x + y over the symbol values; -1 for a symbol outside the
// alphabet. The start value keeps leading '2's (value 0) from being invisible and separates the
// code families.
int Fold(std::string_view symbols, CouponCheckDomain domain) {
  uint8_t interim = static_cast<uint8_t>(domain);
  for (char c : symbols) {
    const int v = CouponSymbolValue(c);
    if (v < 0) return -1;
    interim = MulGenerator(interim) ^ static_cast<uint8_t>(v);
  }
  return interim;
}

bool IsAmbiguous(char c) { return c == '0' || c == 'O' || c == '1' || c == 'I'; }

tl::unexpected<Error> InvalidCode(std::string message) {
  return InvalidField("code", "invalid_code", std::move(message));
}

}  // namespace

int CouponSymbolValue(char symbol) {
  const size_t pos = kCouponAlphabet.find(symbol);
  return (pos == std::string_view::npos || symbol == '\0') ? -1 : static_cast<int>(pos);
}

char CouponCheckSymbol(std::string_view symbols, CouponCheckDomain domain) {
  const int interim = Fold(symbols, domain);
  if (interim < 0) return '\0';
  // The check c must bring the fold to zero: a.interim + c = 0, and + is XOR in GF(2^5).
  return kCouponAlphabet[MulGenerator(static_cast<uint8_t>(interim))];
}

bool CouponCheckHolds(std::string_view symbols, CouponCheckDomain domain) {
  return !symbols.empty() && Fold(symbols, domain) == 0;
}

Result<std::string> NormalizeCouponPrefix(std::string_view raw) {
  std::string prefix;
  for (char c : raw) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (CouponSymbolValue(c) < 0 || prefix.size() == kCouponMaxPrefix) {
      return InvalidField("prefix", "invalid_coupon_prefix",
                          "a coupon prefix is up to 8 letters and digits 2-9, without 0, O, 1 or I "
                          "(coupon codes never use them, so they cannot be misread)");
    }
    prefix += c;
  }
  return prefix;
}

std::string MakeCouponCode(const std::vector<uint8_t>& random_bytes, std::string_view prefix) {
  if (random_bytes.size() < kCouponRandomBytes) {
    throw std::invalid_argument("MakeCouponCode needs 9 random bytes");
  }
  const auto normalized_prefix = NormalizeCouponPrefix(prefix);
  if (!normalized_prefix || *normalized_prefix != prefix) {
    throw std::invalid_argument("MakeCouponCode needs a prefix from NormalizeCouponPrefix");
  }
  // Whole 5-bit groups of uniform bits are uniform over 32 symbols: no modulo bias.
  std::string body;
  body.reserve(kCouponBodySymbols);
  for (size_t i = 0; i < kCouponRandomSymbols; ++i) {
    unsigned value = 0;
    for (size_t bit = i * 5; bit < i * 5 + 5; ++bit) {
      value = (value << 1) | ((random_bytes[bit / 8] >> (7 - bit % 8)) & 1u);
    }
    body += kCouponAlphabet[value];
  }
  body += CouponCheckSymbol(std::string(prefix) + body);
  return prefix.empty() ? body : std::string(prefix) + "-" + body;
}

std::string FormatCouponCode(std::string_view normalized) {
  std::string out;
  const size_t dash = normalized.find('-');
  if (dash != std::string_view::npos) {
    out = std::string(normalized.substr(0, dash + 1));
    normalized.remove_prefix(dash + 1);
  }
  for (size_t i = 0; i < normalized.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += normalized[i];
  }
  return out;
}

Result<std::string> ParseCouponSymbols(std::string_view raw) {
  std::string symbols;
  bool ambiguous = false;
  bool foreign = false;
  for (char c : raw) {
    if (c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (symbols.size() == kMaxParsedSymbols) {
      return InvalidCode("this coupon code is not valid: it is far too long; " +
                         std::string(kTypoHint));
    }
    if (IsAmbiguous(c)) {
      ambiguous = true;
    } else if (CouponSymbolValue(c) < 0) {
      foreign = true;
    }
    symbols += c;
  }
  // Foreign characters first: "0/O/1/I are never used" would mislead about a pasted "#" or "é".
  if (foreign) {
    return InvalidCode(
        "this coupon code is not valid: it can only contain letters and the digits 2-9; " +
        std::string(kTypoHint));
  }
  if (ambiguous) {
    return InvalidCode(
        "this coupon code is not valid: coupon codes never use the digits 0 and 1 or the letters "
        "O and I; " +
        std::string(kTypoHint));
  }
  return symbols;
}

Result<std::string> NormalizeCouponCode(std::string_view raw) {
  auto symbols = ParseCouponSymbols(raw);
  if (!symbols) return symbols;
  const std::string& s = *symbols;
  if (s.size() < kCouponBodySymbols || s.size() > kCouponBodySymbols + kCouponMaxPrefix) {
    return InvalidCode("this coupon code is not valid: it has too " +
                       std::string(s.size() < kCouponBodySymbols ? "few" : "many") +
                       " characters; " + std::string(kTypoHint));
  }
  if (!CouponCheckHolds(s, CouponCheckDomain::kStored)) {
    return InvalidCode("this coupon code is not valid; " + std::string(kTypoHint));
  }
  const size_t prefix_len = s.size() - kCouponBodySymbols;
  if (prefix_len == 0) return s;
  return s.substr(0, prefix_len) + "-" + s.substr(prefix_len);
}

}  // namespace loyalty
