// What handlers may use: the services and the operational probes, wired in main.cc.
#pragma once

#include <functional>
#include <string>

#include "api/http/http_types.h"
#include "api/metrics.h"
#include "loyalty/service/actor.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/staff_service.h"

namespace loyalty::api {

struct Readiness {
  bool database = false;
  bool redis = false;
};

struct AppContext {
  MemberService& members;
  StaffService& staff;
  Metrics& metrics;
  std::function<Readiness()> readiness;
  std::function<std::string()> pool_metrics;  // Prometheus lines about the pools
};

// The staff member behind "Authorization: Bearer <token>", or the 401 to send.
Result<Actor> Authenticate(AppContext& app, const HttpRequest& request);

}  // namespace loyalty::api
