// POS transactions, signed by the terminal: commit a sale, return lines of it, post-void it;
// and the cashier-exceptions report for staff. A replay of a till's id answers 200 with the
// stored result (201 the first time).
#include "api/handlers/points_json.h"
#include "api/handlers/pos_request.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/common/time_format.h"
#include "loyalty/crypto/openssl_crypto.h"

namespace loyalty::api {
namespace {

Json TransactionJson(const CommitOutcome& o) {
  const PosTransaction& t = o.txn;
  auto money = [&](int64_t minor) { return MoneyJson(Money{minor, t.currency}); };
  Json lines = Json::array();
  for (const PosLine& l : t.lines) {
    Json line{{"line_no", l.line_no},       {"sku", l.sku},
              {"category", l.category},     {"qty", l.qty},
              {"net", money(l.net_minor)},  {"discount", money(l.discount_minor)},
              {"paid", money(l.paid_minor)}};
    if (t.kind == PosTxnKind::kSale) line["returned_qty"] = l.returned_qty;
    lines.push_back(std::move(line));
  }
  Json out{{"transaction_id", t.txn_id},
           {"pos_txn_id", t.pos_txn_id},
           {"kind", PosTxnKindName(t.kind)},
           {"store_id", t.store_id},
           {"terminal_id", t.terminal_id},
           {"member_id", t.member_id ? Json(*t.member_id) : Json()},
           {"replayed", o.replayed},
           {"occurred_at", FormatInstant(t.occurred_at)},
           {"committed_at", FormatInstant(t.committed_at)},
           {"lines", lines},
           {"coupon_codes", t.coupon_codes},
           {"points",
            {{"earned", t.points_earned},
             {"redeemed", t.points_redeemed},
             {"clawed_back", t.points_clawed_back},
             {"restored", t.points_restored},
             {"balance", t.balance_after}}},
           {"receipt", {{"zh", t.receipt_zh}, {"en", t.receipt_en}}}};
  if (t.kind == PosTxnKind::kSale) {
    out["totals"] = {{"basket", money(t.total_minor)},
                     {"coupon_discount", money(t.discount_minor)},
                     {"points_value", money(t.points_value_minor)},
                     {"due", money(t.due_minor)}};
    out["voided_at"] = t.voided_at ? Json(FormatInstant(*t.voided_at)) : Json();
  } else {
    out["original_transaction_id"] = t.original_txn_id ? Json(*t.original_txn_id) : Json();
    out["refund"] = money(t.total_minor);
    out["flags"] = t.no_original ? Json::array({"no_original"}) : Json::array();
  }
  if (o.tier_change) {
    out["tier_change"] = {{"from", o.tier_change->from}, {"to", o.tier_change->to}};
  }
  return out;
}

HttpResponse OutcomeResponse(const Result<CommitOutcome>& outcome, const HttpRequest& req) {
  if (!outcome) {
    // Same id, other content: the idempotency rule's 422 (GUIDE §4).
    if (outcome.error().slug == "pos_txn_id_reused") {
      return Problem(422, outcome.error(), req.request_id);
    }
    return Problem(outcome.error(), req.request_id);
  }
  return JsonResponse(outcome->replayed ? 200 : 201, TransactionJson(*outcome));
}

HttpResponse CommitHandler(AppContext& app, HttpRequest& req) {
  auto actor = app.terminals.Authenticate(req);
  if (!actor) return SignatureProblem(actor.error(), req.request_id);
  auto body = ReadJsonObject(req, kCommitFields);
  if (!body) return body.error();
  auto request = CommitRequestFrom(*body, Sha256Hex(req.body));
  if (!request) return Problem(request.error(), req.request_id);
  return OutcomeResponse(app.sales.Commit(*actor, *request), req);
}

HttpResponse ReturnHandler(AppContext& app, HttpRequest& req) {
  auto actor = app.terminals.Authenticate(req);
  if (!actor) return SignatureProblem(actor.error(), req.request_id);
  auto body = ReadJsonObject(req, kReturnFields);
  if (!body) return body.error();
  auto request = ReturnRequestFrom(*body, Sha256Hex(req.body), req.path_params["id"]);
  if (!request) return Problem(request.error(), req.request_id);
  return OutcomeResponse(app.sales.Return(*actor, *request), req);
}

HttpResponse VoidHandler(AppContext& app, HttpRequest& req) {
  auto actor = app.terminals.Authenticate(req);
  if (!actor) return SignatureProblem(actor.error(), req.request_id);
  auto body = ReadJsonObject(req, kVoidFields);
  if (!body) return body.error();
  const std::string sale = req.path_params["id"];
  auto till = VoidTillFrom(*body, Sha256Hex(req.body), sale);
  if (!till) return Problem(till.error(), req.request_id);
  return OutcomeResponse(app.sales.Void(*actor, *till, sale), req);
}

HttpResponse ExceptionsHandler(AppContext& app, HttpRequest& req) {
  auto actor = Authenticate(app, req);
  if (!actor) return Problem(actor.error(), req.request_id);
  auto q = ReportQueryFrom(req, app.clock.Now());
  if (!q) return Problem(q.error(), req.request_id);
  auto rows = app.sales.Exceptions(*actor, *q);
  if (!rows) return Problem(rows.error(), req.request_id);
  Json items = Json::array();
  for (const PosException& e : *rows) {
    items.push_back({{"kind", e.kind},
                     {"store_id", e.store_id},
                     {"cashier_id", e.cashier_id},
                     {"transaction_id", e.txn_id},
                     {"pos_txn_id", e.pos_txn_id},
                     {"rebuy_transaction_id", e.rebuy_txn_id ? Json(*e.rebuy_txn_id) : Json()},
                     {"sku", e.sku.empty() ? Json() : Json(e.sku)},
                     {"amount_minor", e.amount_minor},
                     {"at", FormatInstant(e.at)}});
  }
  return JsonResponse(
      200, Json{{"from", FormatInstant(q->from)}, {"to", FormatInstant(q->to)}, {"items", items}});
}

}  // namespace

void AddPosTransactionRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/pos/transactions",
             [&app](HttpRequest& req) { return CommitHandler(app, req); });
  router.Add("POST", "/v1/pos/transactions/:id/returns",
             [&app](HttpRequest& req) { return ReturnHandler(app, req); });
  router.Add("POST", "/v1/pos/transactions/:id/void",
             [&app](HttpRequest& req) { return VoidHandler(app, req); });
  router.Add("GET", "/v1/reports/pos-exceptions",
             [&app](HttpRequest& req) { return ExceptionsHandler(app, req); });
}

}  // namespace loyalty::api
