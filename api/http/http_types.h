// Plain request/response values: handlers see these, never Pistache types, so they are testable.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/domain/staff.h"

namespace loyalty::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::map<std::string, std::string> query;    // decoded; last value wins
  std::string raw_query;                       // as received, without '?' (signatures)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;  // assigned by the server before routing
  std::map<std::string, std::string> path_params;  // filled by the router
  std::optional<Principal> principal;  // set once the bearer token was checked

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  const std::string* Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
};

}  // namespace loyalty::api
