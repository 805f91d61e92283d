// Checkout use cases.
#include "loyalty/service/checkout_service.h"

#include <algorithm>

#include "loyalty/common/business_date.h"
#include "loyalty/common/time_format.h"

namespace loyalty {
namespace {

// Wallet pages read while collecting a member's usable coupons; a wallet this large is unusual.
constexpr int kWalletPage = 200;
constexpr int kMaxWalletPages = 5;

// Gives a quote's coupons back unless the quote was saved: every refusal after the coupons were
// reserved must not leave them held until the reservation runs out.
struct ReleaseUnlessKept {
  CouponService& coupons;
  const Actor& actor;
  std::string reservation_id;
  bool kept = false;
  ~ReleaseUnlessKept() {
    if (!kept) (void)coupons.Release(actor, reservation_id);
  }
};

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
  auto member = [&]() -> Result<Member> {
    if (request.card_no) return members_.FindByCard(actor, *request.card_no);
    if (request.phone) return members_.FindByPhone(actor, *request.phone);
    auto member_id = ports_.tokens.MemberIdFromToken(*request.qr_token, ports_.clock.Now());
    if (!member_id) return Fail(member_id.error());
    return members_.Get(actor, *member_id);
  }();
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

Status CheckoutService::RequireTill(const Actor& actor, const std::string& store_id,
                                    const std::string& terminal_id) const {
  if (auto ok = Require(actor.principal, Permission::kCheckout); !ok) return Fail(ok.error());
  if (!actor.principal.SeesStore(store_id)) {
    return Fail(Code::kPermissionDenied, "store_forbidden",
                "this till may not sell in store " + store_id);
  }
  // A signed till speaks only for itself (its principal is "terminal:<id>").
  if (actor.principal.staff_id.starts_with("terminal:") &&
      actor.principal.username != terminal_id) {
    return Fail(Code::kPermissionDenied, "terminal_mismatch",
                "the request is signed by " + actor.principal.username + " but names terminal " +
                    terminal_id);
  }
  return {};
}

Result<StoredQuote> CheckoutService::OwnQuote(const std::string& store_id,
                                              const std::string& terminal_id,
                                              const std::string& quote_id) {
  auto found = ports_.quotes.Find(quote_id);
  if (!found) return Fail(found.error());
  if (!*found) return Fail(Code::kNotFound, "quote_not_found", "no quote " + quote_id);
  if ((*found)->store_id != store_id || (*found)->terminal_id != terminal_id) {
    return Fail(Code::kPermissionDenied, "quote_forbidden",
                "quote " + quote_id + " belongs to another till");
  }
  return **found;
}

Status CheckoutService::CancelQuote(const Actor& actor, const std::string& store_id,
                                    const std::string& terminal_id, const std::string& quote_id) {
  if (auto ok = RequireTill(actor, store_id, terminal_id); !ok) return ok;
  auto quote = OwnQuote(store_id, terminal_id, quote_id);
  if (!quote) return Fail(quote.error());
  if (auto released = coupons_.Release(actor, quote_id); !released) return released;
  return ports_.quotes.End(quote_id, ports_.clock.Now());
}

Result<QuoteResult> CheckoutService::Quote(const Actor& actor, const QuoteRequest& request) {
  if (auto ok = RequireTill(actor, request.store_id, request.terminal_id); !ok) {
    return Fail(ok.error());
  }
  if (request.coupon_codes.size() > kMaxCodesPerQuote) {
    return InvalidField(
        "coupon_codes", "too_many_coupon_codes",
        "at most " + std::to_string(kMaxCodesPerQuote) + " coupon codes per basket");
  }
  for (size_t i = 0; i < request.coupon_codes.size(); ++i) {
    if (request.coupon_codes[i].size() > 64) {
      const std::string field = "coupon_codes[" + std::to_string(i) + "]";
      return InvalidField(field, "invalid_code", field + " is longer than any coupon code");
    }
  }
  std::optional<StoredQuote> earlier;
  if (request.quote_id) {
    auto own = OwnQuote(request.store_id, request.terminal_id, *request.quote_id);
    if (!own) return Fail(own.error());
    earlier = std::move(*own);
  }
  auto basket = BasketFromTill(request.lines);
  if (!basket) return Fail(basket.error());
  if (request.redeem_points < 0) {
    return InvalidField("redeem_points", "invalid_redeem_points",
                        "redeem_points must be 0 or more");
  }
  if (request.redeem_points > 0 && !request.member_id) {
    return InvalidField("redeem_points", "invalid_redeem_points",
                        "points can only be redeemed for an identified member");
  }
  auto store = ports_.stores.Find(request.store_id);
  if (!store) return Fail(store.error());
  if (!*store) {
    return Fail(Code::kNotFound, "store_not_found", "no store " + request.store_id);
  }
  auto program = points_.Program();
  if (!program) return Fail(program.error());
  PointsSummary summary;
  if (request.member_id) {
    auto member = members_.Get(actor, *request.member_id);
    if (!member) return Fail(member.error());
    if (auto open = RequireOpen(*member); !open) return Fail(open.error());
    auto points = points_.Summary(actor, *request.member_id);
    if (!points) return Fail(points.error());
    summary = *points;
  }
  const Instant now = ports_.clock.Now();
  QuoteResult out;
  out.currency = program->currency;
  out.store_zone = (*store)->time_zone;
  out.points_available = summary.available;
  StoredQuote& q = out.quote;
  q.quote_id = earlier                       ? earlier->quote_id
               : !request.new_quote_id.empty() ? request.new_quote_id
                                               : ports_.random.NewId();
  q.store_id = request.store_id;
  q.terminal_id = request.terminal_id;
  q.member_id = request.member_id;
  q.lines = *basket;
  q.coupon_codes = request.coupon_codes;
  q.redeem_points = request.redeem_points;
  q.created_at = now;

  auto coupons =
      coupons_.Quote(actor, CouponCheckout{q.quote_id, q.member_id, q.store_id, (*store)->time_zone,
                                           q.lines, request.coupon_codes});
  if (!coupons) return Fail(coupons.error());
  ReleaseUnlessKept hold{coupons_, actor, q.quote_id};
  out.coupons = std::move(coupons->evaluation);
  // Coupons are held for the reservation time; a quote without coupons lives as long.
  q.expires_at = coupons->reserved_until.value_or(now + coupons_.ReservationTtl());
  out.payable = AfterDiscounts(q.lines, out.coupons.lines);
  q.total_minor = out.coupons.basket_total_minor;
  q.discount_minor = out.coupons.total_discount_minor;

  // Points as tender: within the program's range, worth no more than what is left to pay, and
  // not already promised to another live quote of the same member.
  const RedemptionRules& rules = program->redemption;
  const int64_t after_coupons = out.coupons.basket_total_after_minor;
  if (q.redeem_points > 0) {
    if (q.redeem_points < rules.min_points || q.redeem_points > rules.max_points) {
      return InvalidField("redeem_points", "invalid_redeem_points",
                          "redeem between " + std::to_string(rules.min_points) + " and " +
                              std::to_string(rules.max_points) + " points in one sale");
    }
    q.points_value_minor =
        MulDiv(q.redeem_points, rules.value_minor, rules.points, Rounding::kFloor).value_or(0);
    if (q.points_value_minor > after_coupons) {
      return InvalidField("redeem_points", "invalid_redeem_points",
                          "these points are worth more than the " +
                              ReceiptAmount(after_coupons, program->currency) + " left to pay");
    }
    auto held = ports_.quotes.HeldPoints(*q.member_id, now, q.quote_id);
    if (!held) return Fail(held.error());
    if (q.redeem_points > summary.available - *held) {
      return Fail(Code::kFailedPrecondition, "insufficient_points",
                  "the member has " +
                      std::to_string(std::max<int64_t>(0, summary.available - *held)) +
                      " points free to redeem");
    }
  }
  q.due_minor = after_coupons - q.points_value_minor;

  if (q.member_id) {
    auto earn = purchases_.Quote(
        *q.member_id, Purchase{q.quote_id, q.store_id, (*store)->time_zone, now, out.payable});
    if (!earn) return Fail(earn.error());
    q.points_to_earn = WithCouponMultipliers(earn->points, out.coupons.applied);
    out.receipt = Receipt(actor, q, summary, program->currency, out.store_zone);
  }
  if (auto saved = ports_.quotes.Save(q); !saved) return Fail(saved.error());
  hold.kept = true;
  return out;
}

ReceiptLines CheckoutService::Receipt(const Actor& actor, const StoredQuote& q,
                                      const PointsSummary& summary, const std::string& currency,
                                      const std::string& store_zone) {
  ReceiptLines r;
  const int64_t balance = summary.available - q.redeem_points;
  r.zh.push_back("本次可得积分 " + std::to_string(q.points_to_earn));
  r.en.push_back("Points this purchase: " + std::to_string(q.points_to_earn));
  if (q.redeem_points > 0) {
    r.zh.push_back("使用积分 " + std::to_string(q.redeem_points) + "，抵扣 " +
                   ReceiptAmount(q.points_value_minor, currency));
    r.en.push_back("Points used: " + std::to_string(q.redeem_points) + " (" +
                   ReceiptAmount(q.points_value_minor, currency) + ")");
  }
  r.zh.push_back("积分余额 " + std::to_string(balance));
  r.en.push_back("Points balance: " + std::to_string(balance));
  if (!summary.expiring.empty()) {
    const ExpiringPoints& e = summary.expiring.front();
    r.zh.push_back(std::to_string(e.points) + " 积分将于 " + FormatDate(e.last_day) + " 到期");
    r.en.push_back(std::to_string(e.points) + " points expire after " + FormatDate(e.last_day));
  }
  if (q.discount_minor > 0) {
    r.zh.push_back("优惠券节省 " + ReceiptAmount(q.discount_minor, currency));
    r.en.push_back("Saved with coupons: " + ReceiptAmount(q.discount_minor, currency));
  }
  // Courtesy lines (savings, tier progress): a failure to read them never fails the quote.
  const auto today = BusinessDate(q.created_at, store_zone);
  const Instant year_start = StartOfLocalDay(today.year() / date::January / 1, store_zone);
  if (auto saved = ports_.transactions.SavedSince(*q.member_id, year_start); saved) {
    const int64_t total = *saved + q.discount_minor;
    if (total > 0) {
      r.zh.push_back("今年已为您节省 " + ReceiptAmount(total, currency));
      r.en.push_back("Saved this year: " + ReceiptAmount(total, currency));
    }
  }
  if (auto tier = tiers_.View(actor, *q.member_id); tier && tier->next_level) {
    const std::string remaining = tier->metric == TierMetric::kSpend
                                      ? ReceiptAmount(tier->remaining_to_next, currency)
                                      : std::to_string(tier->remaining_to_next);
    const char* unit_zh = tier->metric == TierMetric::kSpend    ? "消费 "
                          : tier->metric == TierMetric::kPoints ? "积分 "
                                                                : "到店次数 ";
    const std::string en = tier->metric == TierMetric::kSpend    ? "Spend " + remaining + " more"
                           : tier->metric == TierMetric::kPoints ? remaining + " more points"
                                                                 : remaining + " more visits";
    r.zh.push_back("距离" + tier->next_level->name_zh + "还需" + unit_zh + remaining);
    r.en.push_back(en + " to reach " + tier->next_level->name_en);
  }
  return r;
}

Result<std::string> CheckoutService::StoreZone(const std::string& store_id) {
  auto store = ports_.stores.Find(store_id);
  if (!store) return Fail(store.error());
  if (!*store) return Fail(Code::kNotFound, "store_not_found", "no store " + store_id);
  return (*store)->time_zone;
}

Result<std::string> CheckoutService::QrToken(const Actor& actor, const std::string& member_id) {
  auto member = members_.Get(actor, member_id);
  if (!member) return Fail(member.error());
  if (auto open = RequireOpen(*member); !open) return Fail(open.error());
  return ports_.tokens.TokenFor(member_id, ports_.clock.Now());
}

}  // namespace loyalty
