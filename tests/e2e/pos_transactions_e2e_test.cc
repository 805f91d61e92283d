// POST /v1/pos/transactions, returns and voids end to end, signed by real tills: a sale with a
// coupon and points, returned in two parts, leaves balances, ledger and wallet exactly as they
// were; ten threads committing one pos_txn_id make one sale; replays, changed quotes, short
// tenders, pay-to-join, post-voids, returns without receipt and the cashier-exceptions report;
// `loyalty audit` is clean after all of it.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/e2e/pos_till.h"

namespace loyalty::testing::e2e {
namespace {

using nlohmann::json;

int64_t Minor(const json& money) {
  return money.is_object() && money.contains("amount_minor") &&
                 money["amount_minor"].is_number_integer()
             ? money["amount_minor"].get<int64_t>()
             : -1;
}

bool HasLine(const json& lines, const std::string& text) {
  if (!lines.is_array()) return false;
  for (const json& l : lines) {
    if (l.is_string() && l.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

class PosTransactionsE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = SuiteServer::Start([](SuiteServer& s) {
      AddStoresAndTills(s, {"S1", "S2"}, {"S1-T1", "S1-T2", "S2-T1"}, keys_);
    });
    if (!suite_ || !suite_->server) return;
    // Points usable at once (no return window), so balances show every step.
    json program = suite_->http->Get("/v1/program", suite_->Token("admin")).Json();
    program["pending_days"] = 0;
    const HttpResult saved =
        suite_->http->Request("PUT", "/v1/program", program.dump(), Bearer(suite_->Token("admin")));
    if (saved.status != 200) {
      ADD_FAILURE() << "program: " << saved.body;
      return;
    }
    const json definition = {{"name_zh", "满100减10"},
                             {"name_en", "10 off 100"},
                             {"kind", "threshold_tiers"},
                             {"tiers", {{{"threshold_minor", 10000}, {"off_minor", 1000}}}},
                             {"validity", {{"days_after_issue", 30}}}};
    const HttpResult defined =
        suite_->http->Post("/v1/coupon-definitions", definition, suite_->Token("marketer"));
    if (defined.status != 201) {
      ADD_FAILURE() << "definition: " << defined.body;
      return;
    }
    definition_ = defined.Json().value("id", "");
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    ASSERT_FALSE(definition_.empty()) << "coupon definition setup failed";
  }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }

  static std::string NewPhone() {
    static std::atomic<int> next{0};
    return "1391" + std::to_string(1000000 + next++);
  }

  std::string Enrol() {
    const HttpResult r =
        http().Post("/v1/members", {{"phone", NewPhone()}, {"name", "王芳"}}, Token("cashier1"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("member_id", "");
  }

  std::string IssueCoupon(const std::string& member_id) {
    const HttpResult r = http().Post("/v1/coupon-definitions/" + definition_ + "/issue",
                                     {{"member_ids", {member_id}}}, Token("marketer"));
    EXPECT_EQ(r.status, 201) << r.body;
    const json j = r.Json();
    if (r.status != 201 || !j.contains("issued") || j["issued"].size() != 1) return "";
    return j["issued"][0].value("code", "");
  }

  void GivePoints(const std::string& member_id, int64_t points) {
    const HttpResult asked =
        http().Post("/v1/members/" + member_id + "/points/adjustments",
                    {{"points", points}, {"reason", "goodwill"}}, Token("manager1"));
    ASSERT_TRUE(asked.status == 201 || asked.status == 202) << asked.body;
    if (asked.status == 202) {
      const HttpResult approved = http().Post(
          "/v1/points/adjustments/" + asked.Json()["adjustment_id"].get<std::string>() + "/approve",
          json::object(), Token("admin"));
      ASSERT_EQ(approved.status, 200) << approved.body;
    }
  }

  int64_t Available(const std::string& member_id) {
    const HttpResult r = http().Get("/v1/members/" + member_id + "/points", Token("cashier1"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json().value("available", int64_t{-1});
  }

  std::string CouponState(const std::string& member_id, const std::string& code) {
    const HttpResult r = http().Get("/v1/members/" + member_id + "/coupons", Token("cashier1"));
    for (const json& c : Items(r)) {
      if (c.value("code", "") == code) return c.value("state", "");
    }
    return "missing";
  }

  // A signed request by `till` (its own client, so threads do not share one).
  HttpResult Signed(const std::string& path, const json& body, const std::string& till = "S1-T1") {
    const std::string text = body.dump();
    HttpClient client(suite_->server->port());
    return client.Request("POST", path, text,
                          SignedTillHeaders(path, text, till, keys_[till], suite_->server->port()));
  }

  // 2 × 45.00 rice + 1 × 30.00 oil = 120.00.
  static json Basket(const std::string& till = "S1-T1") { return RiceAndOilBasket(till); }

  static std::string NewTxnId() {
    static std::atomic<int> next{0};
    return "T" + std::to_string(UnixNow()) + "-" + std::to_string(next++);
  }

  HttpResult Return(const std::string& sale_id, const json& lines,
                    const std::string& till = "S1-T1") {
    return Signed("/v1/pos/transactions/" + sale_id + "/returns",
                  {{"store_id", till.substr(0, 2)},
                   {"terminal_id", till},
                   {"return_txn_id", NewTxnId()},
                   {"cashier_id", "C-07"},
                   {"lines", lines}},
                  till);
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline std::map<std::string, std::string> keys_;
  static inline std::string definition_;
};

TEST_F(PosTransactionsE2e, SaleReturnedInTwoPartsLeavesEverythingAsItWas) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  GivePoints(member, 1000);
  ASSERT_EQ(Available(member), 1000);

  json quote_body = Basket();
  quote_body["member_id"] = member;
  quote_body["coupon_codes"] = {code};
  quote_body["redeem_points"] = 500;
  const HttpResult quoted = Signed("/v1/pos/quotes", quote_body);
  ASSERT_EQ(quoted.status, 201) << quoted.body;
  const json quote = quoted.Json();
  const int64_t due = Minor(quote["totals"]["due"]);
  ASSERT_EQ(due, 12000 - 1000 - 500) << quoted.body;  // 满100减10, 500 points = ¥5
  EXPECT_TRUE(HasLine(quote["receipt"]["en"], "Saved this year: ¥10.00")) << quoted.body;
  EXPECT_TRUE(HasLine(quote["receipt"]["zh"], "今年已为您节省 ¥10.00")) << quoted.body;

  const HttpResult committed =
      Signed("/v1/pos/transactions", {{"store_id", "S1"},
                                      {"terminal_id", "S1-T1"},
                                      {"pos_txn_id", NewTxnId()},
                                      {"quote_id", quote["quote_id"]},
                                      {"cashier_id", "C-07"},
                                      {"tenders", {{{"type", "cash"}, {"amount_minor", due}}}}});
  ASSERT_EQ(committed.status, 201) << committed.body;
  const json sale = committed.Json();
  EXPECT_EQ(sale["kind"], "sale");
  EXPECT_EQ(sale["replayed"], false);
  EXPECT_EQ(sale["member_id"], member);
  EXPECT_EQ(sale["coupon_codes"], json::array({code}));
  const int64_t earned = sale["points"]["earned"];
  EXPECT_EQ(earned, 110) << "1 point per yuan paid after the coupon";
  EXPECT_EQ(sale["points"]["redeemed"], 500);
  EXPECT_EQ(sale["points"]["balance"], 1000 - 500 + 110);
  EXPECT_EQ(Available(member), 610);
  EXPECT_EQ(CouponState(member, code), "used");
  int64_t paid_total = 0;
  for (const json& l : sale["lines"]) paid_total += Minor(l["paid"]);
  EXPECT_EQ(paid_total, 11000) << "lines are stored after the coupon discount";

  // Half of the rice comes back.
  const std::string sale_id = sale["transaction_id"];
  const HttpResult first = Return(sale_id, {{{"line_no", 1}, {"qty", 1}}});
  ASSERT_EQ(first.status, 201) << first.body;
  const json r1 = first.Json();
  const int64_t refund1 = Minor(r1["refund"]);
  int64_t rice_paid = 0;
  for (const json& l : sale["lines"]) {
    if (l["line_no"] == 1) rice_paid = Minor(l["paid"]);
  }
  EXPECT_EQ(refund1, rice_paid / 2);
  EXPECT_EQ(r1["points"]["clawed_back"], earned * refund1 / paid_total);
  EXPECT_EQ(r1["points"]["restored"], 500 * refund1 / paid_total);
  const int64_t after_first =
      610 - r1["points"]["clawed_back"].get<int64_t>() + r1["points"]["restored"].get<int64_t>();
  EXPECT_EQ(r1["points"]["balance"], after_first);
  EXPECT_EQ(Available(member), after_first);
  EXPECT_EQ(CouponState(member, code), "used") << "the coupon comes back only with the whole sale";

  // The rest: the other rice and the oil.
  const HttpResult second =
      Return(sale_id, {{{"line_no", 1}, {"qty", 1}}, {{"line_no", 2}, {"qty", 1}}});
  ASSERT_EQ(second.status, 201) << second.body;
  const json r2 = second.Json();
  EXPECT_EQ(refund1 + Minor(r2["refund"]), paid_total);
  EXPECT_EQ(r1["points"]["clawed_back"].get<int64_t>() + r2["points"]["clawed_back"].get<int64_t>(),
            earned);
  EXPECT_EQ(r1["points"]["restored"].get<int64_t>() + r2["points"]["restored"].get<int64_t>(), 500);
  EXPECT_EQ(r2["coupon_codes"], json::array({code}));
  EXPECT_EQ(Available(member), 1000);
  EXPECT_EQ(CouponState(member, code), "available");

  // Nothing is left: a third return is refused and changes nothing.
  const HttpResult third = Return(sale_id, {{{"line_no", 2}, {"qty", 1}}});
  EXPECT_TRUE(IsProblem(third, 400, "invalid_return")) << third.body;
  EXPECT_EQ(Available(member), 1000);

  // Nothing was kept, so nothing was saved this year.
  json again = Basket();
  again["member_id"] = member;
  const HttpResult requoted = Signed("/v1/pos/quotes", again);
  ASSERT_EQ(requoted.status, 201) << requoted.body;
  EXPECT_FALSE(HasLine(requoted.Json()["receipt"]["en"], "Saved this year")) << requoted.body;

  // The ledger tells the same story: redeem, earn, then per return a reversal and a give-back.
  const json ledger =
      http().Get("/v1/members/" + member + "/ledger?limit=50", Token("auditor")).Json();
  int64_t sum = 0;
  for (const json& e : ledger["items"]) sum += e.value("available_delta", int64_t{0});
  EXPECT_EQ(sum, 1000) << ledger.dump();
}

TEST_F(PosTransactionsE2e, TenThreadsCommittingOneTillIdMakeOneSale) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  json body = Basket("S1-T2");
  body["member_id"] = member;
  body["coupon_codes"] = {code};  // every attempt prices it alike: they share one quote
  body["pos_txn_id"] = NewTxnId();
  std::vector<HttpResult> results(10);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = Signed("/v1/pos/transactions", body, "S1-T2"); });
  }
  for (auto& t : threads) t.join();
  int created = 0;
  std::set<std::string> ids;
  for (const HttpResult& r : results) {
    ASSERT_TRUE(r.status == 201 || r.status == 200) << r.status << " " << r.body;
    created += r.status == 201;
    ids.insert(r.Json().value("transaction_id", ""));
    EXPECT_EQ(r.Json()["points"]["earned"], 110) << r.body;
    EXPECT_EQ(r.Json()["coupon_codes"], json::array({code})) << r.body;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(Available(member), 110) << "earned once";
  EXPECT_EQ(CouponState(member, code), "used");
  const json ledger = http().Get("/v1/members/" + member + "/ledger", Token("auditor")).Json();
  EXPECT_EQ(ledger["items"].size(), 1u) << ledger.dump();

  // The same id with other content is not the same sale.
  body["lines"][0]["qty"] = 3;
  const HttpResult reused = Signed("/v1/pos/transactions", body, "S1-T2");
  EXPECT_TRUE(IsProblem(reused, 422, "pos_txn_id_reused")) << reused.body;
}

TEST_F(PosTransactionsE2e, AChangedBasketOrShortTendersAreRefusedWithTheNewAmount) {
  const std::string member = Enrol();
  json quote_body = Basket();
  quote_body["member_id"] = member;
  const HttpResult quoted = Signed("/v1/pos/quotes", quote_body);
  ASSERT_EQ(quoted.status, 201) << quoted.body;
  json commit = Basket();
  commit["member_id"] = member;
  commit["pos_txn_id"] = NewTxnId();
  commit["quote_id"] = quoted.Json()["quote_id"];
  commit["lines"][1]["qty"] = 2;  // one more oil than was quoted
  const HttpResult changed = Signed("/v1/pos/transactions", commit);
  ASSERT_TRUE(IsProblem(changed, 409, "quote_changed")) << changed.body;
  EXPECT_EQ(changed.Json()["due_minor"], "15000") << changed.body;
  EXPECT_EQ(Available(member), 0);

  // Committed as re-priced, but the tenders cover less than is due.
  commit["pos_txn_id"] = NewTxnId();
  commit["tenders"] = {{{"type", "cash"}, {"amount_minor", 10000}}};
  const HttpResult short_paid = Signed("/v1/pos/transactions", commit);
  EXPECT_TRUE(IsProblem(short_paid, 409, "tenders_short")) << short_paid.body;
  commit["tenders"] = {{{"type", "cash"}, {"amount_minor", 10000}},
                       {{"type", "wechat"}, {"amount_minor", 5000}}};
  const HttpResult paid = Signed("/v1/pos/transactions", commit);
  EXPECT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(Available(member), 150);
}

TEST_F(PosTransactionsE2e, ARetryAfterShortTendersKeepsTheCouponItsFirstAttemptHeld) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  json commit = Basket();  // 120.00 without a quote; 满100减10 makes it 110.00
  commit["member_id"] = member;
  commit["coupon_codes"] = {code};
  commit["pos_txn_id"] = NewTxnId();
  commit["tenders"] = {{{"type", "cash"}, {"amount_minor", 10000}}};
  const HttpResult short_paid = Signed("/v1/pos/transactions", commit);
  ASSERT_TRUE(IsProblem(short_paid, 409, "tenders_short")) << short_paid.body;
  EXPECT_EQ(short_paid.Json()["due_minor"], "11000") << "priced with the coupon";
  // The cashier takes the rest and commits the same transaction again. The first attempt's hold
  // on the coupon is this transaction's own, so the price stays the same.
  commit["tenders"] = {{{"type", "cash"}, {"amount_minor", 11000}}};
  const HttpResult paid = Signed("/v1/pos/transactions", commit);
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(paid.Json()["coupon_codes"], json::array({code})) << paid.body;
  EXPECT_EQ(CouponState(member, code), "used");
}

TEST_F(PosTransactionsE2e, PostVoidUndoesTheSaleAndCannotBeRepeatedUnderAnotherId) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  GivePoints(member, 300);
  json body = Basket();
  body["member_id"] = member;
  body["coupon_codes"] = {code};
  body["redeem_points"] = 200;
  body["pos_txn_id"] = NewTxnId();
  const HttpResult sold = Signed("/v1/pos/transactions", body);
  ASSERT_EQ(sold.status, 201) << sold.body;
  const std::string sale_id = sold.Json()["transaction_id"];
  // Points are earned on what the lines cost after the coupon (110); the points are a tender.
  EXPECT_EQ(Available(member), 300 - 200 + 110);
  const std::string path = "/v1/pos/transactions/" + sale_id + "/void";
  const json void_body = {{"store_id", "S1"}, {"terminal_id", "S1-T1"}, {"cashier_id", "C-07"}};
  const HttpResult voided = Signed(path, void_body);
  ASSERT_EQ(voided.status, 201) << voided.body;
  EXPECT_EQ(voided.Json()["kind"], "void");
  EXPECT_EQ(Minor(voided.Json()["refund"]), 11000);
  EXPECT_EQ(Available(member), 300);
  EXPECT_EQ(CouponState(member, code), "available");
  // The same till voiding again gets the same answer; another id is refused; so is a return.
  const HttpResult again = Signed(path, void_body);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["transaction_id"], voided.Json()["transaction_id"]);
  json other = void_body;
  other["void_txn_id"] = NewTxnId();
  EXPECT_TRUE(IsProblem(Signed(path, other), 409, "transaction_voided"));
  EXPECT_TRUE(
      IsProblem(Return(sale_id, {{{"line_no", 1}, {"qty", 1}}}), 409, "transaction_voided"));
  EXPECT_EQ(Available(member), 300);
}

TEST_F(PosTransactionsE2e, PayToJoinEnrolsTheShopperWithTheirConsent) {
  const std::string phone = NewPhone();
  json body = Basket();
  body["pos_txn_id"] = NewTxnId();
  body["join"] = {{"phone", phone}};
  EXPECT_TRUE(IsProblem(Signed("/v1/pos/transactions", body), 400, "join_without_consent"));
  body["join"]["consent"] = true;
  const HttpResult joined = Signed("/v1/pos/transactions", body);
  ASSERT_EQ(joined.status, 201) << joined.body;
  const std::string member = joined.Json().value("member_id", "");
  ASSERT_FALSE(member.empty()) << joined.body;
  const HttpResult found = http().Get("/v1/members?phone=" + phone, Token("cashier1"));
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(Items(found).size(), 1u) << found.body;
  EXPECT_EQ(Items(found)[0]["member_id"], member);
  EXPECT_EQ(joined.Json()["points"]["earned"], 120);
  // A second visit with the same phone joins nobody new: it is the same member.
  body["pos_txn_id"] = NewTxnId();
  const HttpResult again = Signed("/v1/pos/transactions", body);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Json()["member_id"], member);
}

TEST_F(PosTransactionsE2e, ReturnsWithoutReceiptAndRefundThenRebuyAreListedPerCashier) {
  // A return naming a sale this system never saw, with the goods described: accepted, flagged.
  const HttpResult blind = Return("unknown-sale-1",
                                  {{{"line_no", 1},
                                    {"qty", 1},
                                    {"sku", "PERFUME-50ML"},
                                    {"category", "beauty"},
                                    {"unit_price_minor", 59900}}},
                                  "S2-T1");
  ASSERT_EQ(blind.status, 201) << blind.body;
  EXPECT_EQ(blind.Json()["flags"], json::array({"no_original"}));
  EXPECT_EQ(Minor(blind.Json()["refund"]), 59900);
  // Without the goods described it is simply not found.
  EXPECT_TRUE(IsProblem(Return("unknown-sale-2", {{{"line_no", 1}, {"qty", 1}}}), 404,
                        "transaction_not_found"));

  // A sale, its return, and the same SKU sold again an hour later at the same store.
  json body = Basket("S2-T1");
  body["pos_txn_id"] = NewTxnId();
  const HttpResult sold = Signed("/v1/pos/transactions", body, "S2-T1");
  ASSERT_EQ(sold.status, 201) << sold.body;
  const HttpResult returned =
      Return(sold.Json()["transaction_id"], {{{"line_no", 2}, {"qty", 1}}}, "S2-T1");
  ASSERT_EQ(returned.status, 201) << returned.body;
  json rebuy = Basket("S2-T1");
  rebuy["pos_txn_id"] = NewTxnId();
  rebuy["lines"] = {{{"line_no", 1},
                     {"sku", "OIL-1L"},
                     {"category", "grocery"},
                     {"qty", 1},
                     {"unit_price_minor", 3000}}};
  const HttpResult rebought = Signed("/v1/pos/transactions", rebuy, "S2-T1");
  ASSERT_EQ(rebought.status, 201) << rebought.body;

  const HttpResult report = http().Get("/v1/reports/pos-exceptions?store_id=S2", Token("admin"));
  ASSERT_EQ(report.status, 200) << report.body;
  bool blind_listed = false, rebuy_listed = false;
  for (const json& e : Items(report)) {
    EXPECT_EQ(e["store_id"], "S2");
    EXPECT_EQ(e["cashier_id"], "C-07");
    if (e["kind"] == "return_without_receipt") {
      blind_listed = e["transaction_id"] == blind.Json()["transaction_id"];
    }
    if (e["kind"] == "refund_then_rebuy" && e["sku"] == "OIL-1L") {
      rebuy_listed = e["rebuy_transaction_id"] == rebought.Json()["transaction_id"];
    }
  }
  EXPECT_TRUE(blind_listed) << report.body;
  EXPECT_TRUE(rebuy_listed) << report.body;
  // A store manager sees only their own store (manager1 runs S1); a cashier may not read it;
  // a bad period is a 400.
  EXPECT_EQ(http().Get("/v1/reports/pos-exceptions?store_id=S2", Token("manager1")).status, 403);
  const HttpResult own = http().Get("/v1/reports/pos-exceptions", Token("manager1"));
  ASSERT_EQ(own.status, 200) << own.body;
  for (const json& e : Items(own)) EXPECT_EQ(e["store_id"], "S1") << own.body;
  EXPECT_EQ(http().Get("/v1/reports/pos-exceptions", Token("cashier1")).status, 403);
  EXPECT_TRUE(IsProblem(http().Get("/v1/reports/pos-exceptions?from=yesterday", Token("admin")),
                        400, "invalid_period"));
}

TEST_F(PosTransactionsE2e, BadRequestsAreRefusedAndWriteNothing) {
  const std::string member = Enrol();
  json body = Basket();
  body["member_id"] = member;
  body["pos_txn_id"] = "has spaces";
  EXPECT_TRUE(IsProblem(Signed("/v1/pos/transactions", body), 400, "invalid_pos_txn_id"));
  body["pos_txn_id"] = NewTxnId();
  body["occurred_at"] = "2099-01-01T00:00:00Z";
  EXPECT_TRUE(IsProblem(Signed("/v1/pos/transactions", body), 400, "invalid_occurred_at"));
  body.erase("occurred_at");
  body["store_id"] = "S2";  // S1-T1 selling for S2
  EXPECT_EQ(Signed("/v1/pos/transactions", body).status, 403);
  body["store_id"] = "S1";
  body["redeem_points"] = 5000;
  EXPECT_TRUE(IsProblem(Signed("/v1/pos/transactions", body), 409, "insufficient_points"));
  body.erase("redeem_points");
  body["tenders"] = {{{"type", "cash"}, {"amount_minor", -5}}};
  EXPECT_TRUE(IsProblem(Signed("/v1/pos/transactions", body), 400, "invalid_tender"));
  body.erase("tenders");
  body.erase("lines");
  EXPECT_TRUE(IsProblem(Signed("/v1/pos/transactions", body), 400, "invalid_basket"));
  EXPECT_EQ(Available(member), 0);

  body = Basket();
  body["pos_txn_id"] = NewTxnId();
  const HttpResult sold = Signed("/v1/pos/transactions", body);
  ASSERT_EQ(sold.status, 201) << sold.body;
  const std::string sale_id = sold.Json()["transaction_id"];
  EXPECT_TRUE(IsProblem(Return(sale_id, {{{"line_no", 1}, {"qty", 3}}}), 400, "invalid_return"));
  EXPECT_TRUE(IsProblem(Return(sale_id, {{{"line_no", 9}, {"qty", 1}}}), 400, "invalid_return"));
  EXPECT_TRUE(IsProblem(Return(sale_id, json::array()), 400, "invalid_return"));
}

TEST_F(PosTransactionsE2e, AReturnThatMovesNoPointsStillShowsTheBalance) {
  const std::string member = Enrol();
  GivePoints(member, 100);
  json body = Basket();
  body["member_id"] = member;
  body["pos_txn_id"] = NewTxnId();
  body["lines"] = {{{"line_no", 1},
                    {"sku", "BAG"},
                    {"category", "misc"},
                    {"qty", 1},
                    {"unit_price_minor", 50}}};  // ¥0.50 earns no point
  const HttpResult sold = Signed("/v1/pos/transactions", body);
  ASSERT_EQ(sold.status, 201) << sold.body;
  EXPECT_EQ(sold.Json()["points"]["earned"], 0);
  const HttpResult back = Return(sold.Json()["transaction_id"], {{{"line_no", 1}, {"qty", 1}}});
  ASSERT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(back.Json()["points"]["balance"], 100) << back.body;
  EXPECT_TRUE(HasLine(back.Json()["receipt"]["en"], "Points balance: 100")) << back.body;
}

TEST_F(PosTransactionsE2e, ReturningThePurchaseThatEarnedATierTakesTheTierBack) {
  const std::string member = Enrol();
  json body = Basket();
  body["member_id"] = member;
  body["pos_txn_id"] = NewTxnId();
  body["lines"] = {{{"line_no", 1},
                    {"sku", "TV-55"},
                    {"category", "electronics"},
                    {"qty", 1},
                    {"unit_price_minor", 250000}}};  // ¥2500: silver is ¥2000 in 12 months
  const HttpResult sold = Signed("/v1/pos/transactions", body);
  ASSERT_EQ(sold.status, 201) << sold.body;
  ASSERT_EQ(sold.Json()["tier_change"]["to"], "silver") << sold.body;
  auto tier = [&] {
    return http().Get("/v1/members/" + member + "/tier", Token("cashier1")).Json();
  };
  EXPECT_EQ(tier()["tier"], "silver") << tier().dump();
  const HttpResult back = Return(sold.Json()["transaction_id"], {{{"line_no", 1}, {"qty", 1}}});
  ASSERT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(back.Json()["tier_change"]["to"], "base") << back.body;
  EXPECT_EQ(tier()["tier"], "base") << tier().dump();
  EXPECT_EQ(Available(member), 0);
}

// Last (gtest runs tests in declaration order within a suite): every account still balances.
TEST_F(PosTransactionsE2e, ZzAuditIsCleanAfterEverything) {
  const CommandResult audit = RunLoyalty(suite_->env, {"audit"});
  EXPECT_EQ(audit.exit_code, 0) << audit.output;
}

}  // namespace
}  // namespace loyalty::testing::e2e
