// `loyalty import-poslog FILE...`: ARTS POSLog files imported as the chain's system user.
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/cli/commands.h"
#include "api/handlers/poslog_report_json.h"

namespace loyalty::api {

int ImportPoslogCommand(Runtime& rt, const Args& files) {
  if (files.empty()) {
    std::cerr << Usage("import-poslog");
    return 2;
  }
  int exit_code = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << file << ": cannot be read\n";
      exit_code = 1;
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto report = rt.poslog->Import(Actor::System("import-poslog"), text.str());
    if (!report) {
      std::cerr << file << ": " << report.error().slug << ": " << report.error().message << "\n";
      exit_code = 1;
      continue;
    }
    nlohmann::json line = PoslogReportJson(*report);
    line["file"] = file;
    std::cout << line.dump() << "\n";
  }
  return exit_code;
}

}  // namespace loyalty::api
