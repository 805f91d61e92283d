// /v1/coupon-definitions: create (marketer, admin) and read coupon definitions.
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/json/coupon_json.h"

namespace loyalty::api {

void AddCouponRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/coupon-definitions", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req);  // the mapper reports unknown fields with their path
    if (!body) return body.error();
    auto definition = CouponDefinitionFromJson(*body);
    if (!definition) return Problem(definition.error(), req.request_id);
    auto created = app.coupons.CreateDefinition(*actor, std::move(*definition));
    if (!created) return Problem(created.error(), req.request_id);
    HttpResponse r = JsonResponse(201, CouponDefinitionToJson(*created));
    r.headers.emplace_back("Location", "/v1/coupon-definitions/" + created->id);
    return r;
  }));

  router.Add("GET", "/v1/coupon-definitions/:id", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto definition = app.coupons.GetDefinition(*actor, req.path_params["id"]);
    if (!definition) return Problem(definition.error(), req.request_id);
    return JsonResponse(200, CouponDefinitionToJson(*definition));
  });
}

}  // namespace loyalty::api
