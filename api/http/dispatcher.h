// The request pipeline around the router: request ids, body limit, 404/405, exception safety,
// access log and metrics. Independent of Pistache, so it is tested directly.
#pragma once

#include <functional>
#include <string>

#include "api/http/router.h"
#include "api/metrics.h"

namespace loyalty::api {

struct DispatcherOptions {
  size_t max_body_bytes = 1 << 20;  // 1 MiB; larger bodies get 413
};

class Dispatcher {
 public:
  Dispatcher(const Router& router, Metrics& metrics, std::function<std::string()> new_request_id,
             DispatcherOptions options = {})
      : router_(router), metrics_(metrics), new_request_id_(std::move(new_request_id)),
        options_(options) {}

  // Never throws; always returns a response carrying X-Request-Id.
  HttpResponse Handle(HttpRequest& request) const;

 private:
  HttpResponse Route(HttpRequest& request, std::string& route_label) const;

  const Router& router_;
  Metrics& metrics_;
  std::function<std::string()> new_request_id_;
  DispatcherOptions options_;
};

}  // namespace loyalty::api
