// Referrals: a member names who brought them at enrolment; on their first purchase both get the
// program's referral awards (the referrer at most awards.max_referrals_per_member times).
#pragma once

#include <string>

#include "loyalty/domain/ports/member_repository.h"
#include "loyalty/domain/ports/program_store.h"
#include "loyalty/domain/ports/referral_store.h"
#include "loyalty/service/points_service.h"

namespace loyalty {

class ReferralService {
 public:
  ReferralService(ReferralStore& referrals, MemberRepository& members, ProgramStore& program,
                  PointsService& points, const Clock& clock)
      : referrals_(referrals), members_(members), program_(program), points_(points), clock_(clock) {}

  // Before enrolment: 400 invalid_referrer (field "referred_by") unless an active member.
  Status CheckReferrer(const std::string& referrer_id);
  // After enrolment: records who referred `member_id`.
  Status Record(const std::string& member_id, const std::string& referrer_id);
  // After each purchase of `member_id`: rewards both sides once, the first time.
  Status OnPurchase(const Actor& actor, const std::string& member_id);

 private:
  ReferralStore& referrals_;
  MemberRepository& members_;
  ProgramStore& program_;
  PointsService& points_;
  const Clock& clock_;
};

}  // namespace loyalty
