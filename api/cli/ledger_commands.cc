// `loyalty audit`, `loyalty activate`, `loyalty expire`: ledger checks and sweeps on demand.
#include <iostream>

#include <nlohmann/json.hpp>

#include "api/cli/commands.h"

namespace loyalty::api {

int AuditCommand(Runtime& rt) {
  auto findings = rt.points->AuditLedger();
  if (!findings) {
    std::cerr << "error: " << findings.error().message << "\n";
    return 1;
  }
  for (const auto& f : *findings) {
    for (const auto& problem : f.problems) std::cout << "member " << f.member_id << ": " << problem << "\n";
  }
  if (!findings->empty()) {
    std::cout << findings->size() << " member(s) break the ledger invariants\n";
    return 1;
  }
  std::cout << "ledger ok: every account matches its entries and lots\n";
  return 0;
}

int SweepCommand(Runtime& rt, bool activate, bool expire) {
  auto report = rt.points->Sweep(rt.clock.Now(), activate, expire);
  if (!report) {
    std::cerr << "error: " << report.error().message << "\n";
    return 1;
  }
  std::cout << nlohmann::json{{"members", report->members},
                              {"activated_lots", report->activated_lots},
                              {"expired_lots", report->expired_lots}}
                   .dump()
            << "\n";
  return 0;
}

}  // namespace loyalty::api
