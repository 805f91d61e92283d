// The offline journal upload (POST /v1/pos/journal, terminal-signed) and the reconciliation of
// what tills granted while offline (GET /v1/reports/offline-reconciliation, staff).
#include "api/handlers/points_json.h"
#include "api/handlers/pos_request.h"
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "loyalty/common/time_format.h"
#include "loyalty/crypto/openssl_crypto.h"

namespace loyalty::api {
namespace {

// A payload field the format does not have is refused like a misspelt body field.
Status OnlyFields(const Json& payload, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : payload.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) return InvalidField(key, "unknown_field", key + " is not a field of this entry");
  }
  return {};
}

// The batch names the till; an entry may repeat it but not name another.
Status SameTill(Json& payload, const pos::JournalBatch& batch) {
  for (auto [field, value] :
       {std::pair{"store_id", &batch.store_id}, std::pair{"terminal_id", &batch.terminal_id}}) {
    auto it = payload.find(field);
    if (it == payload.end()) {
      payload[field] = *value;
    } else if (!it->is_string() || *it != *value) {
      return InvalidField(field, "invalid_journal_entry",
                          std::string(field) + " differs from the batch's " + *value);
    }
  }
  return {};
}

Result<CommitOutcome> ApplyEntry(AppContext& app, const Actor& actor,
                                 const pos::JournalBatch& batch, const pos::JournalEntry& entry) {
  Json payload = Json::parse(entry.payload);  // ParseJournal checked it is an object
  if (auto ok = SameTill(payload, batch); !ok) return Fail(ok.error());
  const std::string hash = Sha256Hex(entry.payload);
  if (!payload.contains("occurred_at")) payload["occurred_at"] = entry.recorded_at_text;
  switch (entry.type) {
    case pos::JournalEntryType::kSale: {
      if (auto ok = OnlyFields(payload, kCommitFields); !ok) return Fail(ok.error());
      auto request = CommitRequestFrom(payload, hash);
      if (!request) return Fail(request.error());
      request->offline = true;
      return app.sales.Commit(actor, *request);
    }
    case pos::JournalEntryType::kReturn: {
      std::initializer_list<const char*> fields = {
          "store_id",    "terminal_id", "return_txn_id",          "lines",
          "occurred_at", "cashier_id",  "transaction_pos_txn_id", "transaction_terminal_id"};
      if (auto ok = OnlyFields(payload, fields); !ok) return Fail(ok.error());
      auto sale_pos_id = RequiredString(payload, "transaction_pos_txn_id");
      if (!sale_pos_id) return Fail(sale_pos_id.error());
      auto sale_terminal = OptionalString(payload, "transaction_terminal_id");
      if (!sale_terminal) return Fail(sale_terminal.error());
      auto sale = app.sales.FindByTill(batch.store_id, sale_terminal->value_or(batch.terminal_id),
                                       *sale_pos_id);
      if (!sale) return Fail(sale.error());
      // Unknown here: recorded as a return without receipt when the lines describe the goods.
      const std::string sale_id = *sale ? (*sale)->txn_id : "journal:" + *sale_pos_id;
      payload.erase("transaction_pos_txn_id");
      payload.erase("transaction_terminal_id");
      auto request = ReturnRequestFrom(payload, hash, sale_id);
      if (!request) return Fail(request.error());
      return app.sales.Return(actor, *request);
    }
    case pos::JournalEntryType::kVoid: {
      if (auto ok = OnlyFields(payload, {"store_id", "terminal_id", "pos_txn_id", "void_txn_id",
                                         "occurred_at", "cashier_id"});
          !ok) {
        return Fail(ok.error());
      }
      auto sale_pos_id = RequiredString(payload, "pos_txn_id");
      if (!sale_pos_id) return Fail(sale_pos_id.error());
      auto sale = app.sales.FindByTill(batch.store_id, batch.terminal_id, *sale_pos_id);
      if (!sale) return Fail(sale.error());
      if (!*sale) {
        return Fail(Code::kNotFound, "transaction_not_found",
                    "this till has no sale " + sale_pos_id->substr(0, 64) + " to void");
      }
      payload.erase("pos_txn_id");
      auto till = VoidTillFrom(payload, hash, (*sale)->txn_id);
      if (!till) return Fail(till.error());
      return app.sales.Void(actor, *till, (*sale)->txn_id);
    }
  }
  return Fail(Code::kInvalidArgument, "invalid_journal_entry", "unknown entry type");
}

Json JournalJson(const pos::JournalReport& r) {
  Json gaps = Json::array();
  for (const pos::JournalGap& g : r.gaps) gaps.push_back({{"from", g.from}, {"to", g.to}});
  Json items = Json::array();
  for (const pos::JournalItem& i : r.items) {
    Json item{{"seq", i.seq},
              {"status", i.status},
              {"transaction_id", i.transaction_id ? Json(*i.transaction_id) : Json()}};
    if (!i.error_code.empty()) {
      item["error"] = {{"code", i.error_code}, {"message", i.error_message}};
    }
    items.push_back(std::move(item));
  }
  return Json{{"store_id", r.store_id}, {"terminal_id", r.terminal_id}, {"applied", r.applied},
              {"replayed", r.replayed}, {"failed", r.failed},           {"gaps", gaps},
              {"entries", items}};
}

HttpResponse JournalHandler(AppContext& app, HttpRequest& req) {
  auto actor = app.terminals.Authenticate(req);
  if (!actor) return SignatureProblem(actor.error(), req.request_id);
  auto report = app.journal.Upload(
      *actor, req.body,
      [&app](const Actor& a, const pos::JournalBatch& batch, const pos::JournalEntry& entry) {
        return ApplyEntry(app, a, batch, entry);
      });
  if (!report) return Problem(report.error(), req.request_id);
  return JsonResponse(200, JournalJson(*report));
}

HttpResponse ReconciliationHandler(AppContext& app, HttpRequest& req) {
  auto actor = Authenticate(app, req);
  if (!actor) return Problem(actor.error(), req.request_id);
  auto query = ReportQueryFrom(req, app.clock.Now());
  if (!query) return Problem(query.error(), req.request_id);
  auto rows = app.sales.OfflineReconciliation(*actor, *query);
  if (!rows) return Problem(rows.error(), req.request_id);
  Json items = Json::array();
  for (const PosTransaction& t : *rows) {
    items.push_back({{"transaction_id", t.txn_id},
                     {"store_id", t.store_id},
                     {"terminal_id", t.terminal_id},
                     {"pos_txn_id", t.pos_txn_id},
                     {"member_id", t.member_id ? Json(*t.member_id) : Json()},
                     {"occurred_at", FormatInstant(t.occurred_at)},
                     {"points_redeemed", t.points_redeemed},
                     {"points_debt", t.offline_debt},
                     {"points_written_off", t.offline_uncovered},
                     {"rejected_coupon_codes", t.rejected_codes}});
  }
  return JsonResponse(200, Json{{"from", FormatInstant(query->from)},
                                {"to", FormatInstant(query->to)},
                                {"items", items}});
}

}  // namespace

void AddPosJournalRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/pos/journal",
             [&app](HttpRequest& req) { return JournalHandler(app, req); });
  router.Add("GET", "/v1/reports/offline-reconciliation",
             [&app](HttpRequest& req) { return ReconciliationHandler(app, req); });
}

}  // namespace loyalty::api
