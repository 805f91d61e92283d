// Coupon endpoints: definitions (create, read, issue), bulk issue jobs with their CSV, the
// member wallet and points exchange, code lookup and revocation.
#include "api/handlers/coupon_view_json.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/json/coupon_json.h"

namespace loyalty::api {
namespace {

// Codes read from the database per round trip while writing a job's CSV.
constexpr int kCsvPage = 5000;

// What makes a repeated issue or exchange the same one in the database, beside the replay the
// Idempotency-Key wrapper already gives: the key, scoped to the staff member and hashed to fit.
// Without a key every request is its own (""; the service draws an id).
std::string RepeatRef(const HttpRequest& req, const Actor& actor) {
  const std::string key = req.Header("idempotency-key");
  if (key.empty()) return "";
  return "key:" + Sha256Hex(actor.principal.staff_id + "\n" + key).substr(0, 40);
}

HttpResponse IssueHandler(AppContext& app, HttpRequest& req) {
  auto actor = Authenticate(app, req);
  if (!actor) return Problem(actor.error(), req.request_id);
  auto body = ReadJsonObject(req, {"member_ids", "count", "segment_id", "prefix"});
  if (!body) return body.error();
  IssueRequest request;
  auto members = OptionalStringArray(*body, "member_ids");
  if (!members) return Problem(members.error(), req.request_id);
  request.member_ids = std::move(*members);
  auto count = OptionalInt64(*body, "count");
  if (!count) return Problem(count.error(), req.request_id);
  request.count = *count;
  auto segment = OptionalString(*body, "segment_id");
  if (!segment) return Problem(segment.error(), req.request_id);
  request.segment_id = *segment;
  auto prefix = OptionalString(*body, "prefix");
  if (!prefix) return Problem(prefix.error(), req.request_id);
  request.prefix = prefix->value_or("");
  auto result = app.coupons.Issue(*actor, req.path_params["id"], request, RepeatRef(req, *actor));
  if (!result) return Problem(result.error(), req.request_id);
  if (result->job) {
    // 202: the coupons are made in the background; poll the job (anonymous codes: then download
    // its CSV).
    HttpResponse r = JsonResponse(202, Json{{"job", IssueJobJson(*result->job)}});
    r.headers.emplace_back("Location", "/v1/coupon-issue-jobs/" + result->job->job_id);
    return r;
  }
  Json issued = Json::array();
  for (const IssuedCoupon& c : result->issued) issued.push_back(IssuedCodeJson(c));
  return JsonResponse(201, Json{{"definition_id", req.path_params["id"]}, {"issued", issued}});
}

HttpResponse JobCodesHandler(AppContext& app, HttpRequest& req) {
  auto actor = Authenticate(app, req);
  if (!actor) return Problem(actor.error(), req.request_id);
  const std::string job_id = req.path_params["id"];
  std::string csv = CouponCsvHeader();
  std::string after;
  while (true) {
    auto page = app.coupons.JobCodes(*actor, job_id, after, kCsvPage);
    if (!page) return Problem(page.error(), req.request_id);
    for (const IssuedCoupon& c : page->coupons) csv += CouponCsvLine(c);
    if (!page->next_cursor) break;
    after = *page->next_cursor;
  }
  HttpResponse r;
  r.status = 200;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(csv);
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"coupons-" + job_id + ".csv\"");
  return r;
}

}  // namespace

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

  router.Add("POST", "/v1/coupon-definitions/:id/issue",
             Idempotent(app, [&app](HttpRequest& req) { return IssueHandler(app, req); }));

  router.Add("GET", "/v1/coupon-issue-jobs/:id", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto job = app.coupons.GetJob(*actor, req.path_params["id"]);
    if (!job) return Problem(job.error(), req.request_id);
    return JsonResponse(200, IssueJobJson(*job));
  });

  router.Add("GET", "/v1/coupon-issue-jobs/:id/codes",
             [&app](HttpRequest& req) { return JobCodesHandler(app, req); });

  router.Add("GET", "/v1/members/:id/coupons", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto limit = LimitParam(req, 50, 200);
    if (!limit) return Problem(limit.error(), req.request_id);
    const std::string* cursor = req.Query("cursor");
    auto page = app.coupons.Wallet(*actor, req.path_params["id"], cursor ? *cursor : "", *limit);
    if (!page) return Problem(page.error(), req.request_id);
    Json items = Json::array();
    for (const CouponView& v : page->coupons) items.push_back(CouponViewJson(v));
    return JsonResponse(
        200, Json{{"items", items},
                  {"next_cursor", page->next_cursor ? Json(*page->next_cursor) : Json()}});
  });

  router.Add("POST", "/v1/members/:id/coupons/exchanges", Idempotent(app, [&app](HttpRequest& req) {
               auto actor = Authenticate(app, req);
               if (!actor) return Problem(actor.error(), req.request_id);
               auto body = ReadJsonObject(req, {"definition_id"});
               if (!body) return body.error();
               auto definition_id = RequiredString(*body, "definition_id");
               if (!definition_id) return Problem(definition_id.error(), req.request_id);
               auto view = app.coupons.Exchange(*actor, req.path_params["id"], *definition_id,
                                                RepeatRef(req, *actor));
               if (!view) return Problem(view.error(), req.request_id);
               return JsonResponse(201, CouponViewJson(*view));
             }));

  router.Add("GET", "/v1/coupons/:code", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto view = app.coupons.Lookup(*actor, req.path_params["code"]);
    if (!view) return Problem(view.error(), req.request_id);
    return JsonResponse(200, CouponViewJson(*view));
  });

  router.Add("POST", "/v1/coupons/:code/revoke", Idempotent(app, [&app](HttpRequest& req) {
               auto actor = Authenticate(app, req);
               if (!actor) return Problem(actor.error(), req.request_id);
               auto body = ReadJsonObject(req, {"reason"});
               if (!body) return body.error();
               auto reason = RequiredString(*body, "reason");
               if (!reason) return Problem(reason.error(), req.request_id);
               auto view = app.coupons.Revoke(*actor, req.path_params["code"], *reason);
               if (!view) return Problem(view.error(), req.request_id);
               return JsonResponse(200, CouponViewJson(*view));
             }));
}

}  // namespace loyalty::api
