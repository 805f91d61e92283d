// Committed till transactions as values, and the arithmetic of returns: which share of a sale a
// return refunds, and how many earned points go back and redeemed points come back, so that
// returning a sale in any number of parts undoes exactly what it did, never more.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty {

enum class PosTxnKind { kSale, kReturn, kVoid };
const char* PosTxnKindName(PosTxnKind k);
std::optional<PosTxnKind> ParsePosTxnKind(const std::string& s);

struct PosLine {
  int line_no = 0;  // a return's line names the sale's line
  std::string sku;
  std::string category;
  int64_t qty = 0;
  int64_t unit_price_minor = 0;
  int64_t net_minor = 0;       // qty × unit price
  int64_t discount_minor = 0;  // coupons
  int64_t paid_minor = 0;      // net less discount: earns points, measures refunds
  int64_t returned_qty = 0;    // a sale's line: how many came back so far
};

struct PosTransaction {
  std::string txn_id;  // ours: the ledger's and coupons' reference
  std::string store_id;
  std::string terminal_id;
  std::string pos_txn_id;  // the till's
  PosTxnKind kind = PosTxnKind::kSale;
  std::string request_hash;  // of the request body: a replay must send the same one
  std::optional<std::string> member_id;
  std::optional<std::string> original_txn_id;  // returns and voids: the sale
  std::optional<std::string> quote_id;
  std::string cashier_id;    // as the till reports it
  bool no_original = false;  // a return without a receipt: recorded, flagged, no points
  Instant occurred_at{};
  Instant committed_at{};
  std::optional<Instant> voided_at;  // a sale that was post-voided
  std::string currency;
  int64_t total_minor = 0;  // sale: basket before discounts; return/void: amount refunded
  int64_t discount_minor = 0;
  int64_t points_redeemed = 0;
  int64_t points_value_minor = 0;
  int64_t due_minor = 0;  // sale: left for other tenders
  int64_t points_earned = 0;
  int64_t points_clawed_back = 0;  // returns/voids
  int64_t points_restored = 0;     // returns/voids: redeemed points given back
  int64_t balance_after = 0;       // the member's available points after it
  // Recorded by a till while offline (journal): the till already granted its coupons and points.
  bool offline = false;
  int64_t offline_debt = 0;       // redeemed points beyond the cap or balance, owed on the account
  int64_t offline_uncovered = 0;  // the same where the refund policy allows no debt: written off
  std::vector<std::string> rejected_codes;  // coupons the till took offline that were not valid
  std::vector<std::string> coupon_codes;    // sale: redeemed; return/void: given back
  std::vector<PosLine> lines;
  std::vector<std::string> receipt_zh;
  std::vector<std::string> receipt_en;
};

// What a return asks for: `qty` more of the sale's line `line_no`.
struct ReturnLineRequest {
  int line_no = 0;
  int64_t qty = 0;
};

// A return's effect, computed from the sale as it stands (its lines' returned_qty so far).
struct ReturnPlan {
  std::vector<PosLine> lines;       // the returned units, each with its paid share
  std::vector<PosLine> sale_lines;  // the sale's lines with returned_qty increased
  int64_t refund_minor = 0;         // paid share of what came back
  int64_t claw_back_points = 0;     // of the sale's points_earned
  int64_t restore_points = 0;       // of the points the sale's redemption took from the ledger
  bool completes_sale = false;      // nothing of the sale is left
};

// Plans returning `lines` of `sale`. Refunds, claw-backs and restores are measured
// cumulatively (everything returned so far, floor, less what earlier returns took), so the
// parts always add up to the whole and nothing is taken twice.
// Errors (400 invalid_return naming "lines[i]..."): no lines, more than the sale has, a line
// the sale does not have, qty < 1, the same line twice, or more than is left of the line;
// 409 transaction_voided for a voided sale; 400 not_a_sale when `sale` is itself a return.
Result<ReturnPlan> PlanReturn(const PosTransaction& sale,
                              const std::vector<ReturnLineRequest>& lines);

// Everything of `sale` not yet returned (what a post-void takes back).
std::vector<ReturnLineRequest> RemainingLines(const PosTransaction& sale);

}  // namespace loyalty
