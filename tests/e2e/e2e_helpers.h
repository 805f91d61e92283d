// Shared pieces of the e2e suites: one server per test suite, problem+json assertions, requests
// from a chosen loopback source address (login throttling counts per client address).
#pragma once

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "tests/support/test_env.h"

namespace loyalty::testing::e2e {

// Random lower-case hex, for unique usernames and ids that must not exist.
inline std::string RandomHex(size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (size_t i = 0; i < n; ++i) out += kHex[rd() % 16];
  return out;
}

// A random address in 127.0.0.0/8 other than 127.0.0.1. The whole block is loopback on Linux, so
// a client bound to it reaches the server on 127.0.0.1 and the server sees it as the client
// address. Tests that provoke failed logins use these, so that the per-address throttle (kept in
// the Redis every test binary shares, for 15 minutes) never locks out 127.0.0.1.
inline std::string RandomLoopbackAddress() {
  std::random_device rd;
  return "127." + std::to_string(1 + rd() % 254) + "." + std::to_string(rd() % 256) + "." +
         std::to_string(2 + rd() % 253);
}

namespace detail {
inline size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
inline size_t AppendHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of("\r\n ") + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}
}  // namespace detail

// Like HttpClient::Request, but the connection leaves from `source_address` (127.x.y.z).
inline HttpResult RequestFrom(int port, const std::string& source_address,
                              const std::string& method, const std::string& path,
                              const std::string& body = "",
                              const std::map<std::string, std::string>& headers = {}) {
  HttpResult result;
  CURL* curl = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_INTERFACE, ("host!" + source_address).c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, detail::AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, detail::AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  if (!body.empty() || method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_slist* list = nullptr;
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    has_type = has_type || lower == "content-type";
  }
  if (!has_type && !body.empty()) list = curl_slist_append(list, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  const auto started = std::chrono::steady_clock::now();
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return result;
}

inline std::map<std::string, std::string> Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// An RFC 9457 problem as this API sends it: the status, the content type, our `code` slug, a
// detail a person can act on, the request id of the X-Request-Id header, and (when given) the
// offending `field`.
inline ::testing::AssertionResult IsProblem(const HttpResult& r, long status,
                                            const std::string& code,
                                            const std::string& field = "") {
  auto fail = [&](const std::string& why) {
    return ::testing::AssertionFailure()
           << why << "\n  status " << r.status << ", content-type '" << r.Header("content-type")
           << "', body: " << r.body.substr(0, 600);
  };
  if (r.status != status) return fail("expected status " + std::to_string(status));
  if (!r.Header("content-type").starts_with("application/problem+json")) {
    return fail("expected Content-Type application/problem+json");
  }
  const auto j = r.Json();
  if (!j.is_object()) return fail("body is not a JSON object");
  if (!j.contains("code") || j["code"] != code) return fail("expected code '" + code + "'");
  if (!j.contains("status") || j["status"] != status) return fail("body status differs");
  if (!j.contains("type") || !j["type"].is_string()) return fail("no type");
  if (!j.contains("title") || !j["title"].is_string()) return fail("no title");
  if (!j.contains("detail") || !j["detail"].is_string() || j["detail"].get<std::string>().empty()) {
    return fail("no detail");
  }
  if (!j.contains("request_id") || j["request_id"] != r.Header("x-request-id")) {
    return fail("request_id differs from the X-Request-Id header '" + r.Header("x-request-id") +
                "'");
  }
  if (!field.empty() && (!j.contains("field") || j["field"] != field)) {
    return fail("expected field '" + field + "'");
  }
  return ::testing::AssertionSuccess();
}

// The environment every suite's server gets. Password hashing at the lowest allowed scrypt cost
// (2^14) keeps logins cheap, under ASan too; the cost is not what these tests are about.
inline Environment StandardEnvironment(const std::string& mysql_url, const std::string& redis_url) {
  return Environment{{"LOYALTY_MYSQL_URL", mysql_url},
                     {"LOYALTY_REDIS_URL", redis_url},
                     {"LOYALTY_MASTER_KEY", RandomMasterKey()},
                     {"LOYALTY_SCRYPT_LOG2N", "14"}};
}

// Creates a staff account through the CLI (before the server starts, or alongside it).
inline void CreateStaffCli(const Environment& env, const std::string& username,
                           const std::string& role, const std::string& store = "",
                           const std::string& password = kTestPassword) {
  std::vector<std::string> args = {"admin", "create-staff", "--username", username, "--role", role};
  if (!store.empty()) {
    args.push_back("--store");
    args.push_back(store);
  }
  const CommandResult r = RunLoyalty(env, args, password + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

// One fresh database, the standard staff and one `loyalty serve` for a whole test suite.
struct SuiteServer {
  std::unique_ptr<FreshDatabase> db;
  Environment env;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<HttpClient> http;
  std::map<std::string, std::string> tokens;

  // `prepare` runs after the standard staff exist and before the server starts.
  template <typename Prepare>
  static std::unique_ptr<SuiteServer> Start(Prepare prepare) {
    auto s = std::make_unique<SuiteServer>();
    s->db = std::make_unique<FreshDatabase>();
    s->env = StandardEnvironment(s->db->url(), TestRedisUrl());
    CreateStandardStaff(s->env);
    prepare(*s);
    s->server = std::make_unique<ServerProcess>(s->env);
    s->http = std::make_unique<HttpClient>(s->server->port());
    return s;
  }
  static std::unique_ptr<SuiteServer> Start() {
    return Start([](SuiteServer&) {});
  }

  // One login per user and suite (from 127.0.0.1; only successful logins use that address).
  const std::string& Token(const std::string& username) {
    auto it = tokens.find(username);
    if (it != tokens.end()) return it->second;
    return tokens[username] = http->Login(username, kTestPassword);
  }

  // Stops the server and expects a clean exit (under ASan a leak or crash makes it non-zero).
  void ExpectCleanStop() {
    if (!server) return;
    const int code = server->Stop();
    if (code != 0) {
      const std::string log = server->Log();
      ADD_FAILURE() << "loyalty serve exited with " << code << " (crash or leak); end of its log:\n"
                    << log.substr(log.size() > 20000 ? log.size() - 20000 : 0);
    }
  }
};

// The `items` of a list response, or an empty array.
inline nlohmann::json Items(const HttpResult& r) {
  const auto j = r.Json();
  return j.is_object() && j.contains("items") && j["items"].is_array() ? j["items"]
                                                                       : nlohmann::json::array();
}

}  // namespace loyalty::testing::e2e
