// Coupon codes: 65 random bits, an unambiguous alphabet and a check symbol so a typo is "invalid".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/common/error.h"

namespace loyalty {

// 32 symbols, 5 bits each. 0/O and 1/I are left out because they are misread on receipts and
// screens; every code (prefix, body and check) uses only these.
inline constexpr std::string_view kCouponAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

// 13 random symbols = 65 bits, so guessing a live code is hopeless even with millions issued.
inline constexpr size_t kCouponRandomSymbols = 13;
// The bytes MakeCouponCode reads: 13 * 5 = 65 bits need 9 bytes; the last 7 bits are unused.
inline constexpr size_t kCouponRandomBytes = 9;
// Body = random symbols + check symbol; the body length is fixed so a prefix is recognised by
// length alone and dashes typed anywhere do not matter.
inline constexpr size_t kCouponBodySymbols = kCouponRandomSymbols + 1;
inline constexpr size_t kCouponMaxPrefix = 8;

// The check symbol is Damm's construction for order 32: the quasigroup x * y = a.x + y over
// GF(32) = GF(2)[x]/(x^5 + x^2 + 1) with a = x, folded over the symbol values from a start value.
// Because a != 1 and a^2 != 1 it detects every single-symbol substitution, every adjacent
// transposition, every jump transposition (abc -> cba) and every twin error (aa -> bb). Luhn mod 32
// was not used: it misses the transposition of '2' and 'Z'. Each code family starts from its own
// value, so a code of one family never passes the other's check (the difference is a^n times the
// start-value difference, never zero).
enum class CouponCheckDomain : uint8_t {
  kStored = 1,   // codes issued by MakeCouponCode and looked up in the database
  kOffline = 2,  // signed offline codes (loyalty/crypto/offline_coupon.h)
};

// The symbol that makes `symbols` + it a valid code of `domain`; '\0' if `symbols` contains a
// character outside kCouponAlphabet.
char CouponCheckSymbol(std::string_view symbols,
                       CouponCheckDomain domain = CouponCheckDomain::kStored);
// True when `symbols` (check symbol last, no separators) is entirely in the alphabet and its check
// holds for `domain`.
bool CouponCheckHolds(std::string_view symbols,
                      CouponCheckDomain domain = CouponCheckDomain::kStored);
// The 5-bit value of an alphabet symbol, or -1.
int CouponSymbolValue(char symbol);

// A campaign's code prefix as marketing typed it: upper-cased; 0 to 8 symbols of kCouponAlphabet,
// otherwise invalid_coupon_prefix (field "prefix"). Prefixes use the code alphabet too because a
// single check symbol can only catch every typo at a position with at most 32 possible symbols.
Result<std::string> NormalizeCouponPrefix(std::string_view raw);

// A new code: `prefix` (already normalized; empty for none), '-' when there is a prefix, then 13
// symbols from the first 65 bits of `random_bytes` (5 bits each, most significant first, so every
// symbol is uniform) and the check symbol, which covers the prefix too. The caller supplies at
// least kCouponRandomBytes unpredictable bytes (RandomSource::Bytes). Throws std::invalid_argument
// for fewer bytes or an unnormalized prefix: both are programming errors.
std::string MakeCouponCode(const std::vector<uint8_t>& random_bytes, std::string_view prefix);

// For printing: the prefix, then the body in groups of 4 ("SALE-ABCD-EFGH-JKLM-NP"). Takes a code
// as MakeCouponCode or NormalizeCouponCode return it; other input comes back grouped, unchecked.
std::string FormatCouponCode(std::string_view normalized);

// What a cashier or member typed or scanned: case, spaces and dashes are ignored; the last 14
// symbols are the body and anything before them the prefix. Returns the canonical form
// (MakeCouponCode's output, the database key), or invalid_code (field "code") for a character
// outside the alphabet (0, O, 1 and I get their own message), a wrong length or a failed check.
// Errors in two or more symbols (a whole prefix left off or swapped for another campaign's) are
// caught 31 times in 32; the rest are valid-looking and the lookup finds nothing.
Result<std::string> NormalizeCouponCode(std::string_view raw);

// The first step of reading any coupon code, shared with the offline form: upper-cases, drops
// spaces and dashes and returns the bare symbols, or invalid_code (field "code") for a character
// outside the alphabet (0, O, 1 and I get their own message) or more than 64 symbols.
Result<std::string> ParseCouponSymbols(std::string_view raw);

}  // namespace loyalty
