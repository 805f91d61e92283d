// /v1/members/{id}/tier: level, progress, benefits and history; manual assignment by staff.
#include "api/handlers/points_json.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/common/time_format.h"

namespace loyalty::api {
namespace {

Json LevelJson(const TierLevel& l) {
  return Json{{"code", l.code},
              {"name", {{"zh-CN", l.name_zh}, {"en", l.name_en}}},
              {"threshold", l.threshold},
              {"earn_multiplier", {{"num", l.earn_multiplier.num}, {"den", l.earn_multiplier.den}}},
              {"benefits",
               {{"birthday_coupon_definition_id", l.benefits.birthday_coupon_definition_id
                                                      ? Json(*l.benefits.birthday_coupon_definition_id)
                                                      : Json()},
                {"free_parking_hours", l.benefits.free_parking_hours},
                {"priority_service", l.benefits.priority_service}}}};
}

Json TierViewJson(const TierView& v) {
  Json history = Json::array();
  for (const auto& h : v.history) {
    history.push_back({{"at", FormatInstant(h.at)}, {"from", h.from}, {"to", h.to}, {"reason", h.reason}});
  }
  return Json{{"tier", v.status.tier},
              {"level", LevelJson(v.level)},
              {"since", FormatInstant(v.status.since)},
              {"review_date", v.status.review_at ? Json(FormatInstant(*v.status.review_at)) : Json()},
              {"metric", TierMetricName(v.metric)},
              {"qualifying_value", v.qualifying_value},
              {"qualifying_spend", MoneyJson(Money{v.qualifying_spend, v.currency})},
              {"window", {{"start", FormatInstant(v.window_start)}, {"end", FormatInstant(v.window_end)}}},
              {"next_tier", v.next_level ? LevelJson(*v.next_level) : Json()},
              {"remaining_to_next", v.next_level ? Json(v.remaining_to_next) : Json()},
              {"history", history}};
}

}  // namespace

void AddTierRoutes(Router& router, AppContext& app) {
  router.Add("GET", "/v1/members/:id/tier", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto view = app.tiers.View(*actor, req.path_params["id"]);
    if (!view) return Problem(view.error(), req.request_id);
    return JsonResponse(200, TierViewJson(*view));
  });

  router.Add("PUT", "/v1/members/:id/tier", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req, {"tier", "reason"});
    if (!body) return body.error();
    auto tier = RequiredString(*body, "tier");
    if (!tier) return Problem(tier.error(), req.request_id);
    auto reason = RequiredString(*body, "reason");
    if (!reason) return Problem(reason.error(), req.request_id);
    auto changed = app.tiers.Assign(*actor, req.path_params["id"], *tier, *reason);
    if (!changed) return Problem(changed.error(), req.request_id);
    auto view = app.tiers.View(*actor, req.path_params["id"]);
    if (!view) return Problem(view.error(), req.request_id);
    return JsonResponse(200, TierViewJson(*view));
  }));
}

}  // namespace loyalty::api
