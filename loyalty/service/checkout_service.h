// The till's side of a sale before it is paid: identifying the shopper by card, phone or rotating
// QR token, and pricing the basket (a quote). Committing, returns and voids: sale_service.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/domain/checkout.h"
#include "loyalty/domain/ports/member_token_verifier.h"
#include "loyalty/domain/ports/pos_transaction_store.h"
#include "loyalty/domain/ports/quote_store.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/domain/ports/store_directory.h"
#include "loyalty/service/coupon_service.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/purchase_service.h"
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

// A basket to price, as POST /v1/pos/quotes sends it.
struct QuoteRequest {
  std::optional<std::string> quote_id;  // re-price this till's earlier quote (keeps its holds)
  std::string new_quote_id;             // otherwise the new quote's id (empty: a random one)
  std::string store_id;
  std::string terminal_id;
  std::optional<std::string> member_id;
  std::vector<TillLine> lines;
  std::vector<std::string> coupon_codes;
  int64_t redeem_points = 0;
};

struct ReceiptLines {
  std::vector<std::string> zh;
  std::vector<std::string> en;
};

struct QuoteResult {
  StoredQuote quote;
  CouponEvaluation coupons;         // applied (held until quote.expires_at) and rejected
  std::vector<BasketLine> payable;  // each line after its coupon discount
  std::string currency;
  std::string store_zone;        // the store's IANA zone
  int64_t points_available = 0;  // before this sale
  ReceiptLines receipt;
};

struct CheckoutPorts {
  StoreDirectory& stores;
  QuoteStore& quotes;
  PosTransactionStore& transactions;  // for "saved this year" on the receipt
  RandomSource& random;
  const MemberTokenVerifier& tokens;
  const Clock& clock;
};

class CheckoutService {
 public:
  CheckoutService(CheckoutPorts ports, MemberService& members, PointsService& points,
                  TierService& tiers, CouponService& coupons, PurchaseService& purchases)
      : ports_(ports),
        members_(members),
        points_(points),
        tiers_(tiers),
        coupons_(coupons),
        purchases_(purchases) {}

  // 400 invalid_identify_request unless exactly one way is given; the lookups' own 400s (a
  // mistyped card number), 400 invalid_qr_token, 409 expired_qr_token (ask the member to
  // reopen the card page), and 404 member_not_found.
  Result<Identified> Identify(const Actor& actor, const IdentifyRequest& request);
  // The member's QR token right now (the portal's card page shows it and refreshes it every
  // 30 s; staff may fetch it to help at the desk).
  Result<std::string> QrToken(const Actor& actor, const std::string& member_id);

  // Prices a basket: coupon discounts per line (the coupons held for the quote), points used as
  // tender, points to earn, and receipt lines. The quote holds until expires_at (the coupon
  // reservation time); the points it redeems count against the member's balance for other
  // quotes until then. Errors: 403 for another store or terminal, 404 store_not_found /
  // member_not_found, 400 invalid_basket naming the line, invalid_redeem_points (no member,
  // outside the program's per-transaction range, or worth more than the amount due), 409
  // insufficient_points.
  // A quote_id in the request re-prices that quote of the same till (an item added, a coupon
  // scanned): it keeps its id, and its coupons and points count as its own, not as held by
  // another checkout. 404 quote_not_found; 403 quote_forbidden for another till's quote.
  Result<QuoteResult> Quote(const Actor& actor, const QuoteRequest& request);
  // The shopper walked away: the quote's coupons go back to the wallet and its points are free
  // at once. Same 404/403 as above.
  Status CancelQuote(const Actor& actor, const std::string& store_id,
                     const std::string& terminal_id, const std::string& quote_id);
  // The stored quote `quote_id` of this store and terminal: 404 quote_not_found, 403
  // quote_forbidden for another till's.
  Result<StoredQuote> OwnQuote(const std::string& store_id, const std::string& terminal_id,
                               const std::string& quote_id);
  // Checks the actor may sell as this store and terminal (403 store_forbidden /
  // terminal_mismatch).
  Status RequireTill(const Actor& actor, const std::string& store_id,
                     const std::string& terminal_id) const;
  // The store's IANA zone; 404 store_not_found.
  Result<std::string> StoreZone(const std::string& store_id);
  // At most this many codes on one basket (the evaluator considers kMaxCouponsPerBasket).
  static constexpr size_t kMaxCodesPerQuote = 20;

 private:
  ReceiptLines Receipt(const Actor& actor, const StoredQuote& quote, const PointsSummary& summary,
                       const std::string& currency, const std::string& store_zone);

  CheckoutPorts ports_;
  MemberService& members_;
  PointsService& points_;
  TierService& tiers_;
  CouponService& coupons_;
  PurchaseService& purchases_;
};

}  // namespace loyalty
