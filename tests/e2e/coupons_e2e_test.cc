// Coupon definitions over HTTP: marketers create them, every bad field is a 400 naming it, and
// tills can read them back.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

using nlohmann::json;

class CouponsE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { suite_ = SuiteServer::Start(); }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override { ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed"; }
  HttpResult Create(const json& body, const std::string& user = "marketer") {
    return suite_->http->Post("/v1/coupon-definitions", body, suite_->Token(user));
  }
  static json TenPercentOff() {
    return {{"name_zh", "九折券"},
            {"name_en", "10% off"},
            {"kind", "percent_off"},
            {"percent_bp", 1000},
            {"cap_minor", 5000},
            {"scope", {{"categories", {"cosmetics"}}}},
            {"validity", {{"days_after_issue", 30}}},
            {"stacking", {{"group", "discounts"}, {"priority", 10}}}};
  }
  static inline std::unique_ptr<SuiteServer> suite_;
};

TEST_F(CouponsE2e, MarketerCreatesAndTillsReadBack) {
  const HttpResult created = Create(TenPercentOff());
  ASSERT_EQ(created.status, 201) << created.body;
  const json j = created.Json();
  const std::string id = j["id"];
  EXPECT_EQ(created.Header("location"), "/v1/coupon-definitions/" + id);
  EXPECT_EQ(j["percent_bp"], 1000);
  const HttpResult read =
      suite_->http->Get("/v1/coupon-definitions/" + id, suite_->Token("cashier1"));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json(), j);
  EXPECT_TRUE(IsProblem(suite_->http->Get("/v1/coupon-definitions/nope", suite_->Token("cashier1")),
                        404, "coupon_definition_not_found"));
}

TEST_F(CouponsE2e, OnlyMarketersAndAdminsCreate) {
  EXPECT_TRUE(IsProblem(Create(TenPercentOff(), "cashier1"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(Create(TenPercentOff(), "manager1"), 403, "forbidden"));
  EXPECT_EQ(Create(TenPercentOff(), "admin").status, 201);
}

TEST_F(CouponsE2e, EveryBadFieldIsA400NamingIt) {
  json bad = TenPercentOff();
  bad["percent_bp"] = 0;
  EXPECT_TRUE(IsProblem(Create(bad), 400, "invalid_coupon_definition", "percent_bp"));
  bad = TenPercentOff();
  bad["percent_bp"] = 12.5;
  EXPECT_TRUE(IsProblem(Create(bad), 400, "invalid_coupon_definition", "percent_bp"));
  bad = TenPercentOff();
  bad["kind"] = "half_price";
  EXPECT_TRUE(IsProblem(Create(bad), 400, "invalid_coupon_definition", "kind"));
  bad = TenPercentOff();
  bad["scope"]["brands"] = json::array({"x"});
  EXPECT_TRUE(IsProblem(Create(bad), 400, "invalid_coupon_definition", "scope.brands"));
  bad = TenPercentOff();
  bad["id"] = "mine";
  EXPECT_TRUE(IsProblem(Create(bad), 400, "invalid_coupon_definition", "id"));
  json tiers = {{"name_zh", "满100减10"},
                {"name_en", "10 off 100"},
                {"kind", "threshold_tiers"},
                {"tiers",
                 {{{"threshold_minor", 20000}, {"off_minor", 3000}},
                  {{"threshold_minor", 10000}, {"off_minor", 1000}}}}};
  const HttpResult descending = Create(tiers);
  EXPECT_EQ(descending.status, 400) << descending.body;
  EXPECT_EQ(descending.Json()["code"], "invalid_coupon_definition");
  EXPECT_TRUE(
      IsProblem(suite_->http->Request("POST", "/v1/coupon-definitions", "{",
                                      {{"Authorization", "Bearer " + suite_->Token("marketer")},
                                       {"Content-Type", "application/json"}}),
                400, "invalid_json"));
}

}  // namespace
}  // namespace loyalty::testing::e2e
