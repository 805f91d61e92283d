// POS endpoints, signed by the terminal (RFC 9421), and the member QR token they scan: identify
// the shopper and quote a basket (transactions: pos_transaction_handlers.cc).
#include "api/handlers/coupon_view_json.h"
#include "api/handlers/points_json.h"
#include "api/handlers/pos_request.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/common/time_format.h"
#include "loyalty/domain/phone.h"

namespace loyalty::api {
namespace {

// What a till shows after a scan: enough to greet the shopper and apply their offers, with the
// phone masked as on a receipt.
Json IdentifiedJson(const Identified& id) {
  const Member& m = id.member;
  Json coupons = Json::array();
  for (const CouponView& v : id.usable_coupons) coupons.push_back(CouponViewJson(v));
  return Json{
      {"member",
       {{"member_id", m.member_id},
        {"card_no", m.card_no},
        {"name", m.name},
        {"phone_masked", m.phone.empty() ? Json() : Json(MaskPhone(m.phone))}}},
      {"tier",
       {{"code", id.tier.code}, {"name_zh", id.tier.name_zh}, {"name_en", id.tier.name_en}}},
      {"points", SummaryJson(id.points)},
      {"coupons", coupons}};
}

Json QuoteJson(const QuoteResult& r) {
  const StoredQuote& q = r.quote;
  std::map<int, int64_t> discount;
  for (const LineDiscount& d : r.coupons.lines) discount[d.line_no] += d.discount_minor;
  Json lines = Json::array();
  for (size_t i = 0; i < q.lines.size(); ++i) {
    lines.push_back({{"line_no", q.lines[i].line_no},
                     {"sku", q.lines[i].sku},
                     {"net", MoneyJson(Money{q.lines[i].net_minor, r.currency})},
                     {"discount", MoneyJson(Money{discount[q.lines[i].line_no], r.currency})},
                     {"payable", MoneyJson(Money{r.payable[i].net_minor, r.currency})}});
  }
  Json applied = Json::array();
  for (const AppliedCoupon& a : r.coupons.applied) {
    applied.push_back({{"code", a.code},
                       {"definition_id", a.definition_id},
                       {"kind", CouponKindName(a.kind)},
                       {"discount", MoneyJson(Money{a.total_discount_minor, r.currency})}});
  }
  Json rejected = Json::array();
  for (const RejectedCoupon& c : r.coupons.rejected) {
    rejected.push_back({{"code", c.code},
                        {"reason", c.slug},
                        {"message_zh", c.message_zh},
                        {"message_en", c.message_en}});
  }
  return Json{{"quote_id", q.quote_id},
              {"expires_at", FormatInstant(q.expires_at)},
              {"store_id", q.store_id},
              {"terminal_id", q.terminal_id},
              {"member_id", q.member_id ? Json(*q.member_id) : Json()},
              {"lines", lines},
              {"coupons", {{"applied", applied}, {"rejected", rejected}}},
              {"totals",
               {{"basket", MoneyJson(Money{q.total_minor, r.currency})},
                {"coupon_discount", MoneyJson(Money{q.discount_minor, r.currency})},
                {"points_redeemed", q.redeem_points},
                {"points_value", MoneyJson(Money{q.points_value_minor, r.currency})},
                {"due", MoneyJson(Money{q.due_minor, r.currency})}}},
              {"points", {{"available", r.points_available}, {"to_earn", q.points_to_earn}}},
              {"receipt", {{"zh", r.receipt.zh}, {"en", r.receipt.en}}}};
}

}  // namespace

void AddPosRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/pos/identify", [&app](HttpRequest& req) {
    auto till = app.terminals.Authenticate(req);
    if (!till) return SignatureProblem(till.error(), req.request_id);
    auto body = ReadJsonObject(req, {"card_no", "phone", "qr_token"});
    if (!body) return body.error();
    IdentifyRequest request;
    for (auto [field, slot] :
         {std::pair{"card_no", &request.card_no}, std::pair{"phone", &request.phone},
          std::pair{"qr_token", &request.qr_token}}) {
      auto value = OptionalString(*body, field);
      if (!value) return Problem(value.error(), req.request_id);
      *slot = *value;
    }
    auto identified = app.checkout.Identify(*till, request);
    if (!identified) return Problem(identified.error(), req.request_id);
    return JsonResponse(200, IdentifiedJson(*identified));
  });

  router.Add("POST", "/v1/pos/quotes", [&app](HttpRequest& req) {
    auto till = app.terminals.Authenticate(req);
    if (!till) return SignatureProblem(till.error(), req.request_id);
    auto body = ReadJsonObject(req, {"quote_id", "store_id", "terminal_id", "member_id", "lines",
                                     "coupon_codes", "redeem_points"});
    if (!body) return body.error();
    QuoteRequest request;
    auto quote_id = OptionalString(*body, "quote_id");
    if (!quote_id) return Problem(quote_id.error(), req.request_id);
    request.quote_id = *quote_id;
    auto store = RequiredString(*body, "store_id");
    if (!store) return Problem(store.error(), req.request_id);
    auto terminal = RequiredString(*body, "terminal_id");
    if (!terminal) return Problem(terminal.error(), req.request_id);
    auto member = OptionalString(*body, "member_id");
    if (!member) return Problem(member.error(), req.request_id);
    auto lines = TillLinesFrom(*body);
    if (!lines) return Problem(lines.error(), req.request_id);
    auto codes = OptionalStringArray(*body, "coupon_codes");
    if (!codes) return Problem(codes.error(), req.request_id);
    auto points = OptionalInt64(*body, "redeem_points");
    if (!points) return Problem(points.error(), req.request_id);
    request.store_id = *store;
    request.terminal_id = *terminal;
    request.member_id = *member;
    request.lines = std::move(*lines);
    request.coupon_codes = std::move(*codes);
    request.redeem_points = points->value_or(0);
    auto quote = app.checkout.Quote(*till, request);
    if (!quote) return Problem(quote.error(), req.request_id);
    return JsonResponse(201, QuoteJson(*quote));
  });

  router.Add("DELETE", "/v1/pos/quotes/:id", [&app](HttpRequest& req) {
    auto till = app.terminals.Authenticate(req);
    if (!till) return SignatureProblem(till.error(), req.request_id);
    const Principal& p = till->principal;
    auto cancelled = app.checkout.CancelQuote(*till, p.store_ids.empty() ? "" : p.store_ids.front(),
                                              p.username, req.path_params["id"]);
    if (!cancelled) return Problem(cancelled.error(), req.request_id);
    HttpResponse r;
    r.status = 204;
    return r;
  });

  router.Add("GET", "/v1/members/:id/qr-token", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto token = app.checkout.QrToken(*actor, req.path_params["id"]);
    if (!token) return Problem(token.error(), req.request_id);
    return JsonResponse(200, Json{{"token", *token}, {"refresh_seconds", 30}});
  });
}

}  // namespace loyalty::api
