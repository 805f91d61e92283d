// Shared pieces of the e2e suites: one server per test suite, problem+json assertions, requests
// from a chosen loopback source address (login throttling counts per client address).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
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

// Like HttpClient::Request, but the connection leaves from `source_address` (127.x.y.z).
inline HttpResult RequestFrom(int port, const std::string& source_address,
                              const std::string& method, const std::string& path,
                              const std::string& body = "",
                              const std::map<std::string, std::string>& headers = {}) {
  return HttpClient(port).Request(method, path, body, headers, 10000, source_address);
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

// Polls a coupon issue job until it is done or failed (90 s at most) and returns it.
inline nlohmann::json AwaitIssueJob(HttpClient& http, const std::string& token,
                                    const std::string& job_id) {
  nlohmann::json job;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (std::chrono::steady_clock::now() < deadline) {
    const HttpResult r = http.Get("/v1/coupon-issue-jobs/" + job_id, token);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return r.Json();
    job = r.Json();
    if (job["state"] == "done" || job["state"] == "failed") return job;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ADD_FAILURE() << "job " << job_id << " not done after 90 s: " << job.dump();
  return job;
}

// The `items` of a list response, or an empty array.
inline nlohmann::json Items(const HttpResult& r) {
  const auto j = r.Json();
  return j.is_object() && j.contains("items") && j["items"].is_array() ? j["items"]
                                                                       : nlohmann::json::array();
}

}  // namespace loyalty::testing::e2e
