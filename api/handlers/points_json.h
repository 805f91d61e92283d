// JSON shapes of points: balances, ledger entries, adjustments, the liability report.
#pragma once

#include "api/http/json_body.h"
#include "loyalty/service/points_service.h"

namespace loyalty::api {

Json MoneyJson(const Money& m);
Json SummaryJson(const PointsSummary& s);
Json EntryJson(const Entry& e);
Json AdjustmentJson(const Adjustment& a);
Json LiabilityJson(const LiabilityReport& r);

}  // namespace loyalty::api
