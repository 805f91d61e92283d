// Reading request input (JSON bodies, query parameters); every failure is a 4xx naming it.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "api/http/http_types.h"
#include "loyalty/common/error.h"

namespace loyalty::api {

using Json = nlohmann::json;

// 415 unless Content-Type is application/json (any charset param); 400 invalid_json naming the
// byte offset of a syntax error; 400 when the body is not an object or has a field not in
// `allowed` (a misspelt field should not be silently ignored).
tl::expected<Json, HttpResponse> ReadJsonObject(const HttpRequest& request,
                                                std::initializer_list<const char*> allowed);
// The same without the field check, for bodies whose mapper checks fields itself.
tl::expected<Json, HttpResponse> ReadJsonObject(const HttpRequest& request);

// ?limit= as a whole number from 1 to `max` (`fallback` when absent), or the 400 to send.
Result<int> LimitParam(const HttpRequest& request, int fallback, int max);

// Typed field access: absent → nullopt; wrong type → 400 naming the field and expected type.
Result<std::optional<std::string>> OptionalString(const Json& body, const char* field);
Result<std::optional<bool>> OptionalBool(const Json& body, const char* field);
Result<std::string> RequiredString(const Json& body, const char* field);
// A whole number that fits int64: 1.5, "10", 1e30 and 9223372036854775808 are 400s.
Result<int64_t> RequiredInt64(const Json& body, const char* field);
Result<std::optional<int64_t>> OptionalInt64(const Json& body, const char* field);
// Absent or null → empty; anything but an array of strings → 400 naming the element.
Result<std::vector<std::string>> OptionalStringArray(const Json& body, const char* field);

}  // namespace loyalty::api
