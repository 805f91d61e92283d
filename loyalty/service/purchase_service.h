// A member's purchase as the points engine sees it: points by the earn rules (tier, bonus
// events, birthday month), credited to the ledger, and counted towards the tier. The POS
// checkout calls this; so do tests of the earn rules end to end.
#pragma once

#include "loyalty/domain/earn.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/referral_service.h"
#include "loyalty/service/tier_service.h"

namespace loyalty {

struct Purchase {
  std::string ref;  // the transaction id; also the points' ref for returns
  std::string store_id;
  std::string store_zone = "Asia/Shanghai";
  Instant at{};
  std::vector<BasketLine> lines;
};

struct PurchaseResult {
  EarnQuote earned;
  std::optional<TierChange> tier_change;
  int64_t available = 0;
  int64_t pending = 0;
};

class PurchaseService {
 public:
  // `referrals` (optional) rewards referrals on a member's first purchase.
  PurchaseService(MemberRepository& members, PiiProtector& pii, ProgramStore& program,
                  PointsService& points, TierService& tiers, ReferralService* referrals = nullptr)
      : members_(members), pii_(pii), program_(program), points_(points), tiers_(tiers),
        referrals_(referrals) {}

  // Points as they would be earned, without recording anything (the quote at the till).
  Result<EarnQuote> Quote(const std::string& member_id, const Purchase& purchase);
  Result<PurchaseResult> Record(const Actor& actor, const std::string& member_id,
                                const Purchase& purchase);

 private:
  MemberRepository& members_;
  PiiProtector& pii_;
  ProgramStore& program_;
  PointsService& points_;
  TierService& tiers_;
  ReferralService* referrals_;
};

}  // namespace loyalty
