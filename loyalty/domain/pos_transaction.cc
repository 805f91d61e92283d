// Return arithmetic.
#include "loyalty/domain/pos_transaction.h"

#include <set>

#include "loyalty/common/money.h"

namespace loyalty {
namespace {

// The paid share of `returned` units of a line (floor; all of it when every unit is back).
int64_t PaidShare(const PosLine& line, int64_t returned) {
  if (line.qty <= 0) return 0;
  return MulDiv(line.paid_minor, returned, line.qty, Rounding::kFloor).value_or(0);
}

// `whole` in proportion to paid_returned / paid_total (floor), all of it once everything is back.
int64_t Proportion(int64_t whole, int64_t paid_returned, int64_t paid_total, bool all_back) {
  if (all_back) return whole;
  if (paid_total <= 0) return 0;
  return MulDiv(whole, paid_returned, paid_total, Rounding::kFloor).value_or(0);
}

Error InvalidReturn(const std::string& field, const std::string& message) {
  Error e{Code::kInvalidArgument, "invalid_return", message, {}};
  return e.With("field", field);
}

}  // namespace

const char* PosTxnKindName(PosTxnKind k) {
  switch (k) {
    case PosTxnKind::kSale:
      return "sale";
    case PosTxnKind::kReturn:
      return "return";
    case PosTxnKind::kVoid:
      return "void";
  }
  return "sale";
}

std::optional<PosTxnKind> ParsePosTxnKind(const std::string& s) {
  for (PosTxnKind k : {PosTxnKind::kSale, PosTxnKind::kReturn, PosTxnKind::kVoid}) {
    if (s == PosTxnKindName(k)) return k;
  }
  return std::nullopt;
}

Result<ReturnPlan> PlanReturn(const PosTransaction& sale,
                              const std::vector<ReturnLineRequest>& lines) {
  if (sale.kind != PosTxnKind::kSale) {
    return Fail(Code::kInvalidArgument, "not_a_sale",
                "transaction " + sale.txn_id + " is a " + PosTxnKindName(sale.kind) +
                    ", not a sale: only sales can be returned or voided");
  }
  if (sale.voided_at) {
    return Fail(Code::kFailedPrecondition, "transaction_voided",
                "transaction " + sale.txn_id + " was voided; nothing is left to return");
  }
  if (lines.empty()) return Fail(InvalidReturn("lines", "name at least one line to return"));
  if (lines.size() > sale.lines.size()) {
    return Fail(InvalidReturn("lines",
                              "the sale has only " + std::to_string(sale.lines.size()) + " lines"));
  }
  ReturnPlan plan;
  plan.sale_lines = sale.lines;
  std::set<int> seen;
  for (size_t i = 0; i < lines.size(); ++i) {
    const ReturnLineRequest& r = lines[i];
    const std::string at = "lines[" + std::to_string(i) + "]";
    PosLine* line = nullptr;
    for (PosLine& l : plan.sale_lines) {
      if (l.line_no == r.line_no) line = &l;
    }
    if (!line) {
      return Fail(
          InvalidReturn(at + ".line_no", "the sale has no line " + std::to_string(r.line_no)));
    }
    if (!seen.insert(r.line_no).second) {
      return Fail(
          InvalidReturn(at + ".line_no", "line " + std::to_string(r.line_no) + " is named twice"));
    }
    const int64_t left = line->qty - line->returned_qty;
    if (r.qty < 1 || r.qty > left) {
      return Fail(InvalidReturn(at + ".qty", "line " + std::to_string(r.line_no) + " has " +
                                                 std::to_string(left) + " left to return"));
    }
    PosLine back = *line;
    back.qty = r.qty;
    back.returned_qty = 0;
    back.net_minor = line->unit_price_minor * r.qty;
    back.paid_minor =
        PaidShare(*line, line->returned_qty + r.qty) - PaidShare(*line, line->returned_qty);
    back.discount_minor = back.net_minor - back.paid_minor;
    line->returned_qty += r.qty;
    plan.refund_minor += back.paid_minor;
    plan.lines.push_back(std::move(back));
  }
  int64_t paid_total = 0, returned_before = 0, returned_after = 0;
  bool all_back = true;
  for (size_t i = 0; i < sale.lines.size(); ++i) {
    paid_total += sale.lines[i].paid_minor;
    returned_before += PaidShare(sale.lines[i], sale.lines[i].returned_qty);
    returned_after += PaidShare(plan.sale_lines[i], plan.sale_lines[i].returned_qty);
    all_back = all_back && plan.sale_lines[i].returned_qty == plan.sale_lines[i].qty;
  }
  // Something was left before this return (it returns at least one unit), so "before" is never
  // the whole.
  plan.completes_sale = all_back;
  plan.claw_back_points = Proportion(sale.points_earned, returned_after, paid_total, all_back) -
                          Proportion(sale.points_earned, returned_before, paid_total, false);
  // Points an offline till granted beyond what the ledger could take were never debited.
  const int64_t redeemed = sale.points_redeemed - sale.offline_uncovered;
  plan.restore_points = Proportion(redeemed, returned_after, paid_total, all_back) -
                        Proportion(redeemed, returned_before, paid_total, false);
  return plan;
}

std::vector<ReturnLineRequest> RemainingLines(const PosTransaction& sale) {
  std::vector<ReturnLineRequest> out;
  for (const PosLine& l : sale.lines) {
    if (l.returned_qty < l.qty) out.push_back({l.line_no, l.qty - l.returned_qty});
  }
  return out;
}

}  // namespace loyalty
