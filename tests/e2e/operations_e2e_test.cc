// Operations end to end: health, readiness, Prometheus metrics, request ids, the JSON log (no
// personal data), migrations run again or refused, and the command line.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

class OperationsE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { suite_ = SuiteServer::Start(); }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override { ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed"; }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }
  static const Environment& Env() { return suite_->env; }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) out.push_back(line);
    }
    return out;
  }

  static inline std::unique_ptr<SuiteServer> suite_;
};

TEST_F(OperationsE2e, HealthAndReadiness) {
  const HttpResult health = http().Get("/healthz");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.Json()["status"], "ok");
  const HttpResult ready = http().Get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.Json(),
            (nlohmann::json{{"status", "ready"}, {"database", "up"}, {"redis", "up"}}));
  EXPECT_TRUE(ready.Header("content-type").starts_with("application/json"));
}

TEST_F(OperationsE2e, MetricsArePrometheusText) {
  ASSERT_EQ(http().Get("/healthz").status, 200);
  const std::string unknown = "/v1/no-such-route-" + RandomHex(12);
  ASSERT_EQ(http().Get(unknown).status, 404);
  const HttpResult r = http().Get("/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Header("content-type").starts_with("text/plain")) << r.Header("content-type");
  EXPECT_NE(r.body.find("# TYPE loyalty_http_requests_total counter"), std::string::npos);
  EXPECT_NE(r.body.find("# TYPE loyalty_db_pool_size gauge"), std::string::npos);
  EXPECT_TRUE(std::regex_search(r.body, std::regex("\nloyalty_db_pool_size 8\n"))) << r.body;
  EXPECT_TRUE(std::regex_search(
      r.body,
      std::regex(
          R"(\nloyalty_http_requests_total\{method="GET",route="/healthz",status="200"\} [1-9][0-9]*\n)")))
      << r.body;
  // Unmatched paths are one label value, not one series per path a client invents.
  EXPECT_EQ(r.body.find(unknown), std::string::npos);
  // Every line is a comment or `name{labels} value`.
  const std::regex sample(
      R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? (-?[0-9.e+-]+|\+Inf|NaN)$)");
  for (const auto& line : Lines(r.body)) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
  }
  EXPECT_TRUE(r.body.ends_with("\n"));
}

TEST_F(OperationsE2e, ClientRequestIdIsEchoedInHeaderAndProblem) {
  const std::string id = "pos-S1-T1.000123_" + RandomHex(8);
  const HttpResult r =
      http().Request("GET", "/v1/members/" + RandomHex(24), "",
                     {{"X-Request-Id", id}, {"Authorization", "Bearer " + Token("cashier1")}});
  EXPECT_TRUE(IsProblem(r, 404, "member_not_found"));
  EXPECT_EQ(r.Header("x-request-id"), id);
  EXPECT_EQ(r.Json()["request_id"], id);
  // Successful answers carry it too.
  const HttpResult ok = http().Request("GET", "/healthz", "", {{"X-Request-Id", id}});
  EXPECT_EQ(ok.Header("x-request-id"), id);
  // 64 characters is the longest kept.
  const std::string longest = RandomHex(64);
  EXPECT_EQ(
      http().Request("GET", "/healthz", "", {{"X-Request-Id", longest}}).Header("x-request-id"),
      longest);
}

TEST_F(OperationsE2e, UnusableRequestIdsAreReplaced) {
  std::set<std::string> issued;
  for (const std::string& bad : std::vector<std::string>{
           std::string("has spaces in it"), std::string(100, 'a'), RandomHex(65),
           std::string("semi;colon"), std::string("{\"json\":1}"), std::string("x\xe4\xbd\xa0")}) {
    const HttpResult r = http().Request("GET", "/v1/nowhere", "", {{"X-Request-Id", bad}});
    EXPECT_TRUE(IsProblem(r, 404, "route_not_found")) << bad;
    const std::string id = r.Header("x-request-id");
    EXPECT_NE(id, bad);
    EXPECT_TRUE(std::regex_match(id, std::regex("[A-Za-z0-9._-]{8,64}"))) << id;
    issued.insert(id);
  }
  // Without one, each request gets its own.
  for (int i = 0; i < 3; ++i) issued.insert(http().Get("/v1/nowhere").Header("x-request-id"));
  EXPECT_EQ(issued.size(), 9u);
}

TEST_F(OperationsE2e, LogIsJsonLinesWithRequestIdsAndNoPersonalData) {
  const std::string cashier = Token("cashier1");
  const std::string marker = "ops-log-" + RandomHex(8);
  auto headers = [&](const std::string& suffix) {
    return std::map<std::string, std::string>{{"Authorization", "Bearer " + cashier},
                                              {"X-Request-Id", marker + suffix}};
  };
  const nlohmann::json enrol = {{"phone", "13800138000"},
                                {"email", "zhang.wei@example.com"},
                                {"name", "张伟"},
                                {"birthday", "1980-03-04"}};
  const HttpResult created = http().Request("POST", "/v1/members", enrol.dump(), headers("-enrol"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.Json()["member_id"];
  // Duplicate, lookups in every form, a bad phone, and a read.
  EXPECT_EQ(http().Request("POST", "/v1/members", enrol.dump(), headers("-dup")).status, 409);
  for (const std::string& q : std::vector<std::string>{
           "phone=13800138000", "phone=" + UrlEncode("+86 138 0013 8000"), "phone=8613800138000",
           "email=" + UrlEncode("zhang.wei@example.com"),
           "email=" + UrlEncode("ZHANG.WEI@EXAMPLE.COM"), "phone=1380013800"}) {
    const HttpResult r = http().Request("GET", "/v1/members?" + q, "", headers("-lookup"));
    EXPECT_LT(r.status, 500) << q;
  }
  EXPECT_EQ(http()
                .Request("POST", "/v1/members",
                         nlohmann::json{{"phone", "1380013800"}, {"name", "张伟"}}.dump(),
                         headers("-bad"))
                .status,
            400);
  EXPECT_EQ(http().Request("GET", "/v1/members/" + id, "", headers("-get")).status, 200);
  EXPECT_EQ(
      http()
          .Request("PATCH", "/v1/members/" + id,
                   nlohmann::json{{"email", "zhang.wei2@example.com"}}.dump(), headers("-patch"))
          .status,
      200);

  const std::string log = suite_->server->Log();
  ASSERT_FALSE(log.empty());
  std::set<std::string> logged_ids;
  for (const auto& line : Lines(log)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << "not a JSON object: " << line;
    EXPECT_TRUE(j.contains("ts") && j.contains("level")) << line;
    if (j.contains("request_id") && j["request_id"].is_string()) {
      logged_ids.insert(j["request_id"].get<std::string>());
      if (j["request_id"] == marker + "-enrol") {
        EXPECT_EQ(j["path"], "/v1/members") << line;
        EXPECT_EQ(j["method"], "POST") << line;
        EXPECT_EQ(j["status"], 201) << line;
      }
    }
  }
  for (const char* suffix : {"-enrol", "-dup", "-lookup", "-bad", "-get", "-patch"}) {
    EXPECT_EQ(logged_ids.count(marker + suffix), 1u) << marker + suffix;
  }
  for (const std::string& pii : std::vector<std::string>{
           "13800138000", "1380013800", "138 0013", "zhang.wei", "ZHANG.WEI", "example.com", "张伟",
           "\\u5f20\\u4f1f", "1980-03-04", "phone=", "email="}) {
    EXPECT_EQ(log.find(pii), std::string::npos) << "the log contains '" << pii << "'";
  }
}

TEST_F(OperationsE2e, MigrateAgainIsANoOpAndAnEditedMigrationIsRefused) {
  // The suite's database, in use by the running server: a second run changes nothing.
  const CommandResult again = RunLoyalty(Env(), {"migrate"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(http().Get("/readyz").status, 200);

  // A database of its own to tamper with.
  FreshDatabase db;
  Environment env = Env();
  env["LOYALTY_MYSQL_URL"] = db.url();
  const CommandResult first = RunLoyalty(env, {"migrate"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  db.Execute("UPDATE schema_migrations SET checksum = REPEAT('0', 64)");
  const CommandResult edited = RunLoyalty(env, {"migrate"});
  EXPECT_NE(edited.exit_code, 0) << edited.output;
  EXPECT_NE(edited.output.find("was edited"), std::string::npos) << edited.output;
  EXPECT_NE(edited.output.find(".sql"), std::string::npos) << edited.output;

  FreshDatabase newer;
  env["LOYALTY_MYSQL_URL"] = newer.url();
  newer.Execute(
      "INSERT INTO schema_migrations (file_name, checksum, applied_at) "
      "VALUES ('9999_from_the_future.sql', REPEAT('0', 64), NOW(6))");
  const CommandResult refused = RunLoyalty(env, {"migrate"});
  EXPECT_NE(refused.exit_code, 0) << refused.output;
  EXPECT_NE(refused.output.find("9999_from_the_future.sql"), std::string::npos) << refused.output;
}

TEST_F(OperationsE2e, CommandLineHelpAndErrors) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"-h"}, {"serve", "--help"}, {"migrate", "--help"}, {"admin", "--help"}}) {
    const CommandResult r = RunLoyalty({}, args);  // help needs no configuration
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.output;
    EXPECT_NE(r.output.find("usage"), std::string::npos) << r.output;
  }
  const CommandResult none = RunLoyalty(Env(), {});
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_NE(none.output.find("usage"), std::string::npos) << none.output;

  const CommandResult unknown = RunLoyalty(Env(), {"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("frobnicate"), std::string::npos) << unknown.output;
  const CommandResult unknown_admin = RunLoyalty(Env(), {"admin", "frobnicate"});
  EXPECT_EQ(unknown_admin.exit_code, 2) << unknown_admin.output;
  const CommandResult serve_extra = RunLoyalty(Env(), {"serve", "--port", "1"});
  EXPECT_EQ(serve_extra.exit_code, 2) << serve_extra.output;

  struct Bad {
    std::string variable, value;  // empty value: unset
  };
  for (const Bad& bad :
       {Bad{"LOYALTY_MASTER_KEY", ""}, Bad{"LOYALTY_MASTER_KEY", "abcd"},
        Bad{"LOYALTY_MYSQL_URL", ""}, Bad{"LOYALTY_MYSQL_URL", "postgres://x"},
        Bad{"LOYALTY_REDIS_URL", "http://127.0.0.1"}, Bad{"LOYALTY_DB_POOL_SIZE", "lots"},
        Bad{"LOYALTY_HTTP_PORT", "70000"}, Bad{"LOYALTY_LOG_LEVEL", "verbose"}}) {
    Environment env = Env();
    if (bad.value.empty()) {
      env.erase(bad.variable);
    } else {
      env[bad.variable] = bad.value;
    }
    // `migrate` exits either way; `serve` only where a mistake cannot leave it running.
    std::vector<std::string> commands = {"migrate"};
    if (bad.value.empty()) commands.push_back("serve");
    for (const std::string& command : commands) {
      const CommandResult r = RunLoyalty(env, {command});
      EXPECT_EQ(r.exit_code, 2) << command << " with " << bad.variable << "='" << bad.value
                                << "': " << r.output;
      EXPECT_NE(r.output.find(bad.variable), std::string::npos)
          << command << " with " << bad.variable << "='" << bad.value << "': " << r.output;
    }
  }
}

}  // namespace
}  // namespace loyalty::testing::e2e
