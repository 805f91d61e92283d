// Purchase use case.
#include "loyalty/service/purchase_service.h"

#include "loyalty/common/time_format.h"

namespace loyalty {

Result<EarnQuote> PurchaseService::Quote(const std::string& member_id, const Purchase& purchase) {
  auto found = members_.FindById(member_id);
  if (!found) return Fail(found.error());
  if (!*found || (*found)->profile.status == MemberStatus::kErased) {
    return Fail(Code::kNotFound, "member_not_found", "no member with this id");
  }
  auto program = program_.Current();
  if (!program) return Fail(program.error());
  EarnContext context{purchase.at, purchase.store_id, purchase.store_zone, (*found)->profile.tier,
                      std::nullopt};
  if ((*found)->birthday_cipher) {
    auto birthday = pii_.Decrypt(*(*found)->birthday_cipher);
    if (!birthday) return Fail(birthday.error());
    context.birthday = ParseDate(*birthday);
  }
  return ComputeEarn(*program, purchase.lines, context);
}

Result<PurchaseResult> PurchaseService::Record(const Actor& actor, const std::string& member_id,
                                               const Purchase& purchase) {
  auto quote = Quote(member_id, purchase);
  if (!quote) return Fail(quote.error());
  PurchaseResult result;
  result.earned = *quote;
  if (quote->points > 0) {
    auto change = points_.Earn(actor, member_id, quote->points,
                               PointsReason{"transaction", purchase.ref, "purchase", purchase.store_id});
    if (!change) return Fail(change.error());
    result.available = change->state.account.available;
    result.pending = change->state.account.pending;
  }
  int64_t spend = 0;
  for (const BasketLine& l : purchase.lines) spend += l.net_minor;
  auto tier = tiers_.RecordPurchase(actor, member_id, TierActivity{purchase.at, spend, quote->points, 1},
                                    purchase.ref);
  if (!tier) return Fail(tier.error());
  result.tier_change = *tier;
  if (referrals_) {
    if (auto ok = referrals_->OnPurchase(actor, member_id); !ok) return Fail(ok.error());
  }
  return result;
}

}  // namespace loyalty
