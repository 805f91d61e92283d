// Roles end to end: who may create staff, enrol, read, export, erase and read the audit log, and
// what each role sees (masked PII, store-scoped audit entries).
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

class AuthorizationE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { suite_ = SuiteServer::Start(); }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override { ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed"; }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }

  // A new, valid Chinese mobile number (unique within this suite).
  static std::string NewPhone() {
    static std::atomic<int> next{0};
    return "1391000" + std::to_string(1000 + next++);
  }

  // Enrols a member as `user`; returns the member's JSON.
  nlohmann::json Enrol(const std::string& user, nlohmann::json body) {
    const HttpResult r = http().Post("/v1/members", body, Token(user));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json();
  }

  // Every audit entry `user` may see (all pages of at most 500).
  std::vector<nlohmann::json> AuditLog(const std::string& user, const std::string& query = "") {
    std::vector<nlohmann::json> out;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
      std::string path = "/v1/audit-log?limit=500" + query;
      if (!cursor.empty()) path += "&cursor=" + UrlEncode(cursor);
      const HttpResult r = http().Get(path, Token(user));
      EXPECT_EQ(r.status, 200) << r.body;
      for (const auto& item : Items(r)) out.push_back(item);
      const auto next = r.Json()["next_cursor"];
      if (!next.is_string()) break;
      cursor = next;
    }
    return out;
  }

  static inline std::unique_ptr<SuiteServer> suite_;
};

const nlohmann::json kNewCashier = {{"username", "cashier-s3"},
                                    {"password", "a long enough passphrase"},
                                    {"role", "cashier"},
                                    {"store_ids", {"S3"}}};

TEST_F(AuthorizationE2e, OnlyAdminCreatesStaff) {
  for (const char* user : {"cashier1", "manager1", "marketer", "auditor"}) {
    const HttpResult r = http().Post("/v1/staff", kNewCashier, Token(user));
    EXPECT_TRUE(IsProblem(r, 403, "forbidden")) << user;
  }
  // None of the refused attempts created the account.
  const HttpResult created = http().Post("/v1/staff", kNewCashier, Token("admin"));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto j = created.Json();
  EXPECT_EQ(j["username"], "cashier-s3");
  EXPECT_EQ(j["role"], "cashier");
  EXPECT_EQ(j["store_ids"], nlohmann::json::array({"S3"}));
  EXPECT_TRUE(j["staff_id"].is_string());
  EXPECT_FALSE(j.contains("password"));
  EXPECT_FALSE(j.contains("password_phc"));
  EXPECT_EQ(created.body.find("a long enough passphrase"), std::string::npos);

  // The new account logs in with its role and store.
  const HttpResult login = http().Post(
      "/v1/auth/login", {{"username", "cashier-s3"}, {"password", "a long enough passphrase"}});
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.Json()["role"], "cashier");
  EXPECT_EQ(login.Json()["store_ids"], nlohmann::json::array({"S3"}));
  EXPECT_EQ(login.Json()["staff_id"], j["staff_id"]);

  // The same username again is a conflict, whatever the other fields.
  nlohmann::json again = kNewCashier;
  again["role"] = "auditor";
  again.erase("store_ids");
  EXPECT_TRUE(IsProblem(http().Post("/v1/staff", again, Token("admin")), 409, "duplicate_username",
                        "username"));
  EXPECT_TRUE(IsProblem(http().Post("/v1/staff", kNewCashier, Token("admin")), 409,
                        "duplicate_username", "username"));
}

TEST_F(AuthorizationE2e, StaffCreationValidatesEveryField) {
  auto post = [&](nlohmann::json body) {
    const HttpResult r = http().Post("/v1/staff", body, Token("admin"));
    EXPECT_LT(r.status, 500) << body.dump();
    return r;
  };
  nlohmann::json base = {{"username", "new-staff"},
                         {"password", "a long enough passphrase"},
                         {"role", "cashier"},
                         {"store_ids", {"S1"}}};
  auto with = [&](const char* key, nlohmann::json value) {
    nlohmann::json b = base;
    if (value.is_discarded()) {
      b.erase(key);
    } else {
      b[key] = value;
    }
    return b;
  };
  const nlohmann::json kRemove = nlohmann::json(nlohmann::json::value_t::discarded);
  EXPECT_TRUE(IsProblem(post(with("store_ids", kRemove)), 400, "store_required", "store_ids"));
  EXPECT_TRUE(IsProblem(post(with("store_ids", nlohmann::json::array())), 400, "store_required",
                        "store_ids"));
  EXPECT_TRUE(IsProblem(post(with("role", "superuser")), 400, "invalid_role", "role"));
  EXPECT_TRUE(IsProblem(post(with("role", "Admin")), 400, "invalid_role", "role"));
  EXPECT_TRUE(IsProblem(post(with("role", kRemove)), 400, "missing_field", "role"));
  EXPECT_TRUE(IsProblem(post(with("role", 1)), 400, "invalid_type", "role"));
  EXPECT_TRUE(IsProblem(post(with("password", "short")), 400, "weak_password", "password"));
  EXPECT_TRUE(IsProblem(post(with("password", kRemove)), 400, "missing_field", "password"));
  EXPECT_TRUE(IsProblem(post(with("username", "Has Spaces")), 400, "invalid_username", "username"));
  EXPECT_TRUE(IsProblem(post(with("username", "ab")), 400, "invalid_username", "username"));
  EXPECT_TRUE(IsProblem(post(with("store_ids", "S1")), 400, "invalid_type", "store_ids"));
  EXPECT_TRUE(IsProblem(post(with("store_ids", nlohmann::json::array({1}))), 400, "invalid_type",
                        "store_ids"));
  nlohmann::json chain_wide = with("role", "auditor");
  EXPECT_TRUE(IsProblem(post(chain_wide), 400, "store_not_allowed", "store_ids"));
  EXPECT_TRUE(IsProblem(post(with("is_admin", true)), 400, "unknown_field", "is_admin"));
  // None of these created "new-staff". (A failed login: sent from an address of its own, as the
  // per-address throttle lives 15 minutes in the Redis all test binaries share.)
  const HttpResult login = RequestFrom(
      suite_->server->port(), RandomLoopbackAddress(), "POST", "/v1/auth/login",
      nlohmann::json{{"username", "new-staff"}, {"password", "a long enough passphrase"}}.dump());
  EXPECT_TRUE(IsProblem(login, 401, "bad_credentials"));
}

TEST_F(AuthorizationE2e, AuditorAndMarketerReadButCannotWrite) {
  const auto member = Enrol("cashier1", {{"phone", NewPhone()}, {"name", "韩梅梅"}});
  const std::string id = member["member_id"];
  const std::string path = "/v1/members/" + id;
  for (const char* user : {"auditor", "marketer"}) {
    EXPECT_TRUE(IsProblem(
        http().Post("/v1/members", {{"phone", NewPhone()}, {"name", "李雷"}}, Token(user)), 403,
        "forbidden"))
        << user;
    EXPECT_TRUE(IsProblem(http().Patch(path, {{"name", "改名"}}, Token(user)), 403, "forbidden"))
        << user;
    const HttpResult got = http().Get(path, Token(user));
    EXPECT_EQ(got.status, 200) << user << " " << got.body;
    EXPECT_EQ(got.Json()["member_id"], id);
    EXPECT_EQ(got.Json()["name"], "韩梅梅");
    const HttpResult found =
        http().Get("/v1/members?card_no=" + member["card_no"].get<std::string>(), Token(user));
    ASSERT_EQ(Items(found).size(), 1u) << user << " " << found.body;
    EXPECT_EQ(Items(found)[0]["member_id"], id);
  }
  // The refused PATCHes changed nothing.
  EXPECT_EQ(http().Get(path, Token("cashier1")).Json()["name"], "韩梅梅");
}

TEST_F(AuthorizationE2e, MarketerSeesMaskedPhoneAndEmailCashierSeesThemInFull) {
  const auto member = Enrol(
      "cashier1", {{"phone", "13800138000"}, {"email", "zhang.wei@example.com"}, {"name", "张伟"}});
  const std::string path = "/v1/members/" + member["member_id"].get<std::string>();
  // The enrolling cashier saw the full values.
  EXPECT_EQ(member["phone"], "+8613800138000");
  EXPECT_EQ(member["email"], "zhang.wei@example.com");

  for (const char* user : {"marketer", "auditor"}) {
    const HttpResult got = http().Get(path, Token(user));
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.Json()["phone"], "138****8000") << user;
    EXPECT_EQ(got.Json()["email"], "z***@example.com") << user;
    EXPECT_EQ(got.body.find("13800138000"), std::string::npos) << user;
    EXPECT_EQ(got.body.find("zhang.wei"), std::string::npos) << user;
    const HttpResult found = http().Get("/v1/members?phone=13800138000", Token(user));
    ASSERT_EQ(Items(found).size(), 1u) << found.body;
    EXPECT_EQ(Items(found)[0]["phone"], "138****8000") << user;
    EXPECT_EQ(found.body.find("13800138000"), std::string::npos) << user;
  }
  for (const char* user : {"cashier1", "manager1", "admin"}) {
    const HttpResult got = http().Get(path, Token(user));
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.Json()["phone"], "+8613800138000") << user;
    EXPECT_EQ(got.Json()["email"], "zhang.wei@example.com") << user;
  }
}

TEST_F(AuthorizationE2e, OnlyAdminExportsAndErases) {
  const auto member = Enrol("cashier1", {{"phone", NewPhone()}, {"name", "王芳"}});
  const std::string path = "/v1/members/" + member["member_id"].get<std::string>();
  for (const char* user : {"cashier1", "manager1", "marketer", "auditor"}) {
    EXPECT_TRUE(IsProblem(http().Get(path + "/export", Token(user)), 403, "forbidden")) << user;
    EXPECT_TRUE(IsProblem(http().Delete(path, Token(user)), 403, "forbidden")) << user;
  }
  const HttpResult still = http().Get(path, Token("cashier1"));
  ASSERT_EQ(still.status, 200) << still.body;
  EXPECT_EQ(still.Json()["status"], "active");
  EXPECT_EQ(still.Json()["name"], "王芳");
  EXPECT_EQ(http().Get(path + "/export", Token("admin")).status, 200);
}

TEST_F(AuthorizationE2e, StoreManagerSeesOnlyItsStoresActions) {
  // Staff of store S2: manager2 and a cashier the admin creates.
  const HttpResult created = http().Post("/v1/staff",
                                         {{"username", "cashier-s2"},
                                          {"password", "another long passphrase"},
                                          {"role", "cashier"},
                                          {"store_ids", {"S2"}}},
                                         Token("admin"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string s2_cashier = http().Login("cashier-s2", "another long passphrase");
  ASSERT_FALSE(s2_cashier.empty());

  const HttpResult by_manager2 = http().Post(
      "/v1/members", {{"phone", NewPhone()}, {"name", "S2经理登记"}, {"home_store_id", "S2"}},
      Token("manager2"));
  ASSERT_EQ(by_manager2.status, 201) << by_manager2.body;
  const HttpResult by_cashier2 = http().Post(
      "/v1/members", {{"phone", NewPhone()}, {"name", "S2收银登记"}, {"home_store_id", "S2"}},
      s2_cashier);
  ASSERT_EQ(by_cashier2.status, 201) << by_cashier2.body;
  const auto by_cashier1 =
      Enrol("cashier1", {{"phone", NewPhone()}, {"name", "S1收银登记"}, {"home_store_id", "S1"}});
  const std::set<std::string> s2_members = {by_manager2.Json()["member_id"],
                                            by_cashier2.Json()["member_id"]};

  // manager1 (S1) sees S1's actions and nothing of S2.
  const auto mine = AuditLog("manager1");
  ASSERT_FALSE(mine.empty());
  bool saw_cashier1_enrol = false;
  for (const auto& e : mine) {
    EXPECT_EQ(e["store_id"], "S1") << e.dump();
    EXPECT_EQ(s2_members.count(e["target_id"].get<std::string>()), 0u) << e.dump();
    saw_cashier1_enrol = saw_cashier1_enrol || (e["action"] == "member.enrol" &&
                                                e["target_id"] == by_cashier1["member_id"]);
  }
  EXPECT_TRUE(saw_cashier1_enrol);
  for (const auto& id : s2_members) {
    const HttpResult r = http().Get("/v1/audit-log?limit=50&target_id=" + id, Token("manager1"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(Items(r).empty()) << r.body;
  }

  // manager2 sees the S2 actions and nothing of S1.
  std::set<std::string> seen_by_manager2;
  for (const auto& e : AuditLog("manager2")) {
    EXPECT_EQ(e["store_id"], "S2") << e.dump();
    if (e["action"] == "member.enrol") seen_by_manager2.insert(e["target_id"].get<std::string>());
  }
  EXPECT_EQ(seen_by_manager2, s2_members);

  // The admin and the auditor see both stores, including the S2 enrolments.
  for (const char* user : {"admin", "auditor"}) {
    std::set<std::string> s2_enrols;
    bool saw_s1 = false;
    for (const auto& e : AuditLog(user)) {
      if (e["action"] == "member.enrol" && e["store_id"] == "S2") {
        s2_enrols.insert(e["target_id"].get<std::string>());
      }
      saw_s1 = saw_s1 || e["store_id"] == "S1";
    }
    EXPECT_EQ(s2_enrols, s2_members) << user;
    EXPECT_TRUE(saw_s1) << user;
  }
}

TEST_F(AuthorizationE2e, CashierAndMarketerCannotReadTheAuditLog) {
  for (const char* user : {"cashier1", "marketer"}) {
    EXPECT_TRUE(IsProblem(http().Get("/v1/audit-log", Token(user)), 403, "forbidden")) << user;
  }
  EXPECT_EQ(http().Get("/v1/audit-log", Token("auditor")).status, 200);
}

TEST_F(AuthorizationE2e, AuditLogPagesWalkEveryEntryOnce) {
  // Enough entries for several pages.
  for (int i = 0; i < 3; ++i) Enrol("cashier1", {{"phone", NewPhone()}, {"name", "分页"}});
  const HttpResult all = http().Get("/v1/audit-log?limit=500", Token("admin"));
  ASSERT_EQ(all.status, 200) << all.body;
  std::vector<std::string> expected;
  for (const auto& e : Items(all)) expected.push_back(e["audit_id"]);
  ASSERT_GE(expected.size(), 5u);
  ASSERT_LT(expected.size(), 500u);
  EXPECT_TRUE(all.Json()["next_cursor"].is_null()) << all.body.substr(0, 200);

  std::vector<std::string> walked;
  std::string cursor;
  int pages = 0;
  for (; pages < 1000; ++pages) {
    std::string path = "/v1/audit-log?limit=2";
    if (!cursor.empty()) path += "&cursor=" + UrlEncode(cursor);
    const HttpResult r = http().Get(path, Token("admin"));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto items = Items(r);
    EXPECT_LE(items.size(), 2u);
    for (const auto& e : items) walked.push_back(e["audit_id"]);
    const auto next = r.Json()["next_cursor"];
    if (next.is_null()) break;
    ASSERT_TRUE(next.is_string()) << r.body;
    ASSERT_FALSE(items.empty()) << "a page with a next_cursor has entries";
    cursor = next;
  }
  EXPECT_EQ(walked, expected);  // every entry once, newest first, in the same order
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), walked.size());
  EXPECT_LE(pages, static_cast<int>(expected.size() / 2) + 1);

  // Entries are complete.
  for (const auto& e : Items(all)) {
    for (const char* key : {"audit_id", "at", "actor_staff_id", "actor_role", "action",
                            "target_type", "target_id", "request_id"}) {
      EXPECT_TRUE(e.contains(key) && e[key].is_string()) << key << " in " << e.dump();
    }
  }

  for (const char* bad : {"0", "501", "-1", "abc", "2.5", ""}) {
    const HttpResult r = http().Get(std::string("/v1/audit-log?limit=") + bad, Token("admin"));
    EXPECT_TRUE(IsProblem(r, 400, "invalid_limit", "limit")) << "limit=" << bad;
  }
}

}  // namespace
}  // namespace loyalty::testing::e2e
