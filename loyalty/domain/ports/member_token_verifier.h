// Port: the rotating QR token a member shows at the till (a short-lived HMAC; adapter in
// pos-adapter/), so a screenshot stops working within a minute.
#pragma once

#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty {

class MemberTokenVerifier {
 public:
  virtual ~MemberTokenVerifier() = default;
  // The member id inside a valid token; invalid_qr_token or expired_qr_token otherwise.
  virtual Result<std::string> MemberIdFromToken(const std::string& token, Instant now) const = 0;
  // A token for `member_id` valid around `now` (the portal shows it as a QR code).
  virtual Result<std::string> TokenFor(const std::string& member_id, Instant now) const = 0;
};

}  // namespace loyalty
