// Points JSON mapping.
#include "api/handlers/points_json.h"

#include "loyalty/common/time_format.h"

namespace loyalty::api {
namespace {

Json Nullable(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

}  // namespace

Json MoneyJson(const Money& m) { return Json{{"amount_minor", m.minor}, {"currency", m.currency}}; }

Json SummaryJson(const PointsSummary& s) {
  Json expiring = Json::array();
  for (const auto& e : s.expiring) {
    expiring.push_back({{"date", FormatDate(e.last_day)}, {"points", e.points}});
  }
  return Json{{"available", s.available},       {"pending", s.pending},
              {"debt", s.debt},                 {"lifetime_earned", s.lifetime_earned},
              {"expiring", expiring},           {"available_value", MoneyJson(s.value)}};
}

Json EntryJson(const Entry& e) {
  Json allocations = Json::array();
  for (const auto& a : e.allocations) allocations.push_back({{"lot_id", a.lot_id}, {"points", a.points}});
  return Json{{"entry_id", e.entry_id},
              {"at", FormatInstant(e.at)},
              {"kind", EntryKindName(e.kind)},
              {"available_delta", e.available_delta},
              {"pending_delta", e.pending_delta},
              {"lot_id", Nullable(e.lot_id)},
              {"allocations", allocations},
              {"ref_type", e.ref_type},
              {"ref_id", e.ref_id},
              {"reason", e.reason},
              {"staff_id", e.staff_id},
              {"store_id", Nullable(e.store_id)}};
}

Json AdjustmentJson(const Adjustment& a) {
  return Json{{"adjustment_id", a.adjustment_id},
              {"member_id", a.member_id},
              {"points", a.points},
              {"reason", a.reason},
              {"status", AdjustmentStatusName(a.status)},
              {"requested_by", a.requested_by},
              {"requested_at", FormatInstant(a.requested_at)},
              {"decided_by", Nullable(a.decided_by)},
              {"decided_at", a.decided_at ? Json(FormatInstant(*a.decided_at)) : Json()}};
}

Json LiabilityJson(const LiabilityReport& r) {
  Json lines = Json::array();
  for (const auto& l : r.lines) {
    lines.push_back({{"store_id", Nullable(l.store_id)},
                     {"expiry_month", l.expiry_month.empty() ? Json() : Json(l.expiry_month)},
                     {"active", l.active},
                     {"pending", l.pending},
                     {"active_value", MoneyJson(l.active_value)}});
  }
  return Json{{"active", r.active},
              {"pending", r.pending},
              {"active_value", MoneyJson(r.active_value)},
              {"pending_value", MoneyJson(r.pending_value)},
              {"lines", lines}};
}

}  // namespace loyalty::api
