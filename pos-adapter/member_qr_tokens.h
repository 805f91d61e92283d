// MemberTokenVerifier over the rotating member QR token (member_qr.h) with the chain's QR key.
#pragma once

#include "loyalty/domain/ports/member_token_verifier.h"

namespace loyalty::pos {

class HmacMemberTokens final : public MemberTokenVerifier {
 public:
  explicit HmacMemberTokens(std::string key) : key_(std::move(key)) {}
  Result<std::string> MemberIdFromToken(const std::string& token, Instant now) const override;
  Result<std::string> TokenFor(const std::string& member_id, Instant now) const override;

 private:
  std::string key_;
};

}  // namespace loyalty::pos
