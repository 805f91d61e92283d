// Checkout use cases.
#include "loyalty/service/checkout_service.h"

#include <algorithm>

namespace loyalty {
namespace {

// Wallet pages read while collecting a member's usable coupons; a wallet this large is unusual.
constexpr int kWalletPage = 200;
constexpr int kMaxWalletPages = 5;

Status RequireOpen(const Member& member) {
  if (member.status != MemberStatus::kErased) return {};
  return Fail(Code::kNotFound, "member_not_found", "this membership was closed");
}

}  // namespace

Result<Identified> CheckoutService::Identify(const Actor& actor, const IdentifyRequest& request) {
  const int given = int(request.card_no.has_value()) + int(request.phone.has_value()) +
                    int(request.qr_token.has_value());
  if (given != 1) {
    return InvalidField("card_no", "invalid_identify_request",
                        "send exactly one of card_no, phone or qr_token");
  }
  Result<Member> member = Fail(Code::kInternal, "unreachable", "");
  if (request.card_no) {
    member = members_.FindByCard(actor, *request.card_no);
  } else if (request.phone) {
    member = members_.FindByPhone(actor, *request.phone);
  } else {
    auto member_id = tokens_.MemberIdFromToken(*request.qr_token, clock_.Now());
    if (!member_id) return Fail(member_id.error());
    member = members_.Get(actor, *member_id);
  }
  if (!member) return Fail(member.error());
  if (auto open = RequireOpen(*member); !open) return Fail(open.error());
  auto points = points_.Summary(actor, member->member_id);
  if (!points) return Fail(points.error());
  auto tier = tiers_.View(actor, member->member_id);
  if (!tier) return Fail(tier.error());
  Identified out{std::move(*member), std::move(*points), tier->level, {}};
  std::string after;
  for (int page = 0; page < kMaxWalletPages; ++page) {
    auto wallet = coupons_.Wallet(actor, out.member.member_id, after, kWalletPage);
    if (!wallet) return Fail(wallet.error());
    for (CouponView& v : wallet->coupons) {
      if (v.state == CouponWalletState::kAvailable) out.usable_coupons.push_back(std::move(v));
    }
    if (!wallet->next_cursor) break;
    after = *wallet->next_cursor;
  }
  std::stable_sort(out.usable_coupons.begin(), out.usable_coupons.end(),
                   [](const CouponView& a, const CouponView& b) {
                     const auto& x = a.coupon.instance.valid_until;
                     const auto& y = b.coupon.instance.valid_until;
                     if (x.has_value() != y.has_value()) return x.has_value();  // expiring first
                     return x && y && *x < *y;
                   });
  return out;
}

Result<std::string> CheckoutService::QrToken(const Actor& actor, const std::string& member_id) {
  auto member = members_.Get(actor, member_id);
  if (!member) return Fail(member.error());
  if (auto open = RequireOpen(*member); !open) return Fail(open.error());
  return tokens_.TokenFor(member_id, clock_.Now());
}

}  // namespace loyalty
