// Outages end to end, on a private MariaDB and Redis this suite stops and starts: the database
// going away answers 503 quickly and recovers without a restart; Redis going away changes nothing
// a client can see. Plus concurrent enrolment of one phone number.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <latch>
#include <set>
#include <sstream>
#include <thread>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

// Runs a shell command; returns its exit status and puts its output in `output`. Output goes to
// a file, not a pipe: the daemons the scripts start must not hold our pipe open.
int Shell(const std::string& command, std::string* output = nullptr) {
  const std::string out_file =
      std::filesystem::temp_directory_path() / ("loyalty-outage-cmd-" + RandomHex(12) + ".log");
  const int status = std::system((command + " >" + out_file + " 2>&1").c_str());
  std::ifstream in(out_file);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(out_file);
  if (output) *output = text.str();
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// The private services: scripts/services in a temporary directory.
class PrivateServices {
 public:
  PrivateServices() {
    char tmpl[] = "/tmp/loyalty-outage-XXXXXX";
    dir_ = mkdtemp(tmpl);
    mysql_port_ = FreePort();
    redis_port_ = FreePort();
  }
  ~PrivateServices() {
    // Resume a paused Redis before stopping it, and stop both even after a failed test.
    if (redis_paused_) ResumeRedis();
    Shell(Script() + " redis stop " + dir_ + "/redis");
    Shell(Script() + " mariadb stop " + dir_ + "/mariadb");
    std::filesystem::remove_all(dir_);
  }

  static std::string Script() { return std::string(LOYALTY_SOURCE_DIR) + "/scripts/services"; }
  int mysql_port() const { return mysql_port_; }
  int redis_port() const { return redis_port_; }

  ::testing::AssertionResult StartMariaDb() { return Run("mariadb start", mysql_port_); }
  ::testing::AssertionResult StopMariaDb() { return Run("mariadb stop", 0); }
  ::testing::AssertionResult StartRedis() { return Run("redis start", redis_port_); }
  ::testing::AssertionResult StopRedis() { return Run("redis stop", 0); }

  // SIGSTOP/SIGCONT: Redis hangs (as on a network partition) but keeps its data.
  ::testing::AssertionResult PauseRedis() { return Signal(SIGSTOP, true); }
  ::testing::AssertionResult ResumeRedis() { return Signal(SIGCONT, false); }

  ::testing::AssertionResult Sql(const std::string& statement) {
    std::string out;
    const int code = Shell("mariadb --no-defaults -h127.0.0.1 -P" + std::to_string(mysql_port_) +
                               " -uroot -ployalty -e \"" + statement + "\"",
                           &out);
    if (code == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << statement << ": " << out;
  }

 private:
  ::testing::AssertionResult Run(const std::string& what, int port) {
    const std::string service = what.substr(0, what.find(' '));
    std::string command = Script() + " " + what + " " + dir_ + "/" + service;
    if (port) command += " " + std::to_string(port);
    std::string out;
    const int code = Shell(command, &out);
    if (code == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << command << " exited " << code << ": " << out;
  }

  ::testing::AssertionResult Signal(int signal, bool paused) {
    std::ifstream in(dir_ + "/redis/redis.pid");
    pid_t pid = 0;
    if (!(in >> pid) || pid <= 0 || kill(pid, signal) != 0) {
      return ::testing::AssertionFailure() << "cannot signal redis (pid " << pid << ")";
    }
    redis_paused_ = paused;
    return ::testing::AssertionSuccess();
  }

  std::string dir_;
  int mysql_port_ = 0, redis_port_ = 0;
  bool redis_paused_ = false;
};

class OutageE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    services_ = std::make_unique<PrivateServices>();
    ASSERT_TRUE(services_->StartMariaDb());
    ASSERT_TRUE(services_->StartRedis());
    ASSERT_TRUE(services_->Sql("CREATE DATABASE loyalty_outage CHARACTER SET utf8mb4"));
    suite_ = std::make_unique<SuiteServer>();
    suite_->env = StandardEnvironment(
        "mysql://root:loyalty@127.0.0.1:" + std::to_string(services_->mysql_port()) +
            "/loyalty_outage",
        "redis://127.0.0.1:" + std::to_string(services_->redis_port()));
    const CommandResult migrated = RunLoyalty(suite_->env, {"migrate"});
    ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
    CreateStandardStaff(suite_->env);
    suite_->server = std::make_unique<ServerProcess>(suite_->env);
    suite_->http = std::make_unique<HttpClient>(suite_->server->port());
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
    services_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    // Each test starts with both services up and a logged-in cashier.
    ASSERT_FALSE(Token("cashier1").empty());
  }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }

  static std::string NewPhone() {
    static std::atomic<int> next{0};
    return "1393000" + std::to_string(1000 + next++);
  }

  nlohmann::json Enrol(const std::string& name) {
    const HttpResult r =
        http().Post("/v1/members", {{"phone", NewPhone()}, {"name", name}}, Token("cashier1"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json();
  }

  // Polls `path` (as the cashier) until it answers 200 or `seconds` pass; every status seen.
  std::vector<long> PollUntilOk(const std::string& path, double seconds) {
    std::vector<long> seen;
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<int>(seconds * 1000));
    while (std::chrono::steady_clock::now() < deadline) {
      const HttpResult r = http().Get(path, Token("cashier1"));
      seen.push_back(r.status);
      if (r.status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return seen;
  }

  static inline std::unique_ptr<PrivateServices> services_;
  static inline std::unique_ptr<SuiteServer> suite_;
};

TEST_F(OutageE2e, SixteenConcurrentEnrolmentsOfOnePhoneMakeOneMember) {
  for (int round = 0; round < 3; ++round) {
    const std::string phone = NewPhone();
    constexpr int kThreads = 16;
    std::vector<HttpResult> results(kThreads);
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    const std::string token = Token("cashier1");
    const int port = suite_->server->port();
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        const HttpClient client(port);
        const nlohmann::json body = {{"phone", phone}, {"name", "并发" + std::to_string(i)}};
        start.arrive_and_wait();
        results[i] = client.Post("/v1/members", body, token);
      });
    }
    for (auto& t : threads) t.join();

    std::string winner;
    int created = 0, duplicates = 0;
    std::set<std::string> named;
    for (const auto& r : results) {
      if (r.status == 201) {
        ++created;
        winner = r.Json()["member_id"];
      } else if (IsProblem(r, 409, "duplicate_phone", "phone")) {
        ++duplicates;
        named.insert(r.Json().value("existing_member_id", std::string("(none)")));
      } else {
        ADD_FAILURE() << "round " << round << ": unexpected " << r.status << " " << r.body;
      }
    }
    EXPECT_EQ(created, 1) << "round " << round;
    EXPECT_EQ(duplicates, kThreads - 1) << "round " << round;
    EXPECT_EQ(named, std::set<std::string>{winner}) << "round " << round;
    const auto found = Items(http().Get("/v1/members?phone=" + phone, Token("cashier1")));
    ASSERT_EQ(found.size(), 1u) << "round " << round;
    EXPECT_EQ(found[0]["member_id"], winner);
  }
}

TEST_F(OutageE2e, DatabaseDownAnswers503FastAndRecoversWithoutRestart) {
  const auto member = Enrol("停库");
  const std::string path = "/v1/members/" + member["member_id"].get<std::string>();
  ASSERT_EQ(http().Get(path, Token("cashier1")).status, 200);

  ASSERT_TRUE(services_->StopMariaDb());
  for (int i = 0; i < 3; ++i) {
    const HttpResult r = http().Get(path, Token("cashier1"));
    EXPECT_TRUE(IsProblem(r, 503, "database_unavailable")) << "attempt " << i + 1;
    EXPECT_LT(r.seconds, 2.5) << "attempt " << i + 1;
    EXPECT_FALSE(r.Header("retry-after").empty());
  }
  const HttpResult lookup = http().Get("/v1/members?phone=13930001000", Token("cashier1"));
  EXPECT_TRUE(IsProblem(lookup, 503, "database_unavailable"));
  EXPECT_LT(lookup.seconds, 2.5);
  const HttpResult enrol =
      http().Post("/v1/members", {{"phone", NewPhone()}, {"name", "停库"}}, Token("cashier1"));
  EXPECT_TRUE(IsProblem(enrol, 503, "database_unavailable"));
  EXPECT_LT(enrol.seconds, 2.5);
  const HttpResult login =
      RequestFrom(suite_->server->port(), RandomLoopbackAddress(), "POST", "/v1/auth/login",
                  nlohmann::json{{"username", "manager1"}, {"password", kTestPassword}}.dump());
  EXPECT_TRUE(IsProblem(login, 503, "database_unavailable"));
  EXPECT_LT(login.seconds, 2.5);

  const HttpResult ready = http().Get("/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(ready.Json()["status"], "unavailable");
  EXPECT_EQ(ready.Json()["database"], "down");
  EXPECT_FALSE(ready.Header("retry-after").empty());
  EXPECT_LT(ready.seconds, 2.5);
  EXPECT_EQ(http().Get("/healthz").status, 200);  // alive, so nobody restarts it

  ASSERT_TRUE(services_->StartMariaDb());
  const std::vector<long> seen = PollUntilOk(path, 15);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), 200);
  for (long status : seen) EXPECT_TRUE(status == 200 || status == 503) << status;

  // Fully back: every request succeeds, writes too.
  for (int i = 0; i < 20; ++i) {
    const HttpResult r = http().Get(path, Token("cashier1"));
    EXPECT_EQ(r.status, 200) << "request " << i << " after recovery: " << r.body;
  }
  EXPECT_EQ(http().Get("/readyz").Json()["status"], "ready");
  Enrol("恢复后");
  const HttpResult relogin =
      http().Post("/v1/auth/login", {{"username", "manager1"}, {"password", kTestPassword}});
  EXPECT_EQ(relogin.status, 200) << relogin.body;
}

// MariaDB restarts while the server is idle: its pooled connections are all dead. The first
// request may find that out (one 503), the pool then drops the rest; nothing answers 500.
TEST_F(OutageE2e, QuietDatabaseRestartCostsAtMostOneRequest) {
  const auto member = Enrol("静默重启");
  const std::string path = "/v1/members/" + member["member_id"].get<std::string>();
  {  // Fill the pool with idle connections.
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back(
          [&] { HttpClient(suite_->server->port()).Get(path, Token("cashier1")); });
    }
    for (auto& t : threads) t.join();
  }
  ASSERT_TRUE(services_->StopMariaDb());
  ASSERT_TRUE(services_->StartMariaDb());
  std::vector<long> seen;
  for (int i = 0; i < 12; ++i) seen.push_back(http().Get(path, Token("cashier1")).status);
  int unavailable = 0;
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_TRUE(seen[i] == 200 || seen[i] == 503) << "request " << i << ": " << seen[i];
    unavailable += seen[i] == 503;
  }
  EXPECT_LE(unavailable, 1);
  EXPECT_EQ(seen.back(), 200);
  const HttpResult write = http().Patch(path, {{"consents", {{"sms", true}}}}, Token("cashier1"));
  EXPECT_EQ(write.status, 200) << write.body;
}

TEST_F(OutageE2e, RedisDownChangesNothingAClientSees) {
  const auto member = Enrol("停缓存");
  const std::string id = member["member_id"];
  const std::string path = "/v1/members/" + id;
  ASSERT_EQ(http().Get(path, Token("cashier1")).status, 200);  // cached

  ASSERT_TRUE(services_->StopRedis());
  const std::string cashier = Token("cashier1");
  const HttpResult got = http().Get(path, cashier);
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json()["name"], "停缓存");
  EXPECT_LT(got.seconds, 2);
  const HttpResult found =
      http().Get("/v1/members?phone=" + UrlEncode(member["phone"].get<std::string>()), cashier);
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(Items(found).size(), 1u);
  EXPECT_EQ(Items(found)[0]["member_id"], id);
  const HttpResult enrol =
      http().Post("/v1/members", {{"phone", NewPhone()}, {"name", "无缓存"}}, cashier);
  EXPECT_EQ(enrol.status, 201) << enrol.body;
  const HttpResult patched = http().Patch(path, {{"name", "停缓存改"}}, cashier);
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(http().Get(path, cashier).Json()["name"], "停缓存改");
  const HttpResult login =
      http().Post("/v1/auth/login", {{"username", "manager1"}, {"password", kTestPassword}});
  EXPECT_EQ(login.status, 200) << login.body;

  // Failed logins are still throttled, per server, without Redis.
  const std::string address = RandomLoopbackAddress();
  for (int i = 0; i < 5; ++i) {
    const HttpResult r =
        RequestFrom(suite_->server->port(), address, "POST", "/v1/auth/login",
                    nlohmann::json{{"username", "auditor"}, {"password", "wrong-password"}}.dump());
    EXPECT_TRUE(IsProblem(r, 401, "bad_credentials")) << "attempt " << i + 1;
  }
  const HttpResult throttled =
      RequestFrom(suite_->server->port(), RandomLoopbackAddress(), "POST", "/v1/auth/login",
                  nlohmann::json{{"username", "auditor"}, {"password", kTestPassword}}.dump());
  EXPECT_TRUE(IsProblem(throttled, 429, "too_many_attempts"));

  const HttpResult ready = http().Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.Json(),
            (nlohmann::json{{"status", "degraded"}, {"database", "up"}, {"redis", "down"}}));

  ASSERT_TRUE(services_->StartRedis());
  std::string status;
  for (int i = 0; i < 150 && status != "ready"; ++i) {
    const HttpResult r = http().Get("/readyz");
    status = r.Json().value("status", "");
    if (status != "ready") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, "ready");
  EXPECT_EQ(http().Get(path, cashier).Json()["name"], "停缓存改");
}

// Redis that hangs and comes back keeps what it cached before: members written meanwhile must
// not be answered from those old entries.
TEST_F(OutageE2e, RedisThatHangsAndComesBackServesNoStaleMembers) {
  const std::string cashier = Token("cashier1");
  const std::string admin = Token("admin");
  const auto edited = Enrol("旧名字");
  const auto erased = Enrol("将被删除");
  const std::string edited_path = "/v1/members/" + edited["member_id"].get<std::string>();
  const std::string erased_path = "/v1/members/" + erased["member_id"].get<std::string>();
  ASSERT_EQ(http().Get(edited_path, cashier).status, 200);  // both cached
  ASSERT_EQ(http().Get(erased_path, cashier).status, 200);

  ASSERT_TRUE(services_->PauseRedis());
  const HttpResult patched = http().Patch(edited_path, {{"name", "新名字"}}, cashier);
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_LT(patched.seconds, 2);
  const HttpResult deleted = http().Delete(erased_path, admin);
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(http().Get(edited_path, cashier).Json()["name"], "新名字");
  EXPECT_EQ(http().Get("/readyz").Json()["redis"], "down");

  ASSERT_TRUE(services_->ResumeRedis());
  std::string status;
  for (int i = 0; i < 150 && status != "ready"; ++i) {
    status = http().Get("/readyz").Json().value("status", "");
    if (status != "ready") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(status, "ready");

  const HttpResult after_edit = http().Get(edited_path, cashier);
  EXPECT_EQ(after_edit.Json()["name"], "新名字") << "stale read after Redis came back";
  const HttpResult edit_again = http().Patch(edited_path, {{"name", "再改名"}}, cashier);
  EXPECT_EQ(edit_again.status, 200) << edit_again.body;
  const HttpResult after_erase = http().Get(erased_path, cashier);
  EXPECT_EQ(after_erase.Json()["status"], "erased") << after_erase.body;
  EXPECT_EQ(after_erase.body.find("将被删除"), std::string::npos)
      << "erased member's personal data served from the cache: " << after_erase.body;
}

// Runs last: whatever the outages made the server log is still JSON lines without phone numbers.
TEST_F(OutageE2e, LogStaysJsonLinesWithoutPersonalDataThroughOutages) {
  const std::string log = suite_->server->Log();
  std::istringstream in(log);
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++lines;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_TRUE(j.is_object() && j.contains("level")) << "not a JSON log line: " << line;
  }
  EXPECT_GT(lines, 10);
  EXPECT_EQ(log.find("1393000"), std::string::npos) << "a member's phone number is in the log";
  for (const char* name : {"停库", "停缓存", "旧名字", "新名字", "将被删除", "并发"}) {
    EXPECT_EQ(log.find(name), std::string::npos) << "a member's name is in the log: " << name;
  }
}

}  // namespace
}  // namespace loyalty::testing::e2e
