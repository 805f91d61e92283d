// /v1/members: enrol, exact lookup, read, edit, export, erase.
#include "api/handlers/member_json.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"

#include <spdlog/spdlog.h>

namespace loyalty::api {
namespace {

// A member's profile as the API shows it: with the points balances (API.md: "profile, tier,
// balances"). Balances are left out, not faked, if the ledger cannot be read.
Json WithBalances(AppContext& app, const Actor& actor, Json member) {
  if (auto points = app.points.Summary(actor, member["member_id"].get<std::string>())) {
    member["points"] = {{"available", points->available}, {"pending", points->pending}};
  }
  return member;
}

}  // namespace

void AddMemberRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/members", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req, kEnrolFields);
    if (!body) return body.error();
    auto request = EnrolRequestFrom(*body);
    if (!request) return Problem(request.error(), req.request_id);
    auto referrer = OptionalString(*body, "referred_by");
    if (!referrer) return Problem(referrer.error(), req.request_id);
    if (*referrer) {
      if (auto ok = app.referrals.CheckReferrer(**referrer); !ok) return Problem(ok.error(), req.request_id);
    }
    auto member = app.members.Enrol(*actor, *request);
    if (!member) return Problem(member.error(), req.request_id);
    if (*referrer) {
      if (auto ok = app.referrals.Record(member->member_id, **referrer); !ok) {
        spdlog::warn(Json{{"msg", "referral not recorded"}, {"member_id", member->member_id},
                          {"error", ok.error().message}}.dump());
      }
    }
    // The member exists either way; a failed award is logged for staff to grant by adjustment.
    if (auto awarded = app.points.OnEnrolled(*actor, *member); !awarded) {
      spdlog::warn(Json{{"msg", "enrolment award failed"}, {"member_id", member->member_id},
                        {"error", awarded.error().message}}.dump());
    }
    // The enrolment award (if the program has one) is already in the balance for the till.
    HttpResponse r = JsonResponse(201, WithBalances(app, *actor, MemberJson(*member, actor->principal)));
    r.headers.emplace_back("Location", "/v1/members/" + member->member_id);
    return r;
  }));

  router.Add("GET", "/v1/members", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    const std::string* phone = req.Query("phone");
    const std::string* email = req.Query("email");
    const std::string* card = req.Query("card_no");
    if ((phone != nullptr) + (email != nullptr) + (card != nullptr) != 1) {
      return Problem(400, "lookup_key_required",
                     "give exactly one of ?phone=, ?email= or ?card_no= (exact match)",
                     req.request_id);
    }
    auto member = phone   ? app.members.FindByPhone(*actor, *phone)
                  : email ? app.members.FindByEmail(*actor, *email)
                          : app.members.FindByCard(*actor, *card);
    Json items = Json::array();
    if (member) {
      items.push_back(MemberJson(*member, actor->principal));
    } else if (member.error().code != Code::kNotFound) {
      return Problem(member.error(), req.request_id);
    }
    return JsonResponse(200, Json{{"items", items}});
  });

  router.Add("GET", "/v1/members/:id", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto member = app.members.Get(*actor, req.path_params["id"]);
    if (!member) return Problem(member.error(), req.request_id);
    return JsonResponse(200, WithBalances(app, *actor, MemberJson(*member, actor->principal)));
  });

  router.Add("PATCH", "/v1/members/:id", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req, kMemberFields);
    if (!body) return body.error();
    auto patch = MemberPatchFrom(*body);
    if (!patch) return Problem(patch.error(), req.request_id);
    auto member = app.members.Update(*actor, req.path_params["id"], *patch);
    if (!member) return Problem(member.error(), req.request_id);
    if (auto awarded = app.points.OnProfileChanged(*actor, *member); !awarded) {
      spdlog::warn(Json{{"msg", "profile award failed"}, {"member_id", member->member_id},
                        {"error", awarded.error().message}}.dump());
    }
    return JsonResponse(200, WithBalances(app, *actor, MemberJson(*member, actor->principal)));
  }));

  router.Add("GET", "/v1/members/:id/export", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto data = app.members.Export(*actor, req.path_params["id"]);
    if (!data) return Problem(data.error(), req.request_id);
    return JsonResponse(200, ExportJson(*data));
  });

  router.Add("DELETE", "/v1/members/:id", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto member = app.members.Erase(*actor, req.path_params["id"]);
    if (!member) return Problem(member.error(), req.request_id);
    return JsonResponse(200, MemberJson(*member, actor->principal));
  }));
}

}  // namespace loyalty::api
