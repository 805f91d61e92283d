// Operational endpoints: liveness, readiness (database and Redis), Prometheus metrics.
#include "api/handlers/routes.h"

namespace loyalty::api {

void AddOpsRoutes(Router& router, AppContext& app) {
  router.Add("GET", "/healthz", [](HttpRequest&) {
    return JsonResponse(200, Json{{"status", "ok"}});
  });

  // Not ready without the database; Redis down is "degraded" but still ready, because every
  // read falls back to MariaDB.
  router.Add("GET", "/readyz", [&app](HttpRequest&) {
    const Readiness r = app.readiness();
    HttpResponse response = JsonResponse(
        r.database ? 200 : 503,
        Json{{"status", !r.database ? "unavailable" : r.redis ? "ready" : "degraded"},
             {"database", r.database ? "up" : "down"},
             {"redis", r.redis ? "up" : "down"}});
    if (!r.database) response.headers.emplace_back("Retry-After", "1");
    return response;
  });

  router.Add("GET", "/metrics", [&app](HttpRequest&) {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = app.metrics.Render(app.pool_metrics());
    return r;
  });
}

}  // namespace loyalty::api
