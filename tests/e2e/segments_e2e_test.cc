// Segments through the HTTP API with real till sales: a marketer defines a segment of rice
// buyers, previews it, issues a coupon to it (the members get it in their wallets, nobody else
// does), and the segment follows a full return. Bad input and the wrong role are refused.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "tests/e2e/e2e_helpers.h"
#include "tests/e2e/pos_till.h"

namespace loyalty::testing::e2e {
namespace {

using json = nlohmann::json;

class SegmentsE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = SuiteServer::Start([](SuiteServer& s) {
      AddStoresAndTills(s, {"S1", "S2"}, {"S1-T1", "S2-T1"}, keys_);
    });
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override { ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed"; }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }

  std::string Enrol(bool sms) {
    static std::atomic<int> next{0};
    const HttpResult r = http().Post("/v1/members",
                                     {{"phone", "1392" + std::to_string(1000000 + next++)},
                                      {"name", "李娜"},
                                      {"consents", {{"sms", sms}}}},
                                     Token("cashier1"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("member_id", "");
  }

  // A till sale of one line; returns the transaction id.
  std::string Sell(const std::string& member, const std::string& sku, const std::string& category,
                   const std::string& till = "S1-T1") {
    static std::atomic<int> next{0};
    const json body = {
        {"store_id", till.substr(0, 2)},
        {"terminal_id", till},
        {"pos_txn_id", "SEG-" + std::to_string(UnixNow()) + "-" + std::to_string(next++)},
        {"member_id", member},
        {"lines",
         {{{"line_no", 1},
           {"sku", sku},
           {"category", category},
           {"qty", 2},
           {"unit_price_minor", 4500}}}}};
    const HttpResult r = Signed("/v1/pos/transactions", body, till);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("transaction_id", "");
  }

  HttpResult Signed(const std::string& path, const json& body, const std::string& till) {
    const std::string text = body.dump();
    return http().Request("POST", path, text,
                          SignedTillHeaders(path, text, till, keys_[till], suite_->server->port()));
  }

  HttpResult Preview(const std::string& segment_id, const std::string& query = "") {
    return http().Get("/v1/segments/" + segment_id + "/preview" + query, Token("marketer"));
  }

  std::set<std::string> SampleIds(const HttpResult& preview) {
    std::set<std::string> ids;
    const json body = preview.Json();  // kept alive: the loop walks a part of it
    for (const json& m : body["sample"]) ids.insert(m.value("member_id", ""));
    return ids;
  }

  int WalletCoupons(const std::string& member, const std::string& definition_id) {
    int n = 0;
    for (const json& c :
         Items(http().Get("/v1/members/" + member + "/coupons", Token("cashier1")))) {
      if (c.value("definition_id", "") == definition_id) ++n;
    }
    return n;
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline std::map<std::string, std::string> keys_;
};

TEST_F(SegmentsE2e, MarketerTargetsRiceBuyersAndTheirCouponsReachOnlyThem) {
  const std::string rice_sms = Enrol(/*sms=*/true);
  const std::string rice_no_sms = Enrol(/*sms=*/false);
  const std::string oil_only = Enrol(/*sms=*/true);
  const std::string nothing = Enrol(/*sms=*/true);
  Sell(rice_sms, "RICE-5KG", "rice");
  const std::string returned_sale = Sell(rice_no_sms, "RICE-5KG", "rice", "S2-T1");
  Sell(oil_only, "OIL-1L", "oil");

  const json definition = {
      {"name_zh", "米面粮油老顾客"},
      {"name_en", "Rice buyers"},
      {"description", "bought rice in the last 30 days"},
      {"rules", {{"purchases", {{{"categories", {"rice"}}, {"within_days", 30}}}}}}};
  const HttpResult created = http().Post("/v1/segments", definition, Token("marketer"));
  ASSERT_EQ(created.status, 201) << created.body;
  const json segment = created.Json();
  const std::string segment_id = segment.value("id", "");
  ASSERT_FALSE(segment_id.empty()) << created.body;
  EXPECT_EQ(created.Header("location"), "/v1/segments/" + segment_id);
  EXPECT_EQ(segment["name_zh"], "米面粮油老顾客");
  EXPECT_EQ(segment["rules"]["purchases"][0]["count"]["min"], 1) << "the default: at least once";
  EXPECT_TRUE(segment["created_at"].is_string());

  const HttpResult read = http().Get("/v1/segments/" + segment_id, Token("admin"));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json(), segment);
  bool listed = false;
  for (const json& s : Items(http().Get("/v1/segments?limit=200", Token("marketer")))) {
    listed = listed || s["id"] == segment_id;
  }
  EXPECT_TRUE(listed);

  const HttpResult preview = Preview(segment_id);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.Json()["count"], 2) << preview.body;
  EXPECT_EQ(preview.Json()["reachable"]["sms"], 1) << "only one rice buyer agreed to SMS";
  EXPECT_EQ(SampleIds(preview), std::set<std::string>({rice_sms, rice_no_sms}));
  const json previewed = preview.Json();
  for (const json& m : previewed["sample"]) {
    EXPECT_EQ(m["card_no"].get<std::string>().size(), 16u) << m.dump();
    EXPECT_FALSE(m.contains("phone")) << "no personal data in a preview";
  }
  EXPECT_EQ(Preview(segment_id, "?sample=1").Json()["sample"].size(), 1u);

  // A coupon for everyone in the segment, issued by a background job.
  const HttpResult defined = http().Post("/v1/coupon-definitions",
                                         {{"name_zh", "米粉回馈券"},
                                          {"name_en", "Rice thank-you"},
                                          {"kind", "fixed_amount"},
                                          {"amount_minor", 500}},
                                         Token("marketer"));
  ASSERT_EQ(defined.status, 201) << defined.body;
  const std::string definition_id = defined.Json()["id"];
  const HttpResult issued = http().Post("/v1/coupon-definitions/" + definition_id + "/issue",
                                        {{"segment_id", segment_id}}, Token("marketer"));
  ASSERT_EQ(issued.status, 202) << issued.body;
  const json job = issued.Json()["job"];
  EXPECT_EQ(job["segment_id"], segment_id);
  EXPECT_EQ(job["requested"], 2);
  const json done = AwaitIssueJob(http(), Token("marketer"), job["job_id"]);
  ASSERT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(done["issued"], 2);
  EXPECT_EQ(WalletCoupons(rice_sms, definition_id), 1);
  EXPECT_EQ(WalletCoupons(rice_no_sms, definition_id), 1);
  EXPECT_EQ(WalletCoupons(oil_only, definition_id), 0);
  EXPECT_EQ(WalletCoupons(nothing, definition_id), 0);

  // The rice comes back in full: that member is no longer a rice buyer.
  const HttpResult returned = Signed("/v1/pos/transactions/" + returned_sale + "/returns",
                                     {{"store_id", "S2"},
                                      {"terminal_id", "S2-T1"},
                                      {"return_txn_id", "SEG-R-" + std::to_string(UnixNow())},
                                      {"lines", {{{"line_no", 1}, {"qty", 2}}}}},
                                     "S2-T1");
  ASSERT_EQ(returned.status, 201) << returned.body;
  const HttpResult after = Preview(segment_id);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.Json()["count"], 1) << after.body;
  EXPECT_EQ(SampleIds(after), std::set<std::string>({rice_sms}));
}

TEST_F(SegmentsE2e, BadSegmentsAndTheWrongRoleAreRefusedWithAReason) {
  auto post = [&](const json& body, const std::string& user = "marketer") {
    return http().Post("/v1/segments", body, Token(user));
  };
  EXPECT_TRUE(IsProblem(post({{"rules", json::object()}}), 400, "invalid_segment", "name_zh"));
  EXPECT_TRUE(IsProblem(post({{"name_zh", "x"}, {"rules", {{"tiers", {"platinum-plus"}}}}}), 400,
                        "invalid_segment", "rules.tiers[0]"));
  EXPECT_TRUE(IsProblem(post({{"name_zh", "x"}, {"rules", {{"lifecycle", {"sleepy"}}}}}), 400,
                        "invalid_segment", "rules.lifecycle[0]"));
  EXPECT_TRUE(IsProblem(
      post({{"name_zh", "x"}, {"rules", {{"purchases", {{{"count", {{"min", 3}, {"max", 1}}}}}}}}}),
      400, "invalid_segment", "rules.purchases[0].count.max"));
  EXPECT_TRUE(IsProblem(post({{"name_zh", "x"}, {"rules", {{"rfm", {{"recency", {6}}}}}}}), 400,
                        "invalid_segment", "rules.rfm.recency[0]"));
  EXPECT_TRUE(IsProblem(post({{"name_zh", "x"}, {"rulez", json::object()}}), 400, "invalid_segment",
                        "rulez"));
  EXPECT_TRUE(IsProblem(post({{"name_zh", "x"}, {"id", "mine"}}), 400, "invalid_segment", "id"));
  EXPECT_TRUE(IsProblem(post({{"name_zh", "收银员的人群"}}, "cashier1"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(http().Get("/v1/segments", Token("auditor")), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(Preview("no-such-segment"), 404, "segment_not_found"));

  const HttpResult everyone = post({{"name_en", "Everyone"}});
  ASSERT_EQ(everyone.status, 201) << everyone.body;
  const std::string id = everyone.Json()["id"];
  EXPECT_TRUE(IsProblem(Preview(id, "?sample=0"), 400, "invalid_sample", "sample"));
  EXPECT_TRUE(IsProblem(Preview(id, "?sample=abc"), 400, "invalid_sample", "sample"));
  EXPECT_TRUE(IsProblem(Preview(id, "?sample=101"), 400, "invalid_sample", "sample"));

  const HttpResult defined = http().Post(
      "/v1/coupon-definitions",
      {{"name_zh", "券"}, {"name_en", "Coupon"}, {"kind", "fixed_amount"}, {"amount_minor", 100}},
      Token("marketer"));
  ASSERT_EQ(defined.status, 201) << defined.body;
  const std::string issue =
      "/v1/coupon-definitions/" + defined.Json()["id"].get<std::string>() + "/issue";
  EXPECT_TRUE(IsProblem(http().Post(issue, {{"segment_id", "no-such-segment"}}, Token("marketer")),
                        404, "segment_not_found", "segment_id"));
  EXPECT_TRUE(IsProblem(http().Post(issue, {{"segment_id", id}, {"count", 5}}, Token("marketer")),
                        400, "invalid_issue_request"));
  EXPECT_TRUE(IsProblem(http().Post(issue, {{"segment_id", 7}}, Token("marketer")), 400,
                        "invalid_type", "segment_id"));
}

}  // namespace
}  // namespace loyalty::testing::e2e
