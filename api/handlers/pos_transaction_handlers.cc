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
    Json line{{"line_no", l.line_no}, {"sku", l.sku},           {"category", l.category},
              {"qty", l.qty},         {"net", money(l.net_minor)}, {"discount", money(l.discount_minor)},
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

// The fields every committed transaction carries: till, its id for this transaction, who and
// when. `id_field` names the till's id (pos_txn_id, return_txn_id, void_txn_id).
Result<TillTxn> TillFrom(const Json& body, const HttpRequest& req, const char* id_field,
                         const std::string& default_id = "") {
  TillTxn till;
  auto store = RequiredString(body, "store_id");
  if (!store) return Fail(store.error());
  auto terminal = RequiredString(body, "terminal_id");
  if (!terminal) return Fail(terminal.error());
  auto id = default_id.empty() ? RequiredString(body, id_field)
                               : OptionalString(body, id_field).map([&](auto v) {
                                   return v.value_or(default_id);
                                 });
  if (!id) return Fail(id.error());
  auto cashier = OptionalString(body, "cashier_id");
  if (!cashier) return Fail(cashier.error());
  auto occurred = OptionalString(body, "occurred_at");
  if (!occurred) return Fail(occurred.error());
  if (*occurred) {
    till.occurred_at = ParseInstant(**occurred);
    if (!till.occurred_at) {
      return InvalidField("occurred_at", "invalid_occurred_at",
                          "occurred_at must be an RFC 3339 time, e.g. 2026-12-06T10:15:00Z");
    }
  }
  till.store_id = *store;
  till.terminal_id = *terminal;
  till.pos_txn_id = *id;
  till.cashier_id = cashier->value_or("");
  till.request_hash = Sha256Hex(req.body);
  return till;
}

Result<std::vector<Tender>> TendersFrom(const Json& body) {
  std::vector<Tender> out;
  auto it = body.find("tenders");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return InvalidField("tenders", "invalid_tender", "tenders must be an array");
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string at = "tenders[" + std::to_string(i) + "]";
    const Json& t = (*it)[i];
    if (!t.is_object()) return InvalidField(at, "invalid_tender", at + " must be an object");
    auto type = RequiredString(t, "type");
    if (!type) return Fail(InLine(type.error(), at));
    auto amount = RequiredInt64(t, "amount_minor");
    if (!amount) return Fail(InLine(amount.error(), at));
    out.push_back(Tender{*type, *amount});
  }
  return out;
}

Result<std::optional<JoinRequest>> JoinFrom(const Json& body) {
  auto it = body.find("join");
  if (it == body.end() || it->is_null()) return std::optional<JoinRequest>{};
  if (!it->is_object()) return InvalidField("join", "invalid_join", "join must be an object");
  for (const auto& [key, value] : it->items()) {
    if (key != "phone" && key != "name" && key != "consent") {
      return InvalidField("join." + key, "unknown_field", "join." + key + " is not a join field");
    }
  }
  JoinRequest join;
  auto phone = RequiredString(*it, "phone");
  if (!phone) return Fail(InLine(phone.error(), "join"));
  auto name = OptionalString(*it, "name");
  if (!name) return Fail(InLine(name.error(), "join"));
  auto consent = OptionalBool(*it, "consent");
  if (!consent) return Fail(InLine(consent.error(), "join"));
  join.phone = *phone;
  join.name = *name;
  join.consent = consent->value_or(false);
  return std::optional<JoinRequest>(std::move(join));
}

// A return's lines: {line_no, qty} of the sale; when every line also says sku and
// unit_price_minor they describe the goods for a return without a known sale.
Result<ReturnRequest> ReturnLinesFrom(const Json& body, ReturnRequest request) {
  auto it = body.find("lines");
  if (it == body.end() || !it->is_array()) {
    return InvalidField("lines", "invalid_return", "lines must be an array of {line_no, qty}");
  }
  bool described = !it->empty();
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string at = "lines[" + std::to_string(i) + "]";
    const Json& l = (*it)[i];
    if (!l.is_object()) return InvalidField(at, "invalid_return", at + " must be an object");
    auto line_no = RequiredInt64(l, "line_no");
    if (!line_no) return Fail(InLine(line_no.error(), at));
    auto qty = RequiredInt64(l, "qty");
    if (!qty) return Fail(InLine(qty.error(), at));
    if (*line_no < 1 || *line_no > 1'000'000) {
      return InvalidField(at + ".line_no", "invalid_return", at + ".line_no must be 1 to 1000000");
    }
    request.lines.push_back(ReturnLineRequest{static_cast<int>(*line_no), *qty});
    described = described && l.contains("sku") && l.contains("unit_price_minor");
  }
  if (described) {
    auto lines = TillLinesFrom(body);
    if (!lines) return Fail(lines.error());
    request.unlinked_lines = std::move(*lines);
  }
  return request;
}

HttpResponse CommitHandler(AppContext& app, HttpRequest& req) {
  auto actor = app.terminals.Authenticate(req);
  if (!actor) return SignatureProblem(actor.error(), req.request_id);
  auto body = ReadJsonObject(req, {"store_id", "terminal_id", "pos_txn_id", "quote_id",
                                   "member_id", "lines", "coupon_codes", "redeem_points",
                                   "tenders", "occurred_at", "cashier_id", "join"});
  if (!body) return body.error();
  CommitRequest request;
  auto till = TillFrom(*body, req, "pos_txn_id");
  if (!till) return Problem(till.error(), req.request_id);
  request.till = std::move(*till);
  auto quote_id = OptionalString(*body, "quote_id");
  if (!quote_id) return Problem(quote_id.error(), req.request_id);
  request.quote_id = *quote_id;
  auto member = OptionalString(*body, "member_id");
  if (!member) return Problem(member.error(), req.request_id);
  request.member_id = *member;
  if (body->contains("lines")) {
    auto lines = TillLinesFrom(*body);
    if (!lines) return Problem(lines.error(), req.request_id);
    request.lines = std::move(*lines);
  }
  auto codes = OptionalStringArray(*body, "coupon_codes");
  if (!codes) return Problem(codes.error(), req.request_id);
  request.coupon_codes = std::move(*codes);
  auto points = OptionalInt64(*body, "redeem_points");
  if (!points) return Problem(points.error(), req.request_id);
  request.redeem_points = points->value_or(0);
  auto tenders = TendersFrom(*body);
  if (!tenders) return Problem(tenders.error(), req.request_id);
  request.tenders = std::move(*tenders);
  auto join = JoinFrom(*body);
  if (!join) return Problem(join.error(), req.request_id);
  request.join = std::move(*join);
  return OutcomeResponse(app.sales.Commit(*actor, request), req);
}

HttpResponse ReturnHandler(AppContext& app, HttpRequest& req) {
  auto actor = app.terminals.Authenticate(req);
  if (!actor) return SignatureProblem(actor.error(), req.request_id);
  auto body = ReadJsonObject(
      req, {"store_id", "terminal_id", "return_txn_id", "lines", "occurred_at", "cashier_id"});
  if (!body) return body.error();
  ReturnRequest request;
  auto till = TillFrom(*body, req, "return_txn_id");
  if (!till) return Problem(till.error(), req.request_id);
  request.till = std::move(*till);
  request.sale_txn_id = req.path_params["id"];
  auto parsed = ReturnLinesFrom(*body, std::move(request));
  if (!parsed) return Problem(parsed.error(), req.request_id);
  return OutcomeResponse(app.sales.Return(*actor, *parsed), req);
}

HttpResponse VoidHandler(AppContext& app, HttpRequest& req) {
  auto actor = app.terminals.Authenticate(req);
  if (!actor) return SignatureProblem(actor.error(), req.request_id);
  auto body =
      ReadJsonObject(req, {"store_id", "terminal_id", "void_txn_id", "occurred_at", "cashier_id"});
  if (!body) return body.error();
  const std::string sale = req.path_params["id"];
  auto till = TillFrom(*body, req, "void_txn_id", "void-" + sale.substr(0, 40));
  if (!till) return Problem(till.error(), req.request_id);
  return OutcomeResponse(app.sales.Void(*actor, *till, sale), req);
}

HttpResponse ExceptionsHandler(AppContext& app, HttpRequest& req) {
  auto actor = Authenticate(app, req);
  if (!actor) return Problem(actor.error(), req.request_id);
  PosExceptionsQuery q;
  if (const std::string* store = req.Query("store_id")) q.store_id = *store;
  q.to = app.clock.Now();
  q.from = q.to - std::chrono::days(7);
  for (auto [name, slot] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    const std::string* text = req.Query(name);
    if (!text) continue;
    auto at = ParseInstant(*text);
    if (!at) {
      return Problem(InvalidField(name, "invalid_period",
                                  std::string(name) + " must be an RFC 3339 time")
                         .value(),
                     req.request_id);
    }
    *slot = *at;
  }
  auto limit = LimitParam(req, 200, 1000);
  if (!limit) return Problem(limit.error(), req.request_id);
  q.limit = *limit;
  auto rows = app.sales.Exceptions(*actor, q);
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
  return JsonResponse(200, Json{{"from", FormatInstant(q.from)},
                                {"to", FormatInstant(q.to)},
                                {"items", items}});
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
