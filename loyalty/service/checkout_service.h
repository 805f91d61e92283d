// The till's side of a sale. So far: identifying the shopper by card, phone or rotating QR token
// and showing what they can use (quote, commit, returns and voids come next).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/domain/ports/member_token_verifier.h"
#include "loyalty/service/coupon_service.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/tier_service.h"

namespace loyalty {

// Exactly one of these: what the cashier scanned or typed.
struct IdentifyRequest {
  std::optional<std::string> card_no;
  std::optional<std::string> phone;
  std::optional<std::string> qr_token;
};

struct Identified {
  Member member;
  PointsSummary points;
  TierLevel tier;
  std::vector<CouponView> usable_coupons;  // available now, soonest expiring first
};

class CheckoutService {
 public:
  CheckoutService(MemberService& members, PointsService& points, TierService& tiers,
                  CouponService& coupons, const MemberTokenVerifier& tokens, const Clock& clock)
      : members_(members), points_(points), tiers_(tiers), coupons_(coupons), tokens_(tokens),
        clock_(clock) {}

  // 400 invalid_identify_request unless exactly one way is given; the lookups' own 400s (a
  // mistyped card number), 400 invalid_qr_token, 409 expired_qr_token (ask the member to
  // reopen the card page), and 404 member_not_found.
  Result<Identified> Identify(const Actor& actor, const IdentifyRequest& request);
  // The member's QR token right now (the portal's card page shows it and refreshes it every
  // 30 s; staff may fetch it to help at the desk).
  Result<std::string> QrToken(const Actor& actor, const std::string& member_id);

 private:
  MemberService& members_;
  PointsService& points_;
  TierService& tiers_;
  CouponService& coupons_;
  const MemberTokenVerifier& tokens_;
  const Clock& clock_;
};

}  // namespace loyalty
