// A POSLog import report as JSON, for POST /v1/pos/poslog and `loyalty import-poslog`.
#pragma once

#include <nlohmann/json.hpp>

#include "pos-adapter/poslog_import.h"

namespace loyalty::api {

nlohmann::json PoslogReportJson(const pos::PoslogImportReport& report);

}  // namespace loyalty::api
