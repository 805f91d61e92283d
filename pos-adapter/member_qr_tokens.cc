// Member QR tokens as the checkout sees them.
#include "pos-adapter/member_qr_tokens.h"

#include "pos-adapter/member_qr.h"

namespace loyalty::pos {

Result<std::string> HmacMemberTokens::MemberIdFromToken(const std::string& token,
                                                        Instant now) const {
  auto claim = VerifyMemberQrToken(key_, token, now);
  if (!claim) return Fail(claim.error());
  return claim->member_id;
}

Result<std::string> HmacMemberTokens::TokenFor(const std::string& member_id, Instant now) const {
  return IssueMemberQrToken(key_, member_id, now);
}

}  // namespace loyalty::pos
