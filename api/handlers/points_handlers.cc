// Points endpoints: balances, ledger, service-desk redemptions, adjustments with approval,
// transfers, and the liability report.
#include "api/handlers/points_json.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/json/program_json.h"

namespace loyalty::api {
void AddPointsRoutes(Router& router, AppContext& app) {
  router.Add("GET", "/v1/members/:id/points", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto summary = app.points.Summary(*actor, req.path_params["id"]);
    if (!summary) return Problem(summary.error(), req.request_id);
    return JsonResponse(200, SummaryJson(*summary));
  });

  router.Add("GET", "/v1/members/:id/ledger", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto limit = LimitParam(req, 50, 200);
    if (!limit) return Problem(limit.error(), req.request_id);
    std::optional<std::string> cursor;
    if (const auto* c = req.Query("cursor")) cursor = *c;
    auto page = app.points.History(*actor, req.path_params["id"], cursor, *limit);
    if (!page) return Problem(page.error(), req.request_id);
    Json items = Json::array();
    for (const auto& e : page->entries) items.push_back(EntryJson(e));
    return JsonResponse(200, Json{{"items", items},
                                  {"next_cursor", page->next_cursor ? Json(*page->next_cursor) : Json()}});
  });

  router.Add("POST", "/v1/members/:id/points/redemptions", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req, {"points", "reason"});
    if (!body) return body.error();
    auto points = RequiredInt64(*body, "points");
    if (!points) return Problem(points.error(), req.request_id);
    auto reason = OptionalString(*body, "reason");
    if (!reason) return Problem(reason.error(), req.request_id);
    auto change = app.points.Redeem(*actor, req.path_params["id"], *points,
                                    PointsReason{"service_desk", req.request_id,
                                                 reason->value_or("redeemed at the service desk"),
                                                 std::nullopt});
    if (!change) return Problem(change.error(), req.request_id);
    return JsonResponse(201, Json{{"entry", EntryJson(change->entries.front())},
                                  {"available", change->state.account.available}});
  }));

  router.Add("POST", "/v1/members/:id/points/adjustments", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req, {"points", "reason"});
    if (!body) return body.error();
    auto points = RequiredInt64(*body, "points");
    if (!points) return Problem(points.error(), req.request_id);
    auto reason = RequiredString(*body, "reason");
    if (!reason) return Problem(reason.error(), req.request_id);
    auto adjustment = app.points.RequestAdjustment(*actor, req.path_params["id"], *points, *reason);
    if (!adjustment) return Problem(adjustment.error(), req.request_id);
    // 202: recorded, but the points move only once a second person approves.
    const bool waiting = adjustment->status == AdjustmentStatus::kPendingApproval;
    return JsonResponse(waiting ? 202 : 201, AdjustmentJson(*adjustment));
  }));

  router.Add("POST", "/v1/points/adjustments/:id/approve", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto adjustment = app.points.ApproveAdjustment(*actor, req.path_params["id"]);
    if (!adjustment) return Problem(adjustment.error(), req.request_id);
    return JsonResponse(200, AdjustmentJson(*adjustment));
  }));

  router.Add("POST", "/v1/members/:id/points/transfers", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req, {"to_member_id", "points"});
    if (!body) return body.error();
    auto to = RequiredString(*body, "to_member_id");
    if (!to) return Problem(to.error(), req.request_id);
    auto points = RequiredInt64(*body, "points");
    if (!points) return Problem(points.error(), req.request_id);
    auto moved = app.points.Transfer(*actor, req.path_params["id"], *to, *points);
    if (!moved) return Problem(moved.error(), req.request_id);
    return JsonResponse(201, Json{{"from_available", moved->first.state.account.available},
                                  {"to_available", moved->second.state.account.available},
                                  {"transfer_id", moved->first.entries.front().ref_id}});
  }));

  router.Add("GET", "/v1/program", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto program = app.points.GetProgram(*actor);
    if (!program) return Problem(program.error(), req.request_id);
    return JsonResponse(200, ProgramToJson(*program));
  });

  // The body is the whole program (fields left out keep the defaults of a fresh install, not
  // the current values) and must carry the `version` it replaces.
  router.Add("PUT", "/v1/program", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req);  // ProgramFromJson reports unknown fields with their path
    if (!body) return body.error();
    if (!body->contains("version")) {
      return Problem(Error{Code::kInvalidArgument, "missing_field",
                           "version is required: send the version you are replacing (GET it first)",
                           {{"field", "version"}}},
                     req.request_id);
    }
    auto program = ProgramFromJson(*body, DefaultProgram());
    if (!program) return Problem(program.error(), req.request_id);
    auto saved = app.points.PutProgram(*actor, *program);
    if (!saved) return Problem(saved.error(), req.request_id);
    return JsonResponse(200, ProgramToJson(*saved));
  }));

  router.Add("GET", "/v1/reports/liability", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto report = app.points.Liability(*actor);
    if (!report) return Problem(report.error(), req.request_id);
    return JsonResponse(200, LiabilityJson(*report));
  });
}

}  // namespace loyalty::api
