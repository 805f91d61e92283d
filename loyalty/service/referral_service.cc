// Referral use cases.
#include "loyalty/service/referral_service.h"

namespace loyalty {

Status ReferralService::CheckReferrer(const std::string& referrer_id) {
  auto found = members_.FindById(referrer_id);
  if (!found) return Fail(found.error());
  if (!*found || (*found)->profile.status != MemberStatus::kActive) {
    return InvalidField("referred_by", "invalid_referrer",
                        "referred_by must be the member id of an active member");
  }
  return {};
}

Status ReferralService::Record(const std::string& member_id, const std::string& referrer_id) {
  if (member_id == referrer_id) {
    return InvalidField("referred_by", "invalid_referrer", "a member cannot refer themselves");
  }
  return referrals_.Record(member_id, referrer_id, clock_.Now());
}

Status ReferralService::OnPurchase(const Actor& actor, const std::string& member_id) {
  auto referrer = referrals_.UnrewardedReferrer(member_id);
  if (!referrer) return Fail(referrer.error());
  if (!*referrer) return {};
  auto program = program_.Current();
  if (!program) return Fail(program.error());
  // Each award is unique by its ref, so a crash or retry between these steps never pays twice.
  if (auto given = points_.Award(actor, member_id, "referral", program->awards.referral_referee);
      !given) {
    return Fail(given.error());
  }
  auto rewarded = referrals_.RewardedCount(**referrer);
  if (!rewarded) return Fail(rewarded.error());
  if (*rewarded < program->awards.max_referrals_per_member) {
    auto given = points_.Award(actor, **referrer, "referral:" + member_id,
                               program->awards.referral_referrer);
    if (!given) return Fail(given.error());
  }
  return referrals_.MarkRewarded(member_id, clock_.Now());
}

}  // namespace loyalty
