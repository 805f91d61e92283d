// /v1/staff (create accounts) and /v1/audit-log (who did what, store-scoped for managers).
#include "api/handlers/member_json.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"

namespace loyalty::api {

void AddStaffRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/staff", Idempotent(app, [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto body = ReadJsonObject(req, {"username", "password", "role", "store_ids", "display_name"});
    if (!body) return body.error();
    NewStaff staff;
    auto username = RequiredString(*body, "username");
    auto password = RequiredString(*body, "password");
    auto role_name = RequiredString(*body, "role");
    auto display = OptionalString(*body, "display_name");
    for (const Error* e : {username ? nullptr : &username.error(),
                           password ? nullptr : &password.error(),
                           role_name ? nullptr : &role_name.error(),
                           display ? nullptr : &display.error()}) {
      if (e) return Problem(*e, req.request_id);
    }
    auto role = ParseRole(*role_name);
    if (!role) {
      Error e{Code::kInvalidArgument, "invalid_role",
              "role must be one of admin, marketer, store_manager, cashier, auditor", {}};
      return Problem(e.With("field", "role"), req.request_id);
    }
    if (auto stores = body->find("store_ids"); stores != body->end()) {
      bool ok = stores->is_array();
      for (const auto& s : *stores) ok = ok && s.is_string();
      if (!ok) {
        Error e{Code::kInvalidArgument, "invalid_type", "store_ids must be a list of store ids", {}};
        return Problem(e.With("field", "store_ids"), req.request_id);
      }
      staff.store_ids = stores->get<std::vector<std::string>>();
    }
    staff.username = *username;
    staff.role = *role;
    staff.display_name = display->value_or(*username);
    auto created = app.staff.CreateStaff(*actor, staff, *password);
    if (!created) return Problem(created.error(), req.request_id);
    return JsonResponse(201, Json{{"staff_id", created->staff_id},
                                  {"username", created->username},
                                  {"role", RoleName(created->role)},
                                  {"store_ids", created->store_ids}});
  }));

  router.Add("GET", "/v1/audit-log", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    AuditFilter filter;
    auto limit = LimitParam(req, 50, 500);
    if (!limit) return Problem(limit.error(), req.request_id);
    filter.limit = *limit;
    if (const auto* cursor = req.Query("cursor")) filter.before_audit_id = *cursor;
    if (const auto* target = req.Query("target_id")) filter.target_id = *target;
    auto entries = app.staff.AuditLog(*actor, filter);
    if (!entries) return Problem(entries.error(), req.request_id);
    Json items = Json::array();
    for (const auto& e : *entries) items.push_back(AuditEntryJson(e));
    const bool more = static_cast<int>(entries->size()) == filter.limit;
    return JsonResponse(200, Json{{"items", items},
                                  {"next_cursor", more ? Json(entries->back().audit_id) : Json()}});
  });
}

}  // namespace loyalty::api
