// Staff authentication end to end: login, bad credentials, throttling, bearer tokens, logout and
// login body validation, against a real `loyalty serve`.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

class AuthE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Accounts only this run uses: failed logins are counted per username in the Redis every
    // test binary shares, so the names must be new each time.
    locked_user_ = "locked-" + RandomHex(10);
    victim_user_ = "victim-" + RandomHex(10);
    suite_ = SuiteServer::Start([](SuiteServer& s) {
      CreateStaffCli(s.env, locked_user_, "cashier", "S1");
      CreateStaffCli(s.env, victim_user_, "cashier", "S1");
    });
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override { ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed"; }

  HttpClient& http() { return *suite_->http; }
  int port() { return suite_->server->port(); }

  // A login attempt from `address`.
  HttpResult LoginFrom(const std::string& address, const std::string& username,
                       const std::string& password) {
    return RequestFrom(port(), address, "POST", "/v1/auth/login",
                       nlohmann::json{{"username", username}, {"password", password}}.dump());
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline std::string locked_user_, victim_user_;
};

TEST_F(AuthE2e, LoginReturnsTokenExpiryRoleAndStores) {
  const auto before = std::chrono::system_clock::now();
  const HttpResult r =
      http().Post("/v1/auth/login", {{"username", "manager1"}, {"password", kTestPassword}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Header("content-type").starts_with("application/json"));
  const auto j = r.Json();
  ASSERT_TRUE(j.is_object()) << r.body;
  ASSERT_TRUE(j["token"].is_string());
  EXPECT_TRUE(std::regex_match(j["token"].get<std::string>(), std::regex("[0-9a-f]{64}")))
      << j["token"];
  EXPECT_EQ(j["role"], "store_manager");
  EXPECT_EQ(j["store_ids"], nlohmann::json::array({"S1"}));
  EXPECT_TRUE(j["staff_id"].is_string() && !j["staff_id"].get<std::string>().empty());
  // RFC 3339 UTC, about the default session lifetime (720 minutes) from now.
  ASSERT_TRUE(j["expires_at"].is_string());
  const std::string expires = j["expires_at"];
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      expires, m, std::regex(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z)")))
      << expires;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  const auto expires_at = std::chrono::system_clock::from_time_t(timegm(&tm));
  const auto ttl = std::chrono::duration_cast<std::chrono::minutes>(expires_at - before);
  EXPECT_GE(ttl.count(), 718) << expires;
  EXPECT_LE(ttl.count(), 722) << expires;

  // A chain-wide role has no stores.
  const HttpResult admin =
      http().Post("/v1/auth/login", {{"username", "admin"}, {"password", kTestPassword}});
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.Json()["role"], "admin");
  EXPECT_EQ(admin.Json()["store_ids"], nlohmann::json::array());
  EXPECT_NE(admin.Json()["token"], j["token"]);

  // The token works.
  const HttpResult me = http().Get("/v1/members?phone=13800138000", j["token"]);
  EXPECT_EQ(me.status, 200) << me.body;
}

TEST_F(AuthE2e, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  const std::string address = RandomLoopbackAddress();
  const HttpResult wrong = LoginFrom(address, victim_user_, "not-the-password-2026");
  const HttpResult unknown = LoginFrom(address, "nobody-" + RandomHex(10), kTestPassword);
  ASSERT_TRUE(IsProblem(wrong, 401, "bad_credentials"));
  ASSERT_TRUE(IsProblem(unknown, 401, "bad_credentials"));
  // Nothing in the answer tells whether the username exists.
  auto without_id = [](nlohmann::json j) {
    j.erase("request_id");
    return j;
  };
  EXPECT_EQ(without_id(wrong.Json()), without_id(unknown.Json()));
  EXPECT_EQ(wrong.Header("www-authenticate"), unknown.Header("www-authenticate"));
  EXPECT_EQ(wrong.Json().dump().find("token"), std::string::npos);

  // The right password still works for that user (two failures are far below the limit).
  const HttpResult ok = LoginFrom(RandomLoopbackAddress(), victim_user_, kTestPassword);
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(AuthE2e, FiveFailuresLockTheUsernameEvenForTheRightPassword) {
  // Each attempt from its own address: only the per-username counter reaches the limit.
  for (int i = 0; i < 5; ++i) {
    const HttpResult r =
        LoginFrom(RandomLoopbackAddress(), locked_user_, "wrong-password-" + std::to_string(i));
    ASSERT_TRUE(IsProblem(r, 401, "bad_credentials")) << "attempt " << i + 1;
  }
  const HttpResult sixth = LoginFrom(RandomLoopbackAddress(), locked_user_, kTestPassword);
  ASSERT_TRUE(IsProblem(sixth, 429, "too_many_attempts"));
  const std::string retry_after = sixth.Header("retry-after");
  ASSERT_TRUE(std::regex_match(retry_after, std::regex("[0-9]+"))) << "'" << retry_after << "'";
  EXPECT_GE(std::stoi(retry_after), 1);
  EXPECT_LE(std::stoi(retry_after), 900);
  EXPECT_EQ(sixth.Json().dump().find("\"token\""), std::string::npos);

  // The lock is per username: others still log in.
  const HttpResult other = LoginFrom(RandomLoopbackAddress(), "manager1", kTestPassword);
  EXPECT_EQ(other.status, 200) << other.body;
}

TEST_F(AuthE2e, FiveFailuresFromOneAddressLockThatAddress) {
  const std::string address = RandomLoopbackAddress();
  for (int i = 0; i < 5; ++i) {
    const HttpResult r = LoginFrom(address, "nobody-" + RandomHex(10), kTestPassword);
    ASSERT_TRUE(IsProblem(r, 401, "bad_credentials")) << "attempt " << i + 1;
  }
  const HttpResult locked = LoginFrom(address, "cashier1", kTestPassword);
  ASSERT_TRUE(IsProblem(locked, 429, "too_many_attempts"));
  EXPECT_FALSE(locked.Header("retry-after").empty());
  // Another client address is not affected.
  const HttpResult elsewhere = LoginFrom(RandomLoopbackAddress(), "cashier1", kTestPassword);
  EXPECT_EQ(elsewhere.status, 200) << elsewhere.body;
}

TEST_F(AuthE2e, MissingOrInvalidTokenIs401WithWwwAuthenticate) {
  const std::string path = "/v1/members?phone=13800138000";
  const std::vector<std::map<std::string, std::string>> cases = {
      {},
      {{"Authorization", "Bearer garbage"}},
      {{"Authorization", "Bearer " + std::string(64, 'a')}},  // well-formed, never issued
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Basic YWRtaW46dGVzdC1wYXNzLTIwMjY="}},
      {{"Authorization", std::string(64, 'b')}},  // no scheme
  };
  for (const auto& headers : cases) {
    const HttpResult r = http().Request("GET", path, "", headers);
    const std::string label = headers.empty() ? "(none)" : headers.begin()->second;
    EXPECT_TRUE(IsProblem(r, 401, "unauthenticated")) << label;
    EXPECT_TRUE(r.Header("www-authenticate").starts_with("Bearer")) << label;
  }
  // Writes too.
  const HttpResult enrol = http().Post("/v1/members", {{"phone", "13912345678"}, {"name", "李雷"}});
  EXPECT_TRUE(IsProblem(enrol, 401, "unauthenticated"));
  EXPECT_TRUE(enrol.Header("www-authenticate").starts_with("Bearer"));
}

TEST_F(AuthE2e, LogoutRevokesOnlyThatToken) {
  const std::string other_session = suite_->Token("cashier1");
  const std::string token = http().Login("cashier1", kTestPassword);
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(http().Get("/v1/members?phone=13800138000", token).status, 200);

  const HttpResult out = http().Request("POST", "/v1/auth/logout", "", Bearer(token));
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_TRUE(out.body.empty()) << out.body;

  const HttpResult after = http().Get("/v1/members?phone=13800138000", token);
  EXPECT_TRUE(IsProblem(after, 401, "unauthenticated"));
  EXPECT_TRUE(after.Header("www-authenticate").starts_with("Bearer"));
  // A revoked token cannot log out again, and no token cannot log out at all.
  EXPECT_TRUE(IsProblem(http().Request("POST", "/v1/auth/logout", "", Bearer(token)), 401,
                        "unauthenticated"));
  EXPECT_TRUE(IsProblem(http().Request("POST", "/v1/auth/logout", ""), 401, "unauthenticated"));
  // The same user's other session is untouched.
  EXPECT_EQ(http().Get("/v1/members?phone=13800138000", other_session).status, 200);
}

TEST_F(AuthE2e, LoginBodyErrorsAre4xxAndDoNotCountAsFailures) {
  // From one address, more bad bodies than the failure limit: none of them is a failed login.
  const std::string address = RandomLoopbackAddress();
  auto post = [&](const std::string& body, const std::string& type = "application/json") {
    const HttpResult r =
        RequestFrom(port(), address, "POST", "/v1/auth/login", body, {{"Content-Type", type}});
    EXPECT_LT(r.status, 500) << body;
    return r;
  };
  EXPECT_TRUE(IsProblem(post(R"({"username":"cashier1"})"), 400, "missing_field", "password"));
  EXPECT_TRUE(IsProblem(post(R"({"password":"x"})"), 400, "missing_field", "username"));
  EXPECT_TRUE(IsProblem(post(R"({"username":"cashier1","password":null})"), 400, "missing_field",
                        "password"));
  EXPECT_TRUE(
      IsProblem(post(R"({"username":"cashier1","password":"test-pass-2026"})", "text/plain"), 415,
                "unsupported_media_type"));
  EXPECT_TRUE(IsProblem(
      post("username=cashier1&password=test-pass-2026", "application/x-www-form-urlencoded"), 415,
      "unsupported_media_type"));
  EXPECT_TRUE(IsProblem(post(R"({"username":"cashier1","password":)"), 400, "invalid_json"));
  EXPECT_TRUE(IsProblem(post(R"(["cashier1","test-pass-2026"])"), 400, "invalid_json"));
  // A number beyond double range is invalid JSON for us too (nlohmann throws out_of_range).
  EXPECT_TRUE(IsProblem(post(R"({"username":"cashier1","password":1e400})"), 400, "invalid_json"));
  EXPECT_TRUE(IsProblem(post(""), 400, "invalid_json"));
  EXPECT_TRUE(
      IsProblem(post(R"({"username":"cashier1","password":"test-pass-2026","remember_me":true})"),
                400, "unknown_field", "remember_me"));
  EXPECT_TRUE(IsProblem(post(R"({"username":42,"password":"test-pass-2026"})"), 400, "invalid_type",
                        "username"));
  // Charset parameter and case do not matter.
  const HttpResult ok = post(R"({"username":"cashier1","password":"test-pass-2026"})",
                             "Application/JSON; charset=utf-8");
  EXPECT_EQ(ok.status, 200) << ok.body;
}

}  // namespace
}  // namespace loyalty::testing::e2e
