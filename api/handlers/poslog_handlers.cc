// POST /v1/pos/poslog: an ARTS POSLog file uploaded by staff (store managers for their stores),
// imported through the sale service; answers the per-transaction report.
#include "api/handlers/poslog_report_json.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"

namespace loyalty::api {
namespace {

HttpResponse PoslogHandler(AppContext& app, HttpRequest& req) {
  auto actor = Authenticate(app, req);
  if (!actor) return Problem(actor.error(), req.request_id);
  std::string type = req.Header("content-type");
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string media = type.substr(0, type.find(';'));
  if (media != "application/xml" && media != "text/xml") {
    return Problem(415, "unsupported_media_type",
                   "send the POSLog file with 'Content-Type: application/xml'", req.request_id);
  }
  auto report = app.poslog.Import(*actor, req.body);
  if (!report) return Problem(report.error(), req.request_id);
  return JsonResponse(200, PoslogReportJson(*report));
}

}  // namespace

void AddPoslogRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/pos/poslog",
             [&app](HttpRequest& req) { return PoslogHandler(app, req); });
}

}  // namespace loyalty::api
