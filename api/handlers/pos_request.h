// Reading what a till sends: its signature problems and basket lines.
#pragma once

#include <vector>

#include "api/http/json_body.h"
#include "loyalty/domain/checkout.h"

namespace loyalty::api {

// A refused terminal signature: the 401 names the scheme the till must use.
HttpResponse SignatureProblem(const Error& error, const std::string& request_id);

// The field helpers name "qty"; the till needs "lines[3].qty".
Error InLine(Error e, const std::string& at);

// body.lines[i] as TillLines; a wrong type is a 400 naming "lines[i].field".
Result<std::vector<TillLine>> TillLinesFrom(const Json& body);

}  // namespace loyalty::api
