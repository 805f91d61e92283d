// What handlers may use: the services and the operational probes, wired in main.cc.
#pragma once

#include <functional>
#include <string>

#include "api/http/http_types.h"
#include "api/http/router.h"
#include "api/http/terminal_auth.h"
#include "api/metrics.h"
#include "campaigns/service/segment_service.h"
#include "loyalty/domain/ports/idempotency_store.h"
#include "loyalty/service/actor.h"
#include "loyalty/service/checkout_service.h"
#include "loyalty/service/coupon_service.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/referral_service.h"
#include "loyalty/service/sale_service.h"
#include "loyalty/service/staff_service.h"
#include "loyalty/service/tier_service.h"
#include "pos-adapter/journal_apply.h"
#include "pos-adapter/poslog_import.h"

namespace loyalty::api {

struct Readiness {
  bool database = false;
  bool redis = false;
};

struct AppContext {
  MemberService& members;
  StaffService& staff;
  PointsService& points;
  TierService& tiers;
  ReferralService& referrals;
  CouponService& coupons;
  CheckoutService& checkout;
  SaleService& sales;
  pos::JournalService& journal;
  pos::PoslogImporter& poslog;
  SegmentService& segments;
  TerminalAuthenticator& terminals;
  IdempotencyStore& idempotency;
  const Clock& clock;
  Metrics& metrics;
  std::function<Readiness()> readiness;
  std::function<std::string()> pool_metrics;  // Prometheus lines about the pools
};

// The staff member behind "Authorization: Bearer <token>", or the 401 to send. Remembered in
// the request, so a second call (e.g. handler after the idempotency wrapper) costs nothing.
Result<Actor> Authenticate(AppContext& app, HttpRequest& request);

// Wraps a mutating handler so it honours the Idempotency-Key header (api/http/idempotency.cc).
Handler Idempotent(AppContext& app, Handler handler);

}  // namespace loyalty::api
