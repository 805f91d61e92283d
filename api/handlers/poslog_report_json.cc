// POSLog import report JSON.
#include "api/handlers/poslog_report_json.h"

namespace loyalty::api {

nlohmann::json PoslogReportJson(const pos::PoslogImportReport& report) {
  nlohmann::json items = nlohmann::json::array();
  for (const pos::PoslogImportItem& i : report.items) {
    items.push_back({{"transaction_index", i.transaction_index},
                     {"key", i.key},
                     {"outcome", i.outcome},
                     {"reason", i.reason},
                     {"message", i.message},
                     {"transaction_id",
                      i.transaction_id ? nlohmann::json(*i.transaction_id) : nlohmann::json()}});
  }
  return {{"dialect", report.dialect},
          {"accepted", report.accepted},
          {"skipped", report.skipped},
          {"rejected", report.rejected},
          {"items", items}};
}

}  // namespace loyalty::api
