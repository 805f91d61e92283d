// Request pipeline.
#include "api/http/dispatcher.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "api/http/problem.h"

namespace loyalty::api {
namespace {

// A client-supplied id is kept (it ties POS logs to ours) if it is short and harmless.
bool UsableRequestId(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
             std::string::npos;
}

}  // namespace

HttpResponse Dispatcher::Handle(HttpRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  const std::string incoming = request.Header("x-request-id");
  request.request_id = UsableRequestId(incoming) ? incoming : new_request_id_();
  std::string route_label = "unmatched";
  HttpResponse response;
  try {
    response = Route(request, route_label);
  } catch (const std::exception& e) {
    spdlog::error(nlohmann::json{{"msg", "handler failed"},
                                 {"request_id", request.request_id},
                                 {"error", e.what()}}
                      .dump());
    response = Problem(500, "internal_error",
                       "something went wrong on our side; quote the request id when reporting it",
                       request.request_id);
  }
  response.headers.emplace_back("X-Request-Id", request.request_id);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.ObserveRequest(request.method, route_label, response.status, seconds);
  // The query string is left out: lookups carry phone numbers and e-mail addresses.
  spdlog::info(nlohmann::json{{"msg", "request"},
                              {"request_id", request.request_id},
                              {"method", request.method},
                              {"path", request.path},
                              {"status", response.status},
                              {"ms", seconds * 1000}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return response;
}

HttpResponse Dispatcher::Route(HttpRequest& request, std::string& route_label) const {
  if (request.body.size() > options_.max_body_bytes) {
    return Problem(413, "body_too_large",
                   "the request body is larger than " +
                       std::to_string(options_.max_body_bytes / 1024) + " KiB",
                   request.request_id);
  }
  const Router::Match match = router_.Find(request);
  if (!match.handler) {
    if (match.allowed.empty()) {
      return Problem(404, "route_not_found", "no such endpoint: " + request.path.substr(0, 200),
                     request.request_id);
    }
    route_label = match.pattern;
    std::string allow;
    for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
    HttpResponse r = Problem(405, "method_not_allowed",
                             request.method.substr(0, 16) + " is not allowed here; use " + allow,
                             request.request_id);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  route_label = match.pattern;
  return (*match.handler)(request);
}

}  // namespace loyalty::api
