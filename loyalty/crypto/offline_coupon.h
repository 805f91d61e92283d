// Signed offline coupon codes: a till holding the store key verifies them without a network call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "loyalty/common/error.h"

namespace loyalty {

// Layout, in the coupon alphabet (loyalty/domain/coupon_code.h), 23 symbols:
//   'Z' | 21 symbols = 105 bits: definition_id (32) | serial (32) | HMAC-SHA256 truncated (41) |
//   check symbol (CouponCheckDomain::kOffline)
// The 'Z' marker names the layout (a later layout takes another letter) and lets people and tills
// tell the kind apart; the length (23) is more than any stored code (14 + prefix of up to 8) and
// the check uses a different start value, so neither kind ever validates as the other.
// The check symbol makes a typo "invalid_code" (retype) rather than "not valid at this store".
// 64 bits of ids + at least 40 bits of MAC need 21 symbols; 41 bits fill them exactly.
// A forger's odds per attempt are 2^-41 (1 in 2.2 trillion), and the till is where the attempts
// happen, one sale at a time.
// Verification proves the chain issued the coupon; it cannot know whether it was already used:
// the till records (definition_id, serial) in the offline journal and the server settles repeats.
inline constexpr char kOfflineCouponMarker = 'Z';
inline constexpr size_t kOfflineCouponSymbols = 23;
inline constexpr size_t kOfflineCouponMacBits = 41;
// HMAC keys shorter than this are refused: a short key can be found by trying them all.
inline constexpr size_t kOfflineCouponMinKeyBytes = 16;

struct OfflineCoupon {
  uint32_t definition_id = 0;
  uint32_t serial = 0;
  std::string code;  // canonical: the 23 symbols, upper case, no separators

  bool operator==(const OfflineCoupon&) const = default;
};

// The canonical 23-symbol code (print it with FormatCouponCode). Throws std::invalid_argument for
// a key shorter than kOfflineCouponMinKeyBytes: keys are checked when configuration is loaded.
std::string SignOfflineCoupon(std::string_view key, uint32_t definition_id, uint32_t serial);

// Accepts what was typed or scanned (case, spaces and dashes ignored). Outcomes:
//  - the coupon: the MAC matches under `key`;
//  - invalid_code (kInvalidArgument, field "code"): not an offline code, a character outside the
//    alphabet, a wrong length or marker, or a failed check symbol (a typo; retype it);
//  - forged_code (kPermissionDenied, field "code"): well formed, but not signed with this store's
//    key (another store's or chain's coupon, or altered with the check recomputed);
//  - offline_key_missing (kFailedPrecondition): `key` is shorter than kOfflineCouponMinKeyBytes.
Result<OfflineCoupon> VerifyOfflineCoupon(std::string_view key, std::string_view code);

// Cheap routing test for a till: true when `raw` has the offline form (marker and length), so it
// goes to VerifyOfflineCoupon; anything else is a stored code for NormalizeCouponCode.
bool LooksLikeOfflineCoupon(std::string_view raw);

}  // namespace loyalty
