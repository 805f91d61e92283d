// A small blocking HTTP client for e2e tests (libcurl), speaking to 127.0.0.1 only.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace loyalty::testing {

struct HttpResult {
  long status = 0;                             // 0 when the connection failed
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  double seconds = 0;  // wall time of the exchange

  nlohmann::json Json() const;  // parsed body; discarded value if it is not JSON
  std::string Header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(int port) : base_("http://127.0.0.1:" + std::to_string(port)) {}

  // `headers` are sent as given ("Name: value"); a JSON body gets Content-Type application/json
  // unless a content-type header is given.
  // `source_address` (e.g. "127.9.8.7", any of 127.0.0.0/8 reaches the server) sets the client
  // address the server sees; empty = the default 127.0.0.1.
  HttpResult Request(const std::string& method, const std::string& path,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {},
                     long timeout_ms = 10000, const std::string& source_address = "") const;

  HttpResult Get(const std::string& path, const std::string& token = "") const;
  HttpResult Post(const std::string& path, const nlohmann::json& body,
                  const std::string& token = "") const;
  HttpResult Patch(const std::string& path, const nlohmann::json& body,
                   const std::string& token = "") const;
  HttpResult Delete(const std::string& path, const std::string& token = "") const;

  // POST /v1/auth/login; returns the token or fails the current test.
  std::string Login(const std::string& username, const std::string& password) const;

 private:
  std::string base_;
};

// application/x-www-form-urlencoded style escaping for query values ("+86 138" -> "%2B86%20138").
std::string UrlEncode(const std::string& value);

}  // namespace loyalty::testing
