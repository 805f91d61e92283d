// Route registration, one function per area; main.cc calls them all before the server starts.
#pragma once

#include "api/app_context.h"
#include "api/http/json_body.h"
#include "api/http/router.h"

namespace loyalty::api {

void AddOpsRoutes(Router& router, AppContext& app);     // /healthz /readyz /metrics
void AddAuthRoutes(Router& router, AppContext& app);    // /v1/auth/*
void AddStaffRoutes(Router& router, AppContext& app);   // /v1/staff, /v1/audit-log
void AddMemberRoutes(Router& router, AppContext& app);  // /v1/members*
void AddPointsRoutes(Router& router, AppContext& app);  // points, ledger, adjustments, liability
void AddTierRoutes(Router& router, AppContext& app);    // /v1/members/{id}/tier
void AddPosRoutes(Router& router, AppContext& app);     // /v1/pos/* (terminal signatures)
void AddCouponRoutes(Router& router, AppContext& app);  // definitions, issue jobs, wallet, codes
// /v1/pos/transactions* (terminal signatures), /v1/reports/pos-exceptions
void AddPosTransactionRoutes(Router& router, AppContext& app);
// /v1/pos/journal (terminal signatures), /v1/reports/offline-reconciliation
void AddPosJournalRoutes(Router& router, AppContext& app);
void AddPoslogRoutes(Router& router, AppContext& app);   // /v1/pos/poslog (staff)
void AddSegmentRoutes(Router& router, AppContext& app);  // /v1/segments*

inline void AddAllRoutes(Router& router, AppContext& app) {
  AddOpsRoutes(router, app);
  AddAuthRoutes(router, app);
  AddStaffRoutes(router, app);
  AddMemberRoutes(router, app);
  AddPointsRoutes(router, app);
  AddTierRoutes(router, app);
  AddCouponRoutes(router, app);
  AddPosRoutes(router, app);
  AddPosTransactionRoutes(router, app);
  AddPosJournalRoutes(router, app);
  AddPoslogRoutes(router, app);
  AddSegmentRoutes(router, app);
}

// A JSON response with the given status.
HttpResponse JsonResponse(int status, const Json& body);

}  // namespace loyalty::api
