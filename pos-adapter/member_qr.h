// Rotating member QR tokens: shown by the portal, scanned by the till, useless as a screenshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty::pos {

// Layout: "M1." member_id "." step "." tag, e.g.
//   "M1.3f9c0a1b2c3d4e5f60718293.58945900.K7QXW2M4ZL5NB3TA"
//  - "M1." names the layout (a later one takes "M2."), so a till can route a scan without
//    guessing;
//  - member_id: 1-64 characters of [A-Za-z0-9_-] (ours are 24 hex digits);
//  - step: floor(unix seconds / 30) in decimal without leading zeros. Carrying it lets the server
//    tell an old screenshot (expired_qr_token: "refresh the QR") from a forgery with one HMAC;
//  - tag: HMAC-SHA256(key, "loyalty-member-qr/v1" 0x00 member_id 0x00 step as 8 bytes big
//    endian) truncated to 80 bits, 16 characters of RFC 4648 base32 (A-Z 2-7). Each guess costs
//    an identify request at a till, so 2^-80 per attempt is far beyond reach.
// The token proves the holder had the member's portal open within the last minute; it is not a
// payment credential.
inline constexpr std::string_view kMemberQrPrefix = "M1.";
inline constexpr int64_t kMemberQrStepSeconds = 30;
inline constexpr size_t kMemberQrTagChars = 16;
inline constexpr size_t kMemberQrMaxMemberIdChars = 64;
// Shorter keys are refused: a short key can be found by trying them all.
inline constexpr size_t kMemberQrMinKeyBytes = 16;

struct MemberQrClaim {
  std::string member_id;
  int64_t step = 0;  // the 30-second step the token was issued in
};

// The 30-second step containing `t` (floor, also before 1970).
int64_t MemberQrStep(Instant t);

// The token for `member_id` at `now`. Errors: qr_key_missing (kFailedPrecondition) for a key
// shorter than kMemberQrMinKeyBytes; invalid_member_id (kInvalidArgument, field "member_id") for
// an empty, too long or non [A-Za-z0-9_-] id.
Result<std::string> IssueMemberQrToken(std::string_view key, std::string_view member_id,
                                       Instant now);

// Checks a scanned token at `now` (injected; no clock is read). Accepts tokens issued in the
// previous, current or next step (the next one covers servers whose clocks differ by a little),
// so a token stays usable for 30 to 60 seconds after it is shown. Outcomes:
//  - the claim: the tag matches and the step is within one of now's step;
//  - invalid_qr_token (kInvalidArgument, field "qr_token"): not this layout, a tag that does not
//    match (forged, altered or another chain's key), or a step more than one ahead of now;
//  - expired_qr_token (kFailedPrecondition, field "qr_token"): genuine but older than the
//    previous step: the member should reopen the card page (a screenshot stops working);
//  - qr_key_missing (kFailedPrecondition): `key` is shorter than kMemberQrMinKeyBytes.
Result<MemberQrClaim> VerifyMemberQrToken(std::string_view key, std::string_view token,
                                          Instant now);

}  // namespace loyalty::pos
