// POS endpoints, signed by the terminal (RFC 9421), and the member QR token they scan. So far:
// identify the shopper.
#include "api/handlers/coupon_view_json.h"
#include "api/handlers/points_json.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/domain/phone.h"

namespace loyalty::api {
namespace {

// What a till shows after a scan: enough to greet the shopper and apply their offers, with the
// phone masked as on a receipt.
Json IdentifiedJson(const Identified& id) {
  const Member& m = id.member;
  Json coupons = Json::array();
  for (const CouponView& v : id.usable_coupons) coupons.push_back(CouponViewJson(v));
  return Json{{"member",
               {{"member_id", m.member_id},
                {"card_no", m.card_no},
                {"name", m.name},
                {"phone_masked", m.phone.empty() ? Json() : Json(MaskPhone(m.phone))}}},
              {"tier", {{"code", id.tier.code}, {"name_zh", id.tier.name_zh}, {"name_en", id.tier.name_en}}},
              {"points", SummaryJson(id.points)},
              {"coupons", coupons}};
}

}  // namespace

void AddPosRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/pos/identify", [&app](HttpRequest& req) {
    auto till = app.terminals.Authenticate(req);
    if (!till) return Problem(till.error(), req.request_id);
    auto body = ReadJsonObject(req, {"card_no", "phone", "qr_token"});
    if (!body) return body.error();
    IdentifyRequest request;
    for (auto [field, slot] : {std::pair{"card_no", &request.card_no},
                               std::pair{"phone", &request.phone},
                               std::pair{"qr_token", &request.qr_token}}) {
      auto value = OptionalString(*body, field);
      if (!value) return Problem(value.error(), req.request_id);
      *slot = *value;
    }
    auto identified = app.checkout.Identify(*till, request);
    if (!identified) return Problem(identified.error(), req.request_id);
    return JsonResponse(200, IdentifiedJson(*identified));
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
