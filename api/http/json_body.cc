// JSON body reading.
#include "api/http/json_body.h"

#include "api/http/problem.h"

namespace loyalty::api {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

tl::expected<Json, HttpResponse> ReadJsonObject(const HttpRequest& request) {
  const std::string type = Lower(request.Header("content-type"));
  const std::string media = type.substr(0, type.find(';'));
  if (media.find_first_not_of(' ') == std::string::npos ||
      (media != "application/json" && !media.ends_with("+json"))) {
    return tl::unexpected(Problem(415, "unsupported_media_type",
                                  "send the body as JSON with 'Content-Type: application/json'",
                                  request.request_id));
  }
  Json body;
  try {
    body = Json::parse(request.body);
  } catch (const Json::parse_error& e) {
    return tl::unexpected(Problem(400, "invalid_json",
                                  "the body is not valid JSON (error at byte " +
                                      std::to_string(e.byte) + ")",
                                  request.request_id));
  } catch (const Json::exception&) {
    // e.g. a number beyond any double (1e400); the library's text would quote the body.
    return tl::unexpected(Problem(400, "invalid_json",
                                  "the body holds a value JSON cannot represent (a number too large?)",
                                  request.request_id));
  }
  if (!body.is_object()) {
    return tl::unexpected(Problem(400, "invalid_json", "the body must be a JSON object",
                                  request.request_id));
  }
  return body;
}

tl::expected<Json, HttpResponse> ReadJsonObject(const HttpRequest& request,
                                                std::initializer_list<const char*> allowed) {
  auto body = ReadJsonObject(request);
  if (!body) return body;
  for (const auto& [key, value] : body->items()) {
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) {
      std::string names;
      for (const char* name : allowed) names += names.empty() ? name : std::string(", ") + name;
      Error e{Code::kInvalidArgument, "unknown_field",
              "unknown field '" + key.substr(0, 64) + "'; expected one of: " + names, {}};
      return tl::unexpected(Problem(e.With("field", key.substr(0, 64)), request.request_id));
    }
  }
  return body;
}

Result<int> LimitParam(const HttpRequest& request, int fallback, int max) {
  const std::string* raw = request.Query("limit");
  if (!raw) return fallback;
  const bool digits = !raw->empty() && raw->size() <= 4 &&
                      raw->find_first_not_of("0123456789") == std::string::npos;
  const int value = digits ? std::stoi(*raw) : 0;
  if (value < 1 || value > max) {
    return InvalidField("limit", "invalid_limit", "limit must be between 1 and " + std::to_string(max));
  }
  return value;
}

Result<std::optional<std::string>> OptionalString(const Json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) {
    return InvalidField(field, "invalid_type", std::string(field) + " must be a string");
  }
  return std::optional<std::string>{it->get<std::string>()};
}

Result<std::optional<bool>> OptionalBool(const Json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<bool>{};
  if (!it->is_boolean()) {
    return InvalidField(field, "invalid_type", std::string(field) + " must be true or false");
  }
  return std::optional<bool>{it->get<bool>()};
}

Result<int64_t> RequiredInt64(const Json& body, const char* field) {
  auto value = OptionalInt64(body, field);
  if (!value) return Fail(value.error());
  if (!*value) return InvalidField(field, "missing_field", std::string(field) + " is required");
  return **value;
}

Result<std::optional<int64_t>> OptionalInt64(const Json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<int64_t>{};
  const bool fits = it->is_number_integer() &&
                    (!it->is_number_unsigned() ||
                     it->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX));
  if (!fits) {
    return InvalidField(field, "invalid_type",
                        std::string(field) + " must be a whole number (no quotes, no decimals)");
  }
  return std::optional<int64_t>{it->get<int64_t>()};
}

Result<std::vector<std::string>> OptionalStringArray(const Json& body, const char* field) {
  std::vector<std::string> out;
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) {
    return InvalidField(field, "invalid_type", std::string(field) + " must be an array of strings");
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& element = (*it)[i];
    if (!element.is_string()) {
      const std::string path = std::string(field) + "[" + std::to_string(i) + "]";
      return InvalidField(path, "invalid_type", path + " must be a string");
    }
    out.push_back(element.get<std::string>());
  }
  return out;
}

Result<std::string> RequiredString(const Json& body, const char* field) {
  auto value = OptionalString(body, field);
  if (!value) return Fail(value.error());
  if (!*value) return InvalidField(field, "missing_field", std::string(field) + " is required");
  return **value;
}

}  // namespace loyalty::api
