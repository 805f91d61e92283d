// POST /v1/pos/quotes end to end, signed by real tills: per-line coupon discounts that add up to
// the totals, coupons held for the quote (the wallet shows them reserved, another till is refused,
// and they come back by themselves when the reservation time passes), points as tender at the
// program's rate within its range and not promised twice, bilingual receipt lines, anonymous
// baskets, every bad basket a 400 naming the field, and the store/terminal a till may speak for.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "loyalty/domain/coupon_code.h"
#include "tests/e2e/pos_till.h"

namespace loyalty::testing::e2e {
namespace {

using nlohmann::json;

constexpr const char* kQuotes = "/v1/pos/quotes";

// The key `loyalty admin add-terminal` printed ("key <64 hex>").

// A code nobody was issued: well formed (the check symbol is right) but random.
std::string UnissuedCode() {
  std::random_device rd;
  std::vector<uint8_t> bytes(kCouponRandomBytes);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rd());
  return MakeCouponCode(bytes, "");
}

// `code` with one symbol swapped for another of the alphabet: the check symbol catches it.
std::string Mistyped(std::string code) {
  char& c = code[code.size() / 2];
  c = c == 'A' ? 'B' : 'A';
  return code;
}

int64_t Minor(const json& money) {
  return money.is_object() && money.contains("amount_minor") &&
                 money["amount_minor"].is_number_integer()
             ? money["amount_minor"].get<int64_t>()
             : -1;
}

bool AnyContains(const json& lines, const std::string& text) {
  if (!lines.is_array()) return false;
  for (const json& l : lines) {
    if (l.is_string() && l.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

// One server per fixture: stores S1 and S2, tills S1-T1, S1-T2 and S2-T1, a 满100减10 coupon
// definition and (per fixture) extra environment such as the reservation time.
class QuoteSuite {
 public:
  static std::unique_ptr<SuiteServer> Start(const Environment& extra,
                                            std::map<std::string, std::string>& keys) {
    return SuiteServer::Start([&](SuiteServer& s) {
      for (const auto& [k, v] : extra) s.env[k] = v;
      AddStoresAndTills(s, {"S1", "S2"}, {"S1-T1", "S1-T2", "S2-T1"}, keys);
    });
  }
};

class PosQuoteBase : public ::testing::Test {
 protected:
  // Set by each fixture's SetUpTestSuite.
  static inline SuiteServer* server_ = nullptr;
  static inline std::map<std::string, std::string>* keys_ = nullptr;
  static inline std::string threshold_definition_;

  // Defines 满100减10 (10000 minor spent → 1000 off, whole basket) with the marketer.
  static std::string DefineThresholdCoupon() {
    const json definition = {{"name_zh", "满100减10"},
                             {"name_en", "10 off 100"},
                             {"kind", "threshold_tiers"},
                             {"tiers", {{{"threshold_minor", 10000}, {"off_minor", 1000}}}},
                             {"validity", {{"days_after_issue", 30}}}};
    const HttpResult r =
        server_->http->Post("/v1/coupon-definitions", definition, server_->Token("marketer"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().value("id", "") : "";
  }

  HttpClient& http() { return *server_->http; }
  const std::string& Token(const std::string& user) { return server_->Token(user); }

  std::string Enrol() {
    static std::atomic<int> next{0};
    const std::string phone = "1372" + std::to_string(1000000 + next++);
    const HttpResult r =
        http().Post("/v1/members", {{"phone", phone}, {"name", "李娜"}}, Token("cashier1"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("member_id", "");
  }

  // One 满100减10 coupon for the member; returns its code.
  std::string IssueCoupon(const std::string& member_id) {
    const HttpResult r = http().Post("/v1/coupon-definitions/" + threshold_definition_ + "/issue",
                                     {{"member_ids", {member_id}}}, Token("marketer"));
    EXPECT_EQ(r.status, 201) << r.body;
    const json j = r.Json();
    if (r.status != 201 || !j.contains("issued") || j["issued"].size() != 1) return "";
    return j["issued"][0].value("code", "");
  }

  // The member's wallet entry for `code` as staff see it (GET /v1/members/{id}/coupons).
  json WalletEntry(const std::string& member_id, const std::string& code) {
    const HttpResult r = http().Get("/v1/members/" + member_id + "/coupons", Token("cashier1"));
    EXPECT_EQ(r.status, 200) << r.body;
    for (const json& c : Items(r)) {
      if (c.value("code", "") == code) return c;
    }
    ADD_FAILURE() << code << " not in the wallet: " << r.body;
    return json::object();
  }

  // `points` for the member: a large adjustment by a manager, approved by an admin.
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
    const json summary =
        http().Get("/v1/members/" + member_id + "/points", Token("cashier1")).Json();
    ASSERT_EQ(summary["available"], points) << summary.dump();
  }

  // Headers of a correctly signed till request for `body` (RFC 9421 over "@method" "@path"
  // "content-digest", created now, a fresh nonce, keyid = terminal id).
  std::map<std::string, std::string> Signed(const std::string& body, const std::string& till) {
    return SignedTillHeaders(kQuotes, body, till, (*keys_)[till], server_->server->port());
  }

  HttpResult Quote(const json& body, const std::string& till = "S1-T1") {
    const std::string text = body.dump();
    return http().Request("POST", kQuotes, text, Signed(text, till));
  }

  // A basket of two lines (2 × 45.00 + 1 × 30.00 = 120.00) from `till`'s store.
  static json Basket(const std::string& till = "S1-T1") { return RiceAndOilBasket(till); }
  static json MemberBasket(const std::string& member_id, const std::string& till = "S1-T1") {
    json b = Basket(till);
    b["member_id"] = member_id;
    return b;
  }

  // The quote's arithmetic holds: per line net − discount = payable; the lines add up to the
  // totals; basket − coupon_discount − points_value = due; every amount in CNY.
  static void ExpectConsistent(const json& q) {
    ASSERT_TRUE(q.is_object() && q["lines"].is_array()) << q.dump();
    int64_t net = 0, discount = 0, payable = 0;
    for (const json& l : q["lines"]) {
      EXPECT_EQ(Minor(l["net"]) - Minor(l["discount"]), Minor(l["payable"])) << l.dump();
      EXPECT_GE(Minor(l["discount"]), 0) << l.dump();
      for (const char* m : {"net", "discount", "payable"}) EXPECT_EQ(l[m]["currency"], "CNY");
      net += Minor(l["net"]);
      discount += Minor(l["discount"]);
      payable += Minor(l["payable"]);
    }
    const json& t = q["totals"];
    EXPECT_EQ(Minor(t["basket"]), net) << q.dump();
    EXPECT_EQ(Minor(t["coupon_discount"]), discount) << q.dump();
    EXPECT_EQ(Minor(t["basket"]) - Minor(t["coupon_discount"]) - Minor(t["points_value"]),
              Minor(t["due"]))
        << q.dump();
    EXPECT_EQ(payable - Minor(t["points_value"]), Minor(t["due"])) << q.dump();
    int64_t applied = 0;
    for (const json& a : q["coupons"]["applied"]) applied += Minor(a["discount"]);
    EXPECT_EQ(applied, discount) << q.dump();
  }

  static json Rejected(const json& q, const std::string& code) {
    for (const json& r : q["coupons"]["rejected"]) {
      if (r.value("code", "") == code) return r;
    }
    return json();
  }
};

// ---- the fixture with the default reservation time (300 s) ----

class PosQuoteE2e : public PosQuoteBase {
 protected:
  static void SetUpTestSuite() {
    suite_ = QuoteSuite::Start({}, keys_store_);
    if (!suite_ || !suite_->server) return;
    server_ = suite_.get();
    keys_ = &keys_store_;
    // Points at an odd rate, so the value is rounded: 100 points = 0.50, 200 to 100000 a sale.
    json program = suite_->http->Get("/v1/program", suite_->Token("admin")).Json();
    program["redemption"] = {
        {"points", 100}, {"value_minor", 50}, {"min_points", 200}, {"max_points", 100000}};
    program["adjustments"]["approval_threshold"] = 1000;
    const HttpResult saved =
        suite_->http->Request("PUT", "/v1/program", program.dump(), Bearer(suite_->Token("admin")));
    if (saved.status != 200) {
      ADD_FAILURE() << "program: " << saved.body;
      return;
    }
    threshold_definition_ = DefineThresholdCoupon();
    ready_ = !threshold_definition_.empty();
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    ASSERT_TRUE(ready_) << "program or coupon definition setup failed";
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline std::map<std::string, std::string> keys_store_;
  static inline bool ready_ = false;
};

// ---- coupons ----

TEST_F(PosQuoteE2e, ReQuotingUnderTheSameIdKeepsItsOwnCouponsAndPoints) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  GivePoints(member, 500);
  json body = MemberBasket(member);
  body["coupon_codes"] = {code};
  body["redeem_points"] = 500;
  const HttpResult first = Quote(body);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string quote_id = first.Json()["quote_id"];
  // The cashier scans one more item: the same quote, re-priced, still has its coupon and points.
  body["quote_id"] = quote_id;
  body["lines"].push_back(
      {{"line_no", 3}, {"sku", "EGGS-12"}, {"category", "grocery"}, {"qty", 1}, {"unit_price_minor", 1800}});
  const HttpResult again = Quote(body);
  ASSERT_EQ(again.status, 201) << again.body;
  const json q = again.Json();
  ExpectConsistent(q);
  EXPECT_EQ(q["quote_id"], quote_id);
  EXPECT_EQ(Minor(q["totals"]["basket"]), 13800);
  ASSERT_EQ(q["coupons"]["applied"].size(), 1u) << again.body;
  EXPECT_EQ(q["totals"]["points_redeemed"], 500);
  // Another till may neither re-price nor cancel it.
  json other = body;
  other["store_id"] = "S1";
  other["terminal_id"] = "S1-T2";
  EXPECT_TRUE(IsProblem(Quote(other, "S1-T2"), 403, "quote_forbidden"));
  json unknown = body;
  unknown["quote_id"] = "000000000000000000000000";
  EXPECT_TRUE(IsProblem(Quote(unknown), 404, "quote_not_found"));
}

TEST_F(PosQuoteE2e, ACancelledQuoteFreesItsCouponAndPointsAtOnce) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  GivePoints(member, 500);
  json body = MemberBasket(member);
  body["coupon_codes"] = {code};
  body["redeem_points"] = 500;
  const HttpResult held = Quote(body);
  ASSERT_EQ(held.status, 201) << held.body;
  const std::string path = "/v1/pos/quotes/" + held.Json()["quote_id"].get<std::string>();
  auto cancel = [&](const std::string& till) {
    return http().Request("DELETE", path, "",
                          SignedTillHeaders(path, "", till, (*keys_)[till],
                                            server_->server->port(), "DELETE"));
  };
  EXPECT_TRUE(IsProblem(cancel("S1-T2"), 403, "quote_forbidden"));
  const HttpResult cancelled = cancel("S1-T1");
  ASSERT_EQ(cancelled.status, 204) << cancelled.body;
  // Another till gets both straight away.
  json next = MemberBasket(member, "S1-T2");
  next["coupon_codes"] = {code};
  next["redeem_points"] = 500;
  const HttpResult taken = Quote(next, "S1-T2");
  ASSERT_EQ(taken.status, 201) << taken.body;
  EXPECT_EQ(taken.Json()["coupons"]["applied"].size(), 1u) << taken.body;
  EXPECT_EQ(taken.Json()["totals"]["points_redeemed"], 500);
}

TEST_F(PosQuoteE2e, MoreThanTwentyCodesOrAnOverlongCodeIsRefused) {
  json body = Basket();
  body["coupon_codes"] = json::array();
  for (int i = 0; i < 21; ++i) body["coupon_codes"].push_back("ABCDEFGHJKLMNP");
  EXPECT_TRUE(IsProblem(Quote(body), 400, "too_many_coupon_codes", "coupon_codes"));
  body["coupon_codes"] = {std::string(70000, 'A')};
  EXPECT_TRUE(IsProblem(Quote(body), 400, "invalid_code", "coupon_codes[0]"));
}

TEST_F(PosQuoteE2e, ThresholdCouponIsSpreadOverTheLinesAndHeldForTheQuote) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  json body = MemberBasket(member);
  body["coupon_codes"] = {code};
  const HttpResult r = Quote(body);
  ASSERT_EQ(r.status, 201) << r.body;
  const json q = r.Json();
  ExpectConsistent(q);
  EXPECT_TRUE(q["quote_id"].is_string() && !q["quote_id"].get<std::string>().empty()) << r.body;
  EXPECT_EQ(q["store_id"], "S1");
  EXPECT_EQ(q["terminal_id"], "S1-T1");
  EXPECT_EQ(q["member_id"], member);
  ASSERT_EQ(q["lines"].size(), 2u) << r.body;
  EXPECT_EQ(q["lines"][0]["line_no"], 1);
  EXPECT_EQ(q["lines"][0]["sku"], "RICE-5KG");
  EXPECT_EQ(Minor(q["lines"][0]["net"]), 9000);
  EXPECT_EQ(q["lines"][1]["line_no"], 2);
  EXPECT_EQ(Minor(q["lines"][1]["net"]), 3000);
  // 120.00 reaches the 100.00 threshold: 10.00 off, shared by both lines.
  EXPECT_EQ(Minor(q["totals"]["basket"]), 12000);
  EXPECT_EQ(Minor(q["totals"]["coupon_discount"]), 1000);
  EXPECT_EQ(Minor(q["lines"][0]["discount"]) + Minor(q["lines"][1]["discount"]), 1000);
  EXPECT_GT(Minor(q["lines"][0]["discount"]), Minor(q["lines"][1]["discount"]))
      << "the larger line carries the larger share: " << r.body;
  EXPECT_EQ(q["totals"]["points_redeemed"], 0);
  EXPECT_EQ(Minor(q["totals"]["points_value"]), 0);
  EXPECT_EQ(Minor(q["totals"]["due"]), 11000);
  ASSERT_EQ(q["coupons"]["applied"].size(), 1u) << r.body;
  EXPECT_EQ(q["coupons"]["applied"][0]["code"], code);
  EXPECT_EQ(q["coupons"]["applied"][0]["definition_id"], threshold_definition_);
  EXPECT_EQ(q["coupons"]["applied"][0]["kind"], "threshold_tiers");
  EXPECT_EQ(Minor(q["coupons"]["applied"][0]["discount"]), 1000);
  EXPECT_TRUE(q["coupons"]["rejected"].empty()) << r.body;
  // Points to earn on what is paid (the program's default 1 point per 1.00, floor).
  EXPECT_EQ(q["points"]["available"], 0);
  EXPECT_EQ(q["points"]["to_earn"], 110) << r.body;
  EXPECT_TRUE(AnyContains(q["receipt"]["zh"], "本次可得积分 110")) << r.body;
  EXPECT_TRUE(AnyContains(q["receipt"]["en"], "Points this purchase: 110")) << r.body;
  EXPECT_TRUE(AnyContains(q["receipt"]["zh"], "优惠券节省")) << r.body;
  EXPECT_TRUE(AnyContains(q["receipt"]["en"], "Saved with coupons")) << r.body;

  // The wallet shows the coupon held until the quote expires.
  ASSERT_TRUE(q["expires_at"].is_string()) << r.body;
  const json entry = WalletEntry(member, code);
  EXPECT_EQ(entry["state"], "reserved") << entry.dump();
  EXPECT_EQ(entry["reserved_until"], q["expires_at"]) << entry.dump();

  // Another till of the same store is shown the same code: refused as reserved, nothing off.
  const HttpResult other = Quote(
      [&] {
        json b = MemberBasket(member, "S1-T2");
        b["coupon_codes"] = {code};
        return b;
      }(),
      "S1-T2");
  ASSERT_EQ(other.status, 201) << other.body;
  const json o = other.Json();
  ExpectConsistent(o);
  EXPECT_TRUE(o["coupons"]["applied"].empty()) << other.body;
  EXPECT_EQ(Rejected(o, code).value("reason", ""), "reserved") << other.body;
  EXPECT_TRUE(Rejected(o, code)["message_zh"].is_string()) << other.body;
  EXPECT_TRUE(Rejected(o, code)["message_en"].is_string()) << other.body;
  EXPECT_EQ(Minor(o["totals"]["coupon_discount"]), 0);
  EXPECT_EQ(Minor(o["totals"]["due"]), 12000);
  // The first quote still holds it.
  const json still = WalletEntry(member, code);
  EXPECT_EQ(still["state"], "reserved") << still.dump();
  EXPECT_EQ(still["reserved_until"], q["expires_at"]) << still.dump();
}

TEST_F(PosQuoteE2e, CodesThatCannotBeUsedAreRejectedWithTheReason) {
  const std::string member = Enrol();
  const std::string other_member = Enrol();
  const std::string mine = IssueCoupon(member);
  const std::string theirs = IssueCoupon(other_member);
  ASSERT_FALSE(mine.empty());
  ASSERT_FALSE(theirs.empty());
  const std::string typo = Mistyped(mine);
  const std::string unknown = UnissuedCode();
  json body = MemberBasket(member);
  body["coupon_codes"] = {typo, unknown, theirs};
  const HttpResult r = Quote(body);
  ASSERT_EQ(r.status, 201) << r.body;
  const json q = r.Json();
  ExpectConsistent(q);
  EXPECT_TRUE(q["coupons"]["applied"].empty()) << r.body;
  EXPECT_EQ(q["coupons"]["rejected"].size(), 3u) << r.body;
  EXPECT_EQ(Rejected(q, typo).value("reason", ""), "invalid_code") << typo << ": " << r.body;
  EXPECT_EQ(Rejected(q, unknown).value("reason", ""), "unknown_code") << unknown << ": " << r.body;
  EXPECT_EQ(Rejected(q, theirs).value("reason", ""), "other_member") << r.body;
  for (const json& rej : q["coupons"]["rejected"]) {
    EXPECT_FALSE(rej.value("message_zh", "").empty()) << rej.dump();
    EXPECT_FALSE(rej.value("message_en", "").empty()) << rej.dump();
  }
  EXPECT_EQ(Minor(q["totals"]["coupon_discount"]), 0);
  EXPECT_EQ(Minor(q["totals"]["due"]), 12000);
  // The other member's coupon was not held for this quote.
  EXPECT_EQ(WalletEntry(other_member, theirs)["state"], "available");
  // The member's own coupon (typed correctly) still applies on its own.
  body["coupon_codes"] = {mine};
  const HttpResult ok = Quote(body);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Minor(ok.Json()["totals"]["coupon_discount"]), 1000) << ok.body;
}

TEST_F(PosQuoteE2e, AMembersCouponIsNotForAnAnonymousBasketAndCountsOnce) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  // Without the member identified, their coupon is someone else's.
  json anonymous = Basket();
  anonymous["coupon_codes"] = {code};
  const HttpResult r = Quote(anonymous);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(r.Json()["coupons"]["applied"].empty()) << r.body;
  EXPECT_EQ(Rejected(r.Json(), code).value("reason", ""), "other_member") << r.body;
  EXPECT_EQ(WalletEntry(member, code)["state"], "available");
  // The same code scanned twice takes 10.00 off once.
  json twice = MemberBasket(member);
  twice["coupon_codes"] = {code, code};
  const HttpResult t = Quote(twice);
  ASSERT_EQ(t.status, 201) << t.body;
  ExpectConsistent(t.Json());
  EXPECT_EQ(t.Json()["coupons"]["applied"].size(), 1u) << t.body;
  EXPECT_EQ(Minor(t.Json()["totals"]["coupon_discount"]), 1000) << t.body;
}

TEST_F(PosQuoteE2e, ARefusedQuoteHoldsNoCoupon) {
  const std::string member = Enrol();  // no points
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  json body = MemberBasket(member);
  body["coupon_codes"] = {code};
  body["redeem_points"] = 300;
  EXPECT_TRUE(IsProblem(Quote(body), 409, "insufficient_points"));
  EXPECT_EQ(WalletEntry(member, code)["state"], "available");
  body["redeem_points"] = 150;  // below min_points
  EXPECT_TRUE(IsProblem(Quote(body), 400, "invalid_redeem_points", "redeem_points"));
  EXPECT_EQ(WalletEntry(member, code)["state"], "available");
  // So another till may use it at once.
  json other = MemberBasket(member, "S1-T2");
  other["coupon_codes"] = {code};
  const HttpResult r = Quote(other, "S1-T2");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["coupons"]["applied"].size(), 1u) << r.body;
}

TEST_F(PosQuoteE2e, AnUnknownMemberIsNotFound) {
  EXPECT_TRUE(IsProblem(Quote(MemberBasket("000000000000000000000000")), 404, "member_not_found"));
}

TEST_F(PosQuoteE2e, ALargeLineWithinTheLimitsIsPricedOrRefusedNamingWhatTheTillSent) {
  // qty and unit price each within the documented limits (qty <= 100000, price >= 0), 12e11 minor
  // in all. The till never sends a "net_minor", so a refusal must not name one.
  json b = Basket();
  b["lines"][0]["qty"] = 2;
  b["lines"][0]["unit_price_minor"] = int64_t{600'000'000'000};
  const HttpResult r = Quote(b);
  EXPECT_NE(r.status, 500) << r.body;
  if (r.status == 201) {
    ExpectConsistent(r.Json());
  } else {
    EXPECT_EQ(r.status, 400) << r.body;
    const std::string field = r.Json().value("field", "");
    EXPECT_TRUE(field == "lines[0].qty" || field == "lines[0].unit_price_minor") << r.body;
  }
}

// ---- points as tender ----

TEST_F(PosQuoteE2e, PointsAreTenderAtTheProgramsRateAndNotPromisedTwice) {
  const std::string member = Enrol();
  GivePoints(member, 5000);
  json body = MemberBasket(member);
  body["redeem_points"] = 333;  // 333 × 0.50 / 100 = 1.665 → 1.66 (floor)
  const HttpResult r = Quote(body);
  ASSERT_EQ(r.status, 201) << r.body;
  const json q = r.Json();
  ExpectConsistent(q);
  EXPECT_EQ(q["totals"]["points_redeemed"], 333);
  EXPECT_EQ(Minor(q["totals"]["points_value"]), 166) << r.body;
  EXPECT_EQ(q["totals"]["points_value"]["currency"], "CNY");
  EXPECT_EQ(Minor(q["totals"]["due"]), 12000 - 166) << r.body;
  EXPECT_EQ(q["points"]["available"], 5000);
  EXPECT_TRUE(AnyContains(q["receipt"]["zh"], "使用积分 333")) << r.body;
  EXPECT_TRUE(AnyContains(q["receipt"]["en"], "Points used: 333")) << r.body;
  EXPECT_TRUE(AnyContains(q["receipt"]["zh"], "积分余额 4667")) << r.body;
  EXPECT_TRUE(AnyContains(q["receipt"]["en"], "Points balance: 4667")) << r.body;
  EXPECT_EQ(q["receipt"]["zh"].size(), q["receipt"]["en"].size()) << r.body;
  // A quote moves no points: the balance is what it was.
  EXPECT_EQ(http().Get("/v1/members/" + member + "/points", Token("cashier1")).Json()["available"],
            5000);

  // While that quote lives, 4667 are free: one more is too many, from any till of the store.
  body["redeem_points"] = 4668;
  EXPECT_TRUE(IsProblem(Quote(body), 409, "insufficient_points"));
  json other = MemberBasket(member, "S1-T2");
  other["redeem_points"] = 4668;
  EXPECT_TRUE(IsProblem(Quote(other, "S1-T2"), 409, "insufficient_points"));
  // Exactly what is left is fine (2333 = 11.66 of the 120.00 due).
  other["redeem_points"] = 4667;
  const HttpResult rest = Quote(other, "S1-T2");
  ASSERT_EQ(rest.status, 201) << rest.body;
  EXPECT_EQ(Minor(rest.Json()["totals"]["points_value"]), 2333) << rest.body;
  ExpectConsistent(rest.Json());
  // Now nothing is free.
  body["redeem_points"] = 200;
  EXPECT_TRUE(IsProblem(Quote(body), 409, "insufficient_points"));
}

TEST_F(PosQuoteE2e, PointsOutsideTheRangeOrWorthMoreThanTheDueAreRefused) {
  const std::string member = Enrol();
  GivePoints(member, 5000);
  json body = MemberBasket(member);
  body["redeem_points"] = 199;  // min_points is 200
  EXPECT_TRUE(IsProblem(Quote(body), 400, "invalid_redeem_points", "redeem_points"));
  body["redeem_points"] = 100001;  // max_points is 100000
  EXPECT_TRUE(IsProblem(Quote(body), 400, "invalid_redeem_points", "redeem_points"));
  body["redeem_points"] = -1;
  EXPECT_TRUE(IsProblem(Quote(body), 400, "invalid_redeem_points", "redeem_points"));
  body["redeem_points"] = "300";
  EXPECT_TRUE(IsProblem(Quote(body), 400, "invalid_type", "redeem_points"));
  // A 1.00 basket: 300 points are worth 1.50 and 202 are worth 1.01, more than is due; 200
  // (1.00) is exactly the due.
  json small = MemberBasket(member);
  small["lines"] = {{{"line_no", 1}, {"sku", "GUM"}, {"qty", 1}, {"unit_price_minor", 100}}};
  small["redeem_points"] = 300;
  EXPECT_TRUE(IsProblem(Quote(small), 400, "invalid_redeem_points", "redeem_points"));
  small["redeem_points"] = 202;
  EXPECT_TRUE(IsProblem(Quote(small), 400, "invalid_redeem_points", "redeem_points"));
  small["redeem_points"] = 200;
  const HttpResult exact = Quote(small);
  ASSERT_EQ(exact.status, 201) << exact.body;
  EXPECT_EQ(Minor(exact.Json()["totals"]["points_value"]), 100) << exact.body;
  EXPECT_EQ(Minor(exact.Json()["totals"]["due"]), 0) << exact.body;
  ExpectConsistent(exact.Json());
  // The refused quotes hold nothing: 5000 − 200 are still free.
  json other = MemberBasket(member, "S1-T2");
  other["redeem_points"] = 4800;
  const HttpResult rest = Quote(other, "S1-T2");
  ASSERT_EQ(rest.status, 201) << rest.body;
  EXPECT_EQ(Minor(rest.Json()["totals"]["points_value"]), 2400) << rest.body;
  body["redeem_points"] = 200;
  EXPECT_TRUE(IsProblem(Quote(body), 409, "insufficient_points"));
}

TEST_F(PosQuoteE2e, PointsNeedAMember) {
  json body = Basket();
  body["redeem_points"] = 300;
  EXPECT_TRUE(IsProblem(Quote(body), 400, "invalid_redeem_points", "redeem_points"));
}

TEST_F(PosQuoteE2e, AnAnonymousBasketEarnsNothing) {
  const HttpResult r = Quote(Basket());
  ASSERT_EQ(r.status, 201) << r.body;
  const json q = r.Json();
  ExpectConsistent(q);
  EXPECT_TRUE(q["member_id"].is_null()) << r.body;
  EXPECT_EQ(q["points"]["to_earn"], 0) << r.body;
  EXPECT_EQ(Minor(q["totals"]["basket"]), 12000);
  EXPECT_EQ(Minor(q["totals"]["due"]), 12000);
  EXPECT_TRUE(q["coupons"]["applied"].empty());
  EXPECT_TRUE(q["expires_at"].is_string());
}

// ---- bad bodies ----

TEST_F(PosQuoteE2e, BadBasketsAre400NamingTheField) {
  json b = Basket();
  b.erase("lines");
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_basket", "lines"));
  b["lines"] = json::array();
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_basket", "lines"));
  b["lines"] = json::object();
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_basket", "lines"));
  b = Basket();
  b["lines"][0]["line_no"] = 0;
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_basket", "lines[0].line_no"));
  b = Basket();
  b["lines"][1]["qty"] = 1.5;
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_type", "lines[1].qty"));
  b = Basket();
  b["lines"][1]["qty"] = 0;
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_basket", "lines[1].qty"));
  b = Basket();
  b["lines"][0]["unit_price_minor"] = "12";
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_type", "lines[0].unit_price_minor"));
  b = Basket();
  b["lines"][1]["line_no"] = 1;
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_basket", "lines[1].line_no"));
  b = Basket();
  b["lines"][0]["colour"] = "red";
  EXPECT_TRUE(IsProblem(Quote(b), 400, "unknown_field", "lines[0].colour"));
  b = Basket();
  b["lines"][1].erase("sku");
  EXPECT_TRUE(IsProblem(Quote(b), 400, "missing_field", "lines[1].sku"));
  b = Basket();
  b["lines"][0]["unit_price_minor"] = -1;
  EXPECT_TRUE(IsProblem(Quote(b), 400, "invalid_basket", "lines[0].unit_price_minor"));
  b = Basket();
  b["coupon_codes"] = "ABC";
  EXPECT_EQ(Quote(b).Json().value("field", ""), "coupon_codes");
  b = Basket();
  b["basket_total"] = 1;
  EXPECT_TRUE(IsProblem(Quote(b), 400, "unknown_field", "basket_total"));
  b = Basket();
  b.erase("store_id");
  EXPECT_TRUE(IsProblem(Quote(b), 400, "missing_field", "store_id"));
}

// ---- who may quote ----

TEST_F(PosQuoteE2e, ATillQuotesOnlyForItsOwnStoreAndItself) {
  json b = Basket();
  b["store_id"] = "S2";
  EXPECT_TRUE(IsProblem(Quote(b), 403, "store_forbidden"));
  b = Basket();
  b["terminal_id"] = "S1-T2";  // signed by S1-T1
  EXPECT_TRUE(IsProblem(Quote(b), 403, "terminal_mismatch"));
  // Each till is fine for itself.
  EXPECT_EQ(Quote(Basket("S1-T2"), "S1-T2").status, 201);
  EXPECT_EQ(Quote(Basket("S2-T1"), "S2-T1").status, 201);
  // Unsigned (with or without a staff token) is 401.
  const std::string text = Basket().dump();
  EXPECT_TRUE(
      IsProblem(http().Request("POST", kQuotes, text, {{"Content-Type", "application/json"}}), 401,
                "missing_signature"));
  EXPECT_TRUE(IsProblem(http().Request("POST", kQuotes, text,
                                       {{"Content-Type", "application/json"},
                                        {"Authorization", "Bearer " + Token("cashier1")}}),
                        401, "missing_signature"));
}

// ---- the fixture with a 2 s reservation time ----

class PosQuoteShortHoldE2e : public PosQuoteBase {
 protected:
  static void SetUpTestSuite() {
    suite_ = QuoteSuite::Start({{"LOYALTY_COUPON_RESERVATION_SECONDS", "2"}}, keys_store_);
    if (!suite_ || !suite_->server) return;
    server_ = suite_.get();
    keys_ = &keys_store_;
    threshold_definition_ = DefineThresholdCoupon();
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    ASSERT_FALSE(threshold_definition_.empty()) << "coupon definition setup failed";
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline std::map<std::string, std::string> keys_store_;
};

TEST_F(PosQuoteShortHoldE2e, CouponsAndPointsComeBackWhenTheReservationTimePasses) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  GivePoints(member, 500);  // under the approval threshold: applied at once
  json body = MemberBasket(member);
  body["coupon_codes"] = {code};
  body["redeem_points"] = 500;  // default rate: 5.00
  const HttpResult first = Quote(body);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(first.Json()["coupons"]["applied"].size(), 1u) << first.body;
  EXPECT_EQ(Minor(first.Json()["totals"]["points_value"]), 500) << first.body;
  EXPECT_EQ(WalletEntry(member, code)["state"], "reserved");

  std::this_thread::sleep_for(std::chrono::seconds(3));

  // The hold has ended by itself: the wallet shows the coupon available again…
  const json entry = WalletEntry(member, code);
  EXPECT_EQ(entry["state"], "available") << entry.dump();
  EXPECT_TRUE(entry["reserved_until"].is_null()) << entry.dump();
  // …and another till can use both the coupon and all the points.
  const HttpResult second = Quote(
      [&] {
        json b = MemberBasket(member, "S1-T2");
        b["coupon_codes"] = {code};
        b["redeem_points"] = 500;
        return b;
      }(),
      "S1-T2");
  ASSERT_EQ(second.status, 201) << second.body;
  const json q = second.Json();
  ExpectConsistent(q);
  ASSERT_EQ(q["coupons"]["applied"].size(), 1u) << second.body;
  EXPECT_EQ(q["coupons"]["applied"][0]["code"], code);
  EXPECT_EQ(Minor(q["totals"]["due"]), 12000 - 1000 - 500) << second.body;
}

TEST_F(PosQuoteShortHoldE2e, AnExpiredQuoteIsPricedAgainAtCommit) {
  const std::string member = Enrol();
  const std::string code = IssueCoupon(member);
  ASSERT_FALSE(code.empty());
  json body = MemberBasket(member);
  body["coupon_codes"] = {code};
  const HttpResult kept = Quote(body);
  ASSERT_EQ(kept.status, 201) << kept.body;
  const HttpResult lost = Quote(MemberBasket(member));
  ASSERT_EQ(lost.status, 201) << lost.body;
  std::this_thread::sleep_for(std::chrono::seconds(3));
  // Meanwhile another till holds the coupon: the first quote's price no longer stands.
  json other = MemberBasket(member, "S1-T2");
  other["coupon_codes"] = {code};
  ASSERT_EQ(Quote(other, "S1-T2").Json()["coupons"]["applied"].size(), 1u);

  auto commit = [&](const json& quote) {
    const json c = {{"store_id", "S1"},
                    {"terminal_id", "S1-T1"},
                    {"pos_txn_id", "X-" + quote["quote_id"].get<std::string>()},
                    {"quote_id", quote["quote_id"]}};
    const std::string text = c.dump();
    return http().Request("POST", "/v1/pos/transactions", text,
                          SignedTillHeaders("/v1/pos/transactions", text, "S1-T1",
                                            (*keys_)["S1-T1"], server_->server->port()));
  };
  const HttpResult refused = commit(kept.Json());
  EXPECT_TRUE(IsProblem(refused, 409, "quote_changed")) << refused.body;
  EXPECT_EQ(refused.Json()["due_minor"], "12000") << refused.body;
  EXPECT_EQ(WalletEntry(member, code)["state"], "reserved") << "still the other till's";
  // An expired quote whose price is unchanged simply commits.
  const HttpResult committed = commit(lost.Json());
  EXPECT_EQ(committed.status, 201) << committed.body;
}

}  // namespace
}  // namespace loyalty::testing::e2e
