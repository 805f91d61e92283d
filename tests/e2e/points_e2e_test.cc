// Points and tiers end to end over HTTP: the program (versioned, validated), awards at enrolment,
// adjustments with a second person's approval, redemptions, transfers, balances and ledger,
// liability, tiers; every bad input a 4xx naming the field; `loyalty audit` clean at the end.
#include <gtest/gtest.h>

#include <atomic>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

using nlohmann::json;

class PointsE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = SuiteServer::Start();
    // A program with awards and no return window, so points are usable at once.
    json program = suite_->http->Get("/v1/program", suite_->Token("admin")).Json();
    program["pending_days"] = 0;
    program["awards"]["enrolment"] = 100;
    program["awards"]["profile_completion"] = 20;
    program["adjustments"]["approval_threshold"] = 1000;
    const HttpResult saved = suite_->http->Request(
        "PUT", "/v1/program", program.dump(), Bearer(suite_->Token("admin")));
    if (saved.status == 200) program_ = saved.Json();
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    ASSERT_TRUE(program_.is_object()) << "saving the program failed";
  }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }
  HttpResult Put(const std::string& path, const json& body, const std::string& user) {
    return http().Request("PUT", path, body.dump(), Bearer(Token(user)));
  }
  static std::string NewPhone() {
    static std::atomic<int> next{0};
    return "1371000" + std::to_string(1000 + next++);
  }
  std::string Enrol(json body = {}) {
    body["phone"] = NewPhone();
    if (!body.contains("name")) body["name"] = "王芳";
    const HttpResult r = http().Post("/v1/members", body, Token("cashier1"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("member_id", "");
  }
  json Points(const std::string& id) {
    return http().Get("/v1/members/" + id + "/points", Token("cashier1")).Json();
  }
  HttpResult Adjust(const std::string& id, const json& points, const std::string& user = "manager1") {
    return http().Post("/v1/members/" + id + "/points/adjustments",
                       {{"points", points}, {"reason", "goodwill"}}, Token(user));
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline json program_;
};

TEST_F(PointsE2e, ProgramIsVersionedAndEveryContradictionNamesItsField) {
  EXPECT_EQ(program_["version"], 1);
  EXPECT_EQ(http().Get("/v1/program", Token("cashier1")).Json()["version"], 1);
  // Saving from an old version loses nobody's change.
  json stale = program_;
  stale["version"] = 0;
  EXPECT_TRUE(IsProblem(Put("/v1/program", stale, "admin"), 409, "program_changed"));
  json bad = program_;
  bad["redemption"]["max_points"] = 10;  // below min_points 100
  EXPECT_TRUE(IsProblem(Put("/v1/program", bad, "admin"), 400, "invalid_program",
                        "redemption.max_points"));
  bad = program_;
  bad["earn"]["per_minor"] = 1.5;
  EXPECT_TRUE(IsProblem(Put("/v1/program", bad, "admin"), 400, "invalid_program", "earn.per_minor"));
  bad = program_;
  bad["earn"]["rounding"] = "sometimes";
  EXPECT_TRUE(IsProblem(Put("/v1/program", bad, "admin"), 400, "invalid_program", "earn.rounding"));
  bad = program_;
  bad["expiry"]["kindd"] = "none";
  EXPECT_TRUE(IsProblem(Put("/v1/program", bad, "admin"), 400, "invalid_program", "expiry.kindd"));
  bad = program_;
  bad.erase("version");
  EXPECT_TRUE(IsProblem(Put("/v1/program", bad, "admin"), 400, "missing_field", "version"));
  EXPECT_TRUE(IsProblem(Put("/v1/program", program_, "marketer"), 403, "forbidden"));
  EXPECT_EQ(http().Get("/v1/program", Token("admin")).Json()["version"], 1) << "nothing was saved";
}

TEST_F(PointsE2e, EnrolmentAndProfileCompletionAreAwardedOnce) {
  const std::string bare = Enrol();
  EXPECT_EQ(Points(bare)["available"], 100);
  const std::string full = Enrol({{"email", "wang.fang." + NewPhone() + "@example.com"},
                                  {"birthday", "1990-05-17"}});
  EXPECT_EQ(Points(full)["available"], 120);
  // Completing the profile later earns the award once, however often it is edited.
  for (int i = 0; i < 2; ++i) {
    const HttpResult r = http().Patch(
        "/v1/members/" + bare,
        {{"email", "bare" + std::to_string(i) + "." + NewPhone() + "@example.com"},
         {"birthday", "1991-01-01"}},
        Token("cashier1"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json()["points"]["available"], 120);
  }
  const json ledger = http().Get("/v1/members/" + bare + "/ledger", Token("cashier1")).Json();
  ASSERT_EQ(ledger["items"].size(), 2u);
  EXPECT_EQ(ledger["items"][0]["reason"], "award: profile_completion");
  EXPECT_EQ(ledger["items"][1]["reason"], "award: enrolment");
}

TEST_F(PointsE2e, LargeAdjustmentsWaitForASecondPerson) {
  const std::string id = Enrol();
  const HttpResult small = Adjust(id, 500);
  ASSERT_EQ(small.status, 201) << small.body;
  EXPECT_EQ(small.Json()["status"], "applied");
  const HttpResult large = Adjust(id, 5000);
  ASSERT_EQ(large.status, 202) << large.body;
  EXPECT_EQ(large.Json()["status"], "pending_approval");
  EXPECT_EQ(Points(id)["available"], 600) << "a waiting adjustment moves no points";
  const std::string path = "/v1/points/adjustments/" + large.Json()["adjustment_id"].get<std::string>() + "/approve";
  EXPECT_TRUE(IsProblem(http().Post(path, json::object(), Token("manager1")), 403, "four_eyes"));
  EXPECT_TRUE(IsProblem(http().Post(path, json::object(), Token("cashier1")), 403, "forbidden"));
  const HttpResult approved = http().Post(path, json::object(), Token("admin"));
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json()["status"], "applied");
  EXPECT_EQ(Points(id)["available"], 5600);
  EXPECT_TRUE(IsProblem(http().Post(path, json::object(), Token("admin")), 409, "already_decided"));
  EXPECT_TRUE(IsProblem(http().Post("/v1/points/adjustments/nope/approve", json::object(), Token("admin")),
                        404, "adjustment_not_found"));
}

TEST_F(PointsE2e, BadPointsAreA400NamingTheField) {
  const std::string id = Enrol();
  EXPECT_TRUE(IsProblem(Adjust(id, 0), 400, "invalid_points", "points"));
  EXPECT_TRUE(IsProblem(Adjust(id, 1.5), 400, "invalid_type", "points"));
  EXPECT_TRUE(IsProblem(Adjust(id, "10"), 400, "invalid_type", "points"));
  EXPECT_TRUE(IsProblem(Adjust(id, 1e30), 400, "invalid_type", "points"));
  EXPECT_TRUE(IsProblem(Adjust(id, json::parse("99999999999999999999")), 400, "invalid_type", "points"));
  EXPECT_TRUE(IsProblem(Adjust(id, 2000000000000), 400, "invalid_points", "points"));
  EXPECT_TRUE(IsProblem(Adjust(id, -101), 409, "insufficient_points"));
  EXPECT_TRUE(IsProblem(http().Post("/v1/members/" + id + "/points/adjustments", {{"points", 5}},
                                    Token("manager1")),
                        400, "missing_field", "reason"));
  EXPECT_TRUE(IsProblem(Adjust("000000000000000000000000", 5), 404, "member_not_found"));
  EXPECT_TRUE(IsProblem(Adjust(id, 5, "cashier1"), 403, "forbidden"));
  EXPECT_EQ(Points(id)["available"], 100) << "no bad request changed the balance";
}

TEST_F(PointsE2e, RedemptionsAndTransfersKeepEveryPointAccountedFor) {
  const std::string a = Enrol();
  const std::string b = Enrol();
  ASSERT_EQ(Adjust(a, 900).status, 201);  // a: 1000
  const std::string redeem = "/v1/members/" + a + "/points/redemptions";
  const HttpResult r = http().Post(redeem, {{"points", 300}}, Token("cashier1"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["available"], 700);
  EXPECT_TRUE(IsProblem(http().Post(redeem, {{"points", 50}}, Token("cashier1")), 400,
                        "points_out_of_range", "points"));
  EXPECT_TRUE(IsProblem(http().Post(redeem, {{"points", 800}}, Token("cashier1")), 409,
                        "insufficient_points"));
  const std::string transfer = "/v1/members/" + a + "/points/transfers";
  const HttpResult moved = http().Post(transfer, {{"to_member_id", b}, {"points", 200}}, Token("cashier1"));
  ASSERT_EQ(moved.status, 201) << moved.body;
  EXPECT_EQ(moved.Json()["from_available"], 500);
  EXPECT_EQ(moved.Json()["to_available"], 300);
  EXPECT_TRUE(IsProblem(http().Post(transfer, {{"to_member_id", a}, {"points", 200}}, Token("cashier1")),
                        400, "same_member", "to_member_id"));
  EXPECT_TRUE(IsProblem(http().Post(transfer, {{"to_member_id", "000000000000000000000000"}, {"points", 200}},
                                    Token("cashier1")),
                        404, "member_not_found", "to_member_id"));
  const json ledger = http().Get("/v1/members/" + a + "/ledger?limit=2", Token("auditor")).Json();
  ASSERT_EQ(ledger["items"].size(), 2u);
  EXPECT_EQ(ledger["items"][0]["kind"], "transfer_out");
  EXPECT_EQ(ledger["items"][1]["kind"], "redeem");
  int64_t drawn = 0;  // from the enrolment lot and the adjustment lot, soonest expiry first
  for (const auto& a : ledger["items"][1]["allocations"]) drawn += a["points"].get<int64_t>();
  EXPECT_EQ(drawn, 300);
  ASSERT_TRUE(ledger["next_cursor"].is_string());
  const json rest = http().Get("/v1/members/" + a + "/ledger?limit=50&cursor=" +
                                   ledger["next_cursor"].get<std::string>(),
                               Token("auditor")).Json();
  EXPECT_EQ(rest["items"].size(), 2u) << "the adjustment and the enrolment award";
  EXPECT_TRUE(IsProblem(http().Get("/v1/members/" + a + "/ledger?limit=0", Token("auditor")), 400,
                        "invalid_limit", "limit"));
}

TEST_F(PointsE2e, LiabilityIsForFinanceOnly) {
  const HttpResult report = http().Get("/v1/reports/liability", Token("auditor"));
  ASSERT_EQ(report.status, 200) << report.body;
  const json j = report.Json();
  int64_t lines = 0;
  for (const auto& line : j["lines"]) lines += line["active"].get<int64_t>();
  EXPECT_EQ(lines, j["active"].get<int64_t>());
  EXPECT_EQ(j["active_value"]["amount_minor"], j["active"]) << "100 points = ¥1 = 100 fen";
  EXPECT_TRUE(IsProblem(http().Get("/v1/reports/liability", Token("cashier1")), 403, "forbidden"));
}

TEST_F(PointsE2e, TiersShowProgressAndStaffCanAssignWithAReason) {
  const std::string id = Enrol();
  const json tier = http().Get("/v1/members/" + id + "/tier", Token("cashier1")).Json();
  EXPECT_EQ(tier["tier"], "base");
  EXPECT_EQ(tier["level"]["name"]["zh-CN"], "普通会员");
  EXPECT_EQ(tier["next_tier"]["code"], "silver");
  EXPECT_EQ(tier["remaining_to_next"], 200000);
  EXPECT_EQ(tier["qualifying_spend"], (json{{"amount_minor", 0}, {"currency", "CNY"}}));
  const std::string path = "/v1/members/" + id + "/tier";
  EXPECT_TRUE(IsProblem(Put(path, {{"tier", "gold"}, {"reason", "VIP"}}, "cashier1"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(Put(path, {{"tier", "platinum"}, {"reason", "VIP"}}, "manager1"), 400,
                        "invalid_tier", "tier"));
  EXPECT_TRUE(IsProblem(Put(path, {{"tier", "gold"}}, "manager1"), 400, "missing_field", "reason"));
  const HttpResult assigned = Put(path, {{"tier", "gold"}, {"reason", "store opening guest"}}, "manager1");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.Json()["tier"], "gold");
  EXPECT_EQ(assigned.Json()["level"]["benefits"]["priority_service"], true);
  EXPECT_EQ(assigned.Json()["history"][0]["reason"], "manual: store opening guest");
  EXPECT_TRUE(assigned.Json()["review_date"].is_string());
  EXPECT_EQ(http().Get("/v1/members/" + id, Token("cashier1")).Json()["tier"], "gold");
}

TEST_F(PointsE2e, AuditCommandFindsEveryAccountConsistent) {
  const CommandResult audit = RunLoyalty(suite_->env, {"audit"});
  EXPECT_EQ(audit.exit_code, 0) << audit.output;
  EXPECT_NE(audit.output.find("ledger ok"), std::string::npos) << audit.output;
  // A broken row is named.
  const std::string id = Enrol();
  suite_->db->Execute("UPDATE point_accounts SET available = available + 1 WHERE member_id = '" + id + "'");
  const CommandResult broken = RunLoyalty(suite_->env, {"audit"});
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find(id), std::string::npos) << broken.output;
  suite_->db->Execute("UPDATE point_accounts SET available = available - 1 WHERE member_id = '" + id + "'");
}

}  // namespace
}  // namespace loyalty::testing::e2e
