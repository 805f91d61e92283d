// Port: committed till transactions. Each commit, return or void is one database transaction
// that claims the till's (store, terminal, pos_txn_id) first and then writes every effect (coupon
// redemptions, points, tier, lines), so a sale is either all there or not at all, and a replay
// or a parallel retry of the same pos_txn_id gets the first result.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/ports/coupon_repository.h"
#include "loyalty/domain/ports/ledger_repository.h"
#include "loyalty/domain/ports/tier_repository.h"
#include "loyalty/domain/pos_transaction.h"

namespace loyalty {

// A sale to write: the transaction (txn_id assigned, lines priced) and what it changes.
struct SaleCommit {
  PosTransaction txn;
  std::optional<CouponRedemption> coupons;
  std::optional<LedgerDecision> points;  // redeem and earn, decided under the account lock
  std::optional<TierUpdate> tier;
};

// The sale's coupons a return or void gives back.
struct CouponRestore {
  std::string txn_ref;
  std::vector<CouponUse> uses;
};

// What a return or void changes, decided from the sale as locked (its lines' returned_qty).
struct ReturnEffects {
  std::vector<PosLine> sale_lines;  // the sale's lines with their new returned_qty
  bool void_sale = false;           // a post-void marks the sale voided
  std::optional<LedgerDecision> points;
  std::optional<TierUpdate> tier;
  std::optional<CouponRestore> coupons;
};
// Fills `ret` (lines, amounts, points) and returns the effects. May run more than once (retries):
// no side effects.
using ReturnDecision =
    std::function<Result<ReturnEffects>(const PosTransaction& sale, PosTransaction& ret)>;

struct CommitOutcome {
  PosTransaction txn;     // as stored (the first one for a replay)
  bool replayed = false;  // (store, terminal, pos_txn_id) was already committed: nothing written
  std::optional<TierChange> tier_change;
};

// One line of the cashier-exceptions report.
struct PosException {
  std::string kind;  // "return_without_receipt" or "refund_then_rebuy"
  std::string store_id;
  std::string cashier_id;
  std::string txn_id;  // the return
  std::string pos_txn_id;
  std::optional<std::string> rebuy_txn_id;  // refund_then_rebuy: the sale that bought it again
  std::string sku;                          // refund_then_rebuy
  int64_t amount_minor = 0;
  Instant at{};
};

class PosTransactionStore {
 public:
  virtual ~PosTransactionStore() = default;

  virtual Result<std::optional<PosTransaction>> Find(const std::string& txn_id) = 0;
  virtual Result<std::optional<PosTransaction>> FindByTill(const std::string& store_id,
                                                           const std::string& terminal_id,
                                                           const std::string& pos_txn_id) = 0;

  // In one transaction: claims the till id (taken: rolls back and returns the stored one,
  // replayed), redeems the coupons, applies the points (balance_after is read from the result)
  // and the tier update, stores the transaction with its lines, and ends its quote. Errors of
  // the coupons (coupon_unavailable, coupon_limit_reached...) or points (insufficient_points)
  // roll everything back and are returned as is.
  virtual Result<CommitOutcome> CommitSale(const SaleCommit& sale) = 0;

  // A return or void of `original_txn_id` (ret.original_txn_id): claims ret's till id, locks
  // the sale, runs `decide`, and writes the effects and `ret` in one transaction. A sale that
  // does not exist is 404 transaction_not_found.
  virtual Result<CommitOutcome> CommitReturn(PosTransaction ret, const ReturnDecision& decide) = 0;

  // A return the till made without a sale to point to: stored flagged, changes nothing else.
  virtual Result<CommitOutcome> RecordUnlinkedReturn(const PosTransaction& ret) = 0;

  // Points the member redeemed in offline sales that occurred in [from, to) (the daily cap).
  virtual Result<int64_t> OfflineRedeemed(const std::string& member_id, Instant from,
                                          Instant to) = 0;
  // Offline sales in [from, to) that left debt, a write-off or rejected coupons, newest first,
  // at most `limit`; `store_id` empty = every store.
  virtual Result<std::vector<PosTransaction>> OfflineReconciliation(const std::string& store_id,
                                                                    Instant from, Instant to,
                                                                    int limit) = 0;

  // What coupons took off the member's sales since `since` (not voided, less the discount share
  // of what came back): "saved this year" on the receipt.
  virtual Result<int64_t> SavedSince(const std::string& member_id, Instant since) = 0;

  // Returns without receipt, and returns whose SKU the same store sold again within a day, in
  // [from, to), at most `limit`, newest first; `store_id` empty = every store.
  virtual Result<std::vector<PosException>> Exceptions(const std::string& store_id, Instant from,
                                                       Instant to, int limit) = 0;
};

}  // namespace loyalty
