// /v1/auth: staff login and logout; Authenticate() for every other handler.
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/common/time_format.h"

namespace loyalty::api {
namespace {

std::string BearerToken(const HttpRequest& req) {
  const std::string header = req.Header("authorization");
  static constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || !header.starts_with(kScheme)) return "";
  return header.substr(kScheme.size());
}

}  // namespace

Result<Actor> Authenticate(AppContext& app, HttpRequest& request) {
  if (!request.principal) {
    auto who = app.staff.Authenticate(BearerToken(request));
    if (!who) return Fail(who.error());
    request.principal = *who;
  }
  return Actor{*request.principal, request.request_id};
}

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

void AddAuthRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/auth/login", [&app](HttpRequest& req) {
    auto body = ReadJsonObject(req, {"username", "password"});
    if (!body) return body.error();
    auto username = RequiredString(*body, "username");
    if (!username) return Problem(username.error(), req.request_id);
    auto password = RequiredString(*body, "password");
    if (!password) return Problem(password.error(), req.request_id);
    auto session = app.staff.Login(*username, *password, req.remote_address, req.request_id);
    if (!session) return Problem(session.error(), req.request_id);
    return JsonResponse(200, Json{{"token", session->token},
                                  {"expires_at", FormatInstant(session->expires_at)},
                                  {"staff_id", session->principal.staff_id},
                                  {"role", RoleName(session->principal.role)},
                                  {"store_ids", session->principal.store_ids}});
  });

  router.Add("POST", "/v1/auth/logout", [&app](HttpRequest& req) {
    auto done = app.staff.Logout(BearerToken(req), req.request_id);
    if (!done) return Problem(done.error(), req.request_id);
    HttpResponse r;
    r.status = 204;
    return r;
  });
}

}  // namespace loyalty::api
