// The till's committed transactions: a sale (from its quote or a basket, with pay-to-join),
// returns by line and quantity, post-voids, and the cashier-exceptions report. Each one is
// written in one database transaction and is idempotent on the till's (store, terminal, id).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/domain/ports/pos_transaction_store.h"
#include "loyalty/service/checkout_service.h"
#include "loyalty/service/referral_service.h"

namespace loyalty {

struct Tender {
  std::string type;  // cash, card, wechat, alipay, voucher...
  int64_t amount_minor = 0;
};

// Enrol the shopper on the spot (pay-to-join): their phone and their yes.
struct JoinRequest {
  std::string phone;
  std::optional<std::string> name;  // a placeholder name when not given
  bool consent = false;             // the shopper agreed to join
};

// The till's identity for one committed transaction.
struct TillTxn {
  std::string store_id;
  std::string terminal_id;
  std::string pos_txn_id;
  std::string request_hash;  // of the body: a replay must match
  std::string cashier_id;
  std::optional<Instant> occurred_at;  // default now; never more than 5 minutes ahead
};

// A sale: the quote to commit (optionally with a changed basket), or a basket on its own.
struct CommitRequest {
  TillTxn till;
  std::optional<std::string> quote_id;
  // Without quote_id the basket is priced as a new quote with this id (empty: a random one). The
  // API derives it from the till's ids, so every attempt of one transaction (a retry after
  // tenders_short, parallel retries after a timeout) holds coupons under the same quote and
  // prices the basket the same way.
  std::string basket_quote_id;
  // Without lines the quote's basket, member, codes and points are committed as quoted.
  std::optional<std::string> member_id;
  std::vector<TillLine> lines;
  std::vector<std::string> coupon_codes;
  int64_t redeem_points = 0;
  std::vector<Tender> tenders;
  std::optional<JoinRequest> join;
  // Recorded while the till was offline (the journal): the shopper already left with the
  // discounts. Coupons that are not valid now are listed, not refused; redeemed points beyond
  // the member's offline allowance for the day or balance become debt or a write-off
  // (program.offline, program.refund); no quote, no tender check.
  bool offline = false;
};

struct ReturnRequest {
  TillTxn till;  // pos_txn_id is the return's own id
  std::string sale_txn_id;
  std::vector<ReturnLineRequest> lines;
  // For a sale this system does not know (no receipt): what came back, recorded and flagged.
  std::vector<TillLine> unlinked_lines;
};

struct PosReportQuery {
  std::string store_id;  // empty: every store the actor sees
  Instant from{}, to{};
  int limit = 200;
};

class SaleService {
 public:
  SaleService(PosTransactionStore& transactions, CheckoutService& checkout, MemberService& members,
              PointsService& points, TierService& tiers, CouponService& coupons,
              RandomSource& random, const Clock& clock, ReferralService* referrals = nullptr)
      : transactions_(transactions),
        checkout_(checkout),
        members_(members),
        points_(points),
        tiers_(tiers),
        coupons_(coupons),
        random_(random),
        clock_(clock),
        referrals_(referrals) {}

  // Commits a sale. The basket is priced again (as a re-quote under quote_id): if the quote ran
  // out and its coupons are gone, or the basket changed, the amount due differs and the commit
  // is refused with 409 quote_changed naming the new due_minor (the till shows it and commits
  // again). Tenders, when given, must cover the amount due (409 tenders_short).
  // A pos_txn_id already committed by this till gives the stored result (replayed) if the body
  // is the same, 422 pos_txn_id_reused otherwise. With `join` and no member, the phone's member
  // is used, or a new one enrolled (join.consent must be true).
  Result<CommitOutcome> Commit(const Actor& actor, const CommitRequest& request);

  // Returns lines of a sale: refunds in proportion to what was paid for them, claws back the
  // points they earned (per the refund policy), gives back redeemed points (program.returns) and,
  // once the whole sale is back, its coupons; records negative tier activity. A sale that is
  // not known is recorded as a flagged return without receipt (no points) when unlinked_lines
  // describe what came back, else 404 transaction_not_found.
  Result<CommitOutcome> Return(const Actor& actor, const ReturnRequest& request);

  // Post-void: everything of the sale not yet returned comes back, every coupon and redeemed
  // point too; the sale is marked voided (409 transaction_voided for a second void under
  // another id).
  Result<CommitOutcome> Void(const Actor& actor, const TillTxn& till,
                             const std::string& sale_txn_id);

  // Offline sales that left debt, a write-off or rejected coupons (reconciliation).
  Result<std::vector<PosTransaction>> OfflineReconciliation(const Actor& actor,
                                                            const PosReportQuery& q);
  // The sale a till id names (the journal's returns and voids refer to sales this way).
  Result<std::optional<PosTransaction>> FindByTill(const std::string& store_id,
                                                   const std::string& terminal_id,
                                                   const std::string& pos_txn_id);

  // Returns without receipt and refund-then-rebuy within a day, per store and cashier.
  Result<std::vector<PosException>> Exceptions(const Actor& actor, const PosReportQuery& q);

 private:
  // Checks who may read the POS reports for `q.store_id` and the period.
  Status RequireReports(const Actor& actor, const PosReportQuery& q) const;
  // The offline allowance of points the member has left on the business day of `at`.
  Result<int64_t> OfflineAllowance(const std::string& member_id, Instant at,
                                   const std::string& store_zone, int64_t per_day);
  // Checks the till's id and time; fills the defaults.
  Result<TillTxn> CheckTill(const Actor& actor, TillTxn till) const;
  // A new transaction of `kind` for the till's id, with our id and the times.
  PosTransaction NewTransaction(const TillTxn& till, PosTxnKind kind) const;
  // The stored transaction of this till id, if any (422 when the body differs).
  Result<std::optional<CommitOutcome>> Earlier(const TillTxn& till);
  // Checks a stored outcome against the request (422-style pos_txn_id_reused for other
  // content), fills a return's receipt, and turns a failure into the stored result when a
  // parallel retry committed it.
  Result<CommitOutcome> Finished(Result<CommitOutcome> outcome, const TillTxn& till);
  // The member to sell to when the till asks to enrol the shopper.
  Result<std::string> Join(const Actor& actor, const JoinRequest& join);
  Result<CommitOutcome> Undo(const Actor& actor, const TillTxn& till,
                             const std::string& sale_txn_id,
                             const std::vector<ReturnLineRequest>& lines, bool is_void);

  PosTransactionStore& transactions_;
  CheckoutService& checkout_;
  MemberService& members_;
  PointsService& points_;
  TierService& tiers_;
  CouponService& coupons_;
  RandomSource& random_;
  const Clock& clock_;
  ReferralService* referrals_;
};

// The receipt lines of a return or void (zh-CN and en), from what it stored.
ReceiptLines ReturnReceipt(const PosTransaction& ret);

}  // namespace loyalty
