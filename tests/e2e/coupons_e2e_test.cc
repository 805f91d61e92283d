// Coupons over HTTP: marketers create definitions (every bad field is a 400 naming it) and issue
// them to members or as anonymous bulk codes (a background job with a CSV); wallets page by
// cursor; tills look codes up however they were typed (typos are 400, unknown codes 404);
// marketers revoke; members exchange points for coupons. Roles and Idempotency-Key throughout.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

using nlohmann::json;

// The coupon alphabet (API contract: no 0/O/1/I), kept here independently of the server's.
constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr const char* kNoSuchMember = "000000000000000000000000";

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string WithoutDashes(std::string s) {
  std::erase(s, '-');
  return s;
}

// "ABCDEFGHJKLMNP" → "ABCD-EFGH-JKLM-NP"; a prefix ("SALE-...") stays in front.
std::string Grouped(const std::string& code) {
  std::string prefix, body = code;
  if (const size_t dash = code.find('-'); dash != std::string::npos) {
    prefix = code.substr(0, dash + 1);
    body = code.substr(dash + 1);
  }
  std::string out = prefix;
  for (size_t i = 0; i < body.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += body[i];
  }
  return out;
}

// Another alphabet symbol than `c`.
char OtherSymbol(char c) { return c == 'X' ? 'Y' : 'X'; }

class CouponsE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Bulk jobs are picked up every second rather than every two.
    suite_ = SuiteServer::Start([](SuiteServer& s) { s.env["LOYALTY_JOB_POLL_SECONDS"] = "1"; });
    if (!suite_ || !suite_->server) return;
    const HttpResult created =
        suite_->http->Post("/v1/coupon-definitions", TenPercentOff(), suite_->Token("marketer"));
    if (created.status == 201) definition_id_ = created.Json().value("id", "");
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    ASSERT_FALSE(definition_id_.empty()) << "creating the shared coupon definition failed";
  }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }

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
  // A definition in the rewards catalogue: `points_cost` points buy one.
  std::string CreateReward(int64_t points_cost) {
    json body = TenPercentOff();
    body["name_zh"] = "积分兑换券";
    body["name_en"] = "Points reward";
    body["points_cost"] = points_cost;
    const HttpResult r = Create(body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("id", "");
  }

  static std::string NewPhone() {
    static std::atomic<int> next{0};
    return "1385000" + std::to_string(1000 + next++);
  }
  std::string Enrol() {
    const HttpResult r =
        http().Post("/v1/members", {{"phone", NewPhone()}, {"name", "李娜"}}, Token("cashier1"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("member_id", "");
  }

  // POST /v1/coupon-definitions/{id}/issue with an optional Idempotency-Key.
  HttpResult IssueFor(const std::string& definition_id, const json& body,
                      const std::string& user = "marketer", const std::string& key = "") {
    auto headers = Bearer(Token(user));
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return http().Request("POST", "/v1/coupon-definitions/" + definition_id + "/issue",
                          body.dump(), headers);
  }
  HttpResult Issue(const json& body, const std::string& user = "marketer") {
    return IssueFor(definition_id_, body, user);
  }
  // Issues one coupon of the shared definition to `member_id` and returns its code.
  std::string IssueOne(const std::string& member_id) {
    const HttpResult r = Issue({{"member_ids", {member_id}}});
    EXPECT_EQ(r.status, 201) << r.body;
    const json issued = r.Json().value("issued", json::array());
    return issued.size() == 1 ? issued[0].value("code", "") : "";
  }

  HttpResult Wallet(const std::string& member_id, const std::string& query = "",
                    const std::string& user = "cashier1") {
    return http().Get("/v1/members/" + member_id + "/coupons" + query, Token(user));
  }
  HttpResult Lookup(const std::string& code, const std::string& user = "cashier1") {
    return http().Get("/v1/coupons/" + code, Token(user));
  }
  HttpResult Revoke(const std::string& code, const json& body, const std::string& user = "marketer") {
    return http().Post("/v1/coupons/" + code + "/revoke", body, Token(user));
  }
  HttpResult Exchange(const std::string& member_id, const json& body,
                      const std::string& user = "cashier1", const std::string& key = "") {
    auto headers = Bearer(Token(user));
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return http().Request("POST", "/v1/members/" + member_id + "/coupons/exchanges", body.dump(),
                          headers);
  }
  int64_t Available(const std::string& member_id) {
    const json j = http().Get("/v1/members/" + member_id + "/points", Token("cashier1")).Json();
    return j.is_object() && j.contains("available") ? j["available"].get<int64_t>() : -1;
  }

  // Polls the job until it is done (or failed), for up to 90 s; returns its last JSON.
  json AwaitJob(const std::string& job_id) {
    return AwaitIssueJob(http(), Token("marketer"), job_id);
  }

  // The CSV's data rows (header checked and dropped), each split into its fields.
  static std::vector<std::vector<std::string>> CsvRows(const std::string& body) {
    std::vector<std::vector<std::string>> rows;
    size_t start = 0;
    bool header = true;
    while (start < body.size()) {
      const size_t end = body.find("\r\n", start);
      EXPECT_NE(end, std::string::npos) << "every CSV line ends in CRLF";
      if (end == std::string::npos) break;
      const std::string line = body.substr(start, end - start);
      start = end + 2;
      if (header) {
        EXPECT_EQ(line, "code,display_code,valid_from,valid_until");
        header = false;
        continue;
      }
      std::vector<std::string> fields;
      std::stringstream in(line);
      std::string field;
      while (std::getline(in, field, ',')) fields.push_back(field);
      if (!line.empty() && line.back() == ',') fields.push_back("");
      rows.push_back(std::move(fields));
    }
    EXPECT_FALSE(header) << "the CSV has no header line";
    return rows;
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline std::string definition_id_;
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

// ---- Issuing to members and the wallet ------------------------------------------------------

TEST_F(CouponsE2e, IssuedCouponsAreAvailableInEachWallet) {
  const std::vector<std::string> members = {Enrol(), Enrol(), Enrol()};
  const HttpResult r = Issue({{"member_ids", members}});
  ASSERT_EQ(r.status, 201) << r.body;
  const json j = r.Json();
  EXPECT_EQ(j["definition_id"], definition_id_);
  ASSERT_EQ(j["issued"].size(), 3u) << r.body;
  std::set<std::string> codes;
  for (size_t i = 0; i < members.size(); ++i) {
    const json& issued = j["issued"][i];
    EXPECT_EQ(issued["member_id"], members[i]) << "one coupon per member, in request order";
    const std::string code = issued["code"];
    codes.insert(code);
    EXPECT_EQ(code.size(), 14u) << code << ": 13 random symbols and a check symbol";
    EXPECT_EQ(code.find_first_not_of(kAlphabet), std::string::npos) << code;
    EXPECT_EQ(issued["display_code"], Grouped(code));
    EXPECT_TRUE(issued["valid_from"].is_string()) << issued.dump();
    EXPECT_TRUE(issued["valid_until"].is_string()) << "30 days after issue: " << issued.dump();

    const HttpResult wallet = Wallet(members[i]);
    ASSERT_EQ(wallet.status, 200) << wallet.body;
    const json items = Items(wallet);
    ASSERT_EQ(items.size(), 1u) << wallet.body;
    EXPECT_TRUE(wallet.Json()["next_cursor"].is_null());
    const json& v = items[0];
    EXPECT_EQ(v["code"], code);
    EXPECT_EQ(v["display_code"], issued["display_code"]);
    EXPECT_EQ(v["state"], "available");
    EXPECT_EQ(v["definition_id"], definition_id_);
    EXPECT_EQ(v["name_zh"], "九折券");
    EXPECT_EQ(v["name_en"], "10% off");
    EXPECT_EQ(v["member_id"], members[i]);
    EXPECT_TRUE(v["issued_at"].is_string());
    EXPECT_EQ(v["valid_from"], issued["valid_from"]);
    EXPECT_EQ(v["valid_until"], issued["valid_until"]);
    for (const char* unset : {"reserved_until", "redeemed", "restored_at", "revoked_at", "revoke_reason"}) {
      EXPECT_TRUE(v.contains(unset) && v[unset].is_null()) << unset << " in " << v.dump();
    }
    EXPECT_EQ(v["definition"]["id"], definition_id_);
    EXPECT_EQ(v["definition"]["percent_bp"], 1000);
  }
  EXPECT_EQ(codes.size(), 3u) << "every member gets a code of their own";

  // Admins may issue too; a member named twice gets one coupon.
  const std::string twice = Enrol();
  const HttpResult again = Issue({{"member_ids", {twice, twice}}}, "admin");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Json()["issued"].size(), 1u) << again.body;
  EXPECT_EQ(Items(Wallet(twice)).size(), 1u);
  // Without an Idempotency-Key a second request is a second issue.
  ASSERT_EQ(Issue({{"member_ids", {twice}}}).status, 201);
  EXPECT_EQ(Items(Wallet(twice)).size(), 2u);
}

TEST_F(CouponsE2e, SameIdempotencyKeyGivesTheSameCodes) {
  const std::vector<std::string> members = {Enrol(), Enrol()};
  const std::string key = "issue-" + RandomHex(16);
  const HttpResult first = IssueFor(definition_id_, {{"member_ids", members}}, "marketer", key);
  ASSERT_EQ(first.status, 201) << first.body;
  const HttpResult repeat = IssueFor(definition_id_, {{"member_ids", members}}, "marketer", key);
  ASSERT_EQ(repeat.status, 201) << repeat.body;
  EXPECT_EQ(repeat.Json(), first.Json()) << "the same codes, not new ones";
  EXPECT_EQ(repeat.Header("idempotent-replayed"), "true");
  for (size_t i = 0; i < members.size(); ++i) {
    const json items = Items(Wallet(members[i]));
    ASSERT_EQ(items.size(), 1u) << "the repeat issued nothing: " << items.dump();
    EXPECT_EQ(items[0]["code"], first.Json()["issued"][i]["code"]);
  }
  // The same key for another request is refused and issues nothing.
  const std::string other = Enrol();
  EXPECT_TRUE(IsProblem(IssueFor(definition_id_, {{"member_ids", {other}}}, "marketer", key), 422,
                        "idempotency_key_reused"));
  EXPECT_TRUE(Items(Wallet(other)).empty());

  // A bulk request repeated with its key is the same job, not a second one.
  const std::string job_key = "bulk-" + RandomHex(16);
  const HttpResult job = IssueFor(definition_id_, {{"count", 3}}, "marketer", job_key);
  ASSERT_EQ(job.status, 202) << job.body;
  const HttpResult job_again = IssueFor(definition_id_, {{"count", 3}}, "marketer", job_key);
  ASSERT_EQ(job_again.status, 202) << job_again.body;
  EXPECT_EQ(job_again.Json()["job"]["job_id"], job.Json()["job"]["job_id"]);
  EXPECT_EQ(job_again.Header("location"), job.Header("location"));
}

TEST_F(CouponsE2e, WalletPagesByCursor) {
  const std::string member = Enrol();
  std::set<std::string> issued;
  for (int i = 0; i < 5; ++i) issued.insert(IssueOne(member));
  ASSERT_EQ(issued.size(), 5u);

  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const HttpResult page =
        Wallet(member, "?limit=2" + (cursor.empty() ? "" : "&cursor=" + UrlEncode(cursor)));
    ASSERT_EQ(page.status, 200) << page.body;
    const json items = Items(page);
    EXPECT_LE(items.size(), 2u);
    for (const auto& v : items) seen.push_back(v["code"].get<std::string>());
    const json next = page.Json()["next_cursor"];
    cursor = next.is_string() ? next.get<std::string>() : "";
    ASSERT_LT(++pages, 10) << "the cursor does not advance";
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3) << "2 + 2 + 1";
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), issued);
  EXPECT_EQ(seen.size(), 5u) << "no coupon twice";

  // A page exactly as long as what is left has no next page.
  const HttpResult whole = Wallet(member, "?limit=5");
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(Items(whole).size(), 5u);
  EXPECT_TRUE(whole.Json()["next_cursor"].is_null()) << whole.body;
  EXPECT_EQ(Items(Wallet(member)).size(), 5u) << "default limit 50";

  EXPECT_TRUE(IsProblem(Wallet(member, "?limit=0"), 400, "invalid_limit", "limit"));
  EXPECT_TRUE(IsProblem(Wallet(member, "?limit=201"), 400, "invalid_limit", "limit"));
  EXPECT_TRUE(IsProblem(Wallet(member, "?limit=two"), 400, "invalid_limit", "limit"));
  EXPECT_TRUE(IsProblem(Wallet(kNoSuchMember), 404, "member_not_found"));
  EXPECT_TRUE(Items(Wallet(Enrol())).empty()) << "a new member's wallet is empty";
}

// ---- Looking codes up -------------------------------------------------------------------------

TEST_F(CouponsE2e, LookupFindsCodesHoweverTheyAreTyped) {
  const std::string member = Enrol();
  const std::string code = IssueOne(member);
  ASSERT_EQ(code.size(), 14u);
  const HttpResult exact = Lookup(code);
  ASSERT_EQ(exact.status, 200) << exact.body;
  const json view = exact.Json();
  EXPECT_EQ(view["code"], code);
  EXPECT_EQ(view["state"], "available");
  EXPECT_EQ(view["member_id"], member);
  EXPECT_EQ(view["definition"]["id"], definition_id_);
  EXPECT_EQ(view, Items(Wallet(member))[0]) << "the lookup and the wallet agree";

  const std::string display = view["display_code"];
  for (const std::string& typed :
       {display, Lower(display), Lower(code), display.substr(0, 9) + Lower(display.substr(9)),
        "-" + display + "-", "---" + WithoutDashes(display)}) {
    const HttpResult r = Lookup(typed);
    EXPECT_EQ(r.status, 200) << "'" << typed << "': " << r.body;
    EXPECT_EQ(r.Json().value("code", ""), code) << typed;
  }
  // Spaces where the dashes were, as a till sends them (percent-encoded in the path).
  std::string spaced = display;
  for (char& c : spaced) {
    if (c == '-') c = ' ';
  }
  for (const std::string& path : {UrlEncode(spaced), UrlEncode(Lower(spaced))}) {
    const HttpResult r = Lookup(path);
    EXPECT_EQ(r.status, 200) << "/v1/coupons/" << path << ": " << r.body;
    EXPECT_EQ(r.Json().value("code", ""), code) << path;
  }
  // Every role that works a till or reads the program may look codes up.
  for (const char* user : {"manager1", "auditor", "marketer", "admin"}) {
    EXPECT_EQ(Lookup(code, user).status, 200) << user;
  }
  EXPECT_EQ(http().Get("/v1/coupons/" + code).status, 401) << "not without a token";
}

TEST_F(CouponsE2e, TyposAre400AndUnknownCodesAre404) {
  const std::string code = IssueOne(Enrol());
  ASSERT_EQ(code.size(), 14u);
  // Every single-symbol substitution is caught by the check symbol.
  for (size_t i = 0; i < code.size(); ++i) {
    std::string typo = code;
    typo[i] = OtherSymbol(typo[i]);
    EXPECT_TRUE(IsProblem(Lookup(typo), 400, "invalid_code", "code")) << typo;
  }
  // So is swapping two neighbouring symbols.
  for (size_t i = 0; i + 1 < code.size(); ++i) {
    if (code[i] == code[i + 1]) continue;
    std::string swapped = code;
    std::swap(swapped[i], swapped[i + 1]);
    EXPECT_TRUE(IsProblem(Lookup(swapped), 400, "invalid_code", "code")) << swapped;
  }
  // Characters the codes never use, a wrong length, and junk.
  for (const char ambiguous : {'O', '0', 'I', '1', 'o', 'i'}) {
    std::string typo = code;
    typo[3] = ambiguous;
    EXPECT_TRUE(IsProblem(Lookup(typo), 400, "invalid_code", "code")) << typo;
  }
  EXPECT_TRUE(IsProblem(Lookup(code.substr(0, 13)), 400, "invalid_code", "code"));
  EXPECT_TRUE(IsProblem(Lookup(code + "X"), 400, "invalid_code", "code"));
  EXPECT_TRUE(IsProblem(Lookup("ABC"), 400, "invalid_code", "code"));
  EXPECT_TRUE(IsProblem(Lookup(std::string(80, 'A')), 400, "invalid_code", "code"));
  EXPECT_TRUE(IsProblem(Lookup("%23%23%23"), 400, "invalid_code", "code"));

  // Of the 32 possible last symbols of a fresh body exactly one passes the check: that code is
  // well formed but nobody holds it.
  std::string body;
  for (size_t i = 0; i < 13; ++i) body += kAlphabet[(i * 7 + 5) % kAlphabet.size()];
  int well_formed = 0;
  for (const char check : kAlphabet) {
    const std::string candidate = body + check;
    const HttpResult r = Lookup(candidate);
    if (r.status == 400) {
      EXPECT_TRUE(IsProblem(r, 400, "invalid_code", "code")) << candidate;
      continue;
    }
    ++well_formed;
    EXPECT_TRUE(IsProblem(r, 404, "coupon_not_found")) << candidate;
    EXPECT_EQ(r.Json().value("type", ""), "urn:loyalty:problem:coupon_not_found") << r.body;
    EXPECT_TRUE(IsProblem(Lookup(Grouped(Lower(candidate))), 404, "coupon_not_found"));
  }
  EXPECT_EQ(well_formed, 1);
}

// ---- Revoking ---------------------------------------------------------------------------------

TEST_F(CouponsE2e, RevokedCouponsShowAsRevoked) {
  const std::string member = Enrol();
  const std::string code = IssueOne(member);
  const std::string kept = IssueOne(member);
  ASSERT_FALSE(code.empty());
  const HttpResult revoked = Revoke(code, {{"reason", "issued by mistake"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  const json v = revoked.Json();
  EXPECT_EQ(v["code"], code);
  EXPECT_EQ(v["state"], "revoked");
  EXPECT_EQ(v["revoke_reason"], "issued by mistake");
  EXPECT_TRUE(v["revoked_at"].is_string()) << v.dump();
  EXPECT_EQ(v["member_id"], member);

  const json items = Items(Wallet(member));
  ASSERT_EQ(items.size(), 2u) << "a revoked coupon stays in the wallet, shown as revoked";
  for (const auto& item : items) {
    EXPECT_EQ(item["state"], item["code"] == code ? "revoked" : "available") << item.dump();
  }
  const json looked_up = Lookup(code).Json();
  EXPECT_EQ(looked_up["state"], "revoked");
  EXPECT_EQ(looked_up["revoke_reason"], "issued by mistake");

  // Revoking again is a conflict, and keeps the first reason.
  const HttpResult twice = Revoke(code, {{"reason", "again"}});
  EXPECT_TRUE(IsProblem(twice, 409, "coupon_revoked"));
  EXPECT_EQ(twice.Json().value("type", ""), "urn:loyalty:problem:coupon_revoked") << twice.body;
  EXPECT_EQ(Lookup(code).Json()["revoke_reason"], "issued by mistake");

  // Bad requests change nothing.
  EXPECT_TRUE(IsProblem(Revoke(kept, json::object()), 400, "missing_field", "reason"));
  EXPECT_TRUE(IsProblem(Revoke(kept, {{"reason", ""}}), 400, "invalid_reason", "reason"));
  EXPECT_TRUE(IsProblem(Revoke(kept, {{"reason", std::string(256, 'x')}}), 400, "invalid_reason",
                        "reason"));
  EXPECT_TRUE(IsProblem(Revoke(kept, {{"reason", 7}}), 400, "invalid_type", "reason"));
  EXPECT_TRUE(IsProblem(Revoke(kept, {{"reason", "x"}, {"notify", true}}), 400, "unknown_field",
                        "notify"));
  std::string typo = kept;
  typo[5] = OtherSymbol(typo[5]);
  EXPECT_TRUE(IsProblem(Revoke(typo, {{"reason", "x"}}), 400, "invalid_code", "code"));
  EXPECT_EQ(Lookup(kept).Json()["state"], "available");

  // Admins may revoke, by the printed code in lower case.
  const HttpResult by_admin =
      Revoke(Lower(Grouped(kept)), {{"reason", "customer complaint"}}, "admin");
  ASSERT_EQ(by_admin.status, 200) << by_admin.body;
  EXPECT_EQ(by_admin.Json()["code"], kept);
  EXPECT_EQ(Lookup(kept).Json()["state"], "revoked");
}

TEST_F(CouponsE2e, RevokingAnUnknownCodeIs404) {
  // A well-formed code nobody holds: the one last symbol (of 32) that passes the check.
  const std::string body = "23456789ABCDE";
  for (const char check : kAlphabet) {
    const HttpResult r = Lookup(body + check);
    if (r.status == 400) continue;
    EXPECT_TRUE(IsProblem(Revoke(body + check, {{"reason", "x"}}), 404, "coupon_not_found"));
    return;
  }
  ADD_FAILURE() << "no last symbol made a well-formed code";
}

// ---- Roles ------------------------------------------------------------------------------------

TEST_F(CouponsE2e, OnlyMarketersAndAdminsIssueAndRevoke) {
  const std::string member = Enrol();
  for (const char* user : {"cashier1", "manager1", "auditor"}) {
    EXPECT_TRUE(IsProblem(Issue({{"member_ids", {member}}}, user), 403, "forbidden")) << user;
    EXPECT_TRUE(IsProblem(Issue({{"count", 5}}, user), 403, "forbidden")) << user;
  }
  EXPECT_TRUE(Items(Wallet(member)).empty()) << "nothing was issued";
  EXPECT_EQ(http()
                .Request("POST", "/v1/coupon-definitions/" + definition_id_ + "/issue",
                         json{{"member_ids", {member}}}.dump(), {})
                .status,
            401);

  const std::string code = IssueOne(member);
  for (const char* user : {"cashier1", "manager1", "auditor"}) {
    EXPECT_TRUE(IsProblem(Revoke(code, {{"reason", "no"}}, user), 403, "forbidden")) << user;
  }
  // The cashier can still see it, untouched, in the wallet and by code.
  const HttpResult looked_up = Lookup(code, "cashier1");
  ASSERT_EQ(looked_up.status, 200) << looked_up.body;
  EXPECT_EQ(looked_up.Json()["state"], "available");
  const json items = Items(Wallet(member, "", "cashier1"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["state"], "available");

  // Issue jobs are marketing's business too.
  const HttpResult job = Issue({{"count", 1}});
  ASSERT_EQ(job.status, 202) << job.body;
  const std::string job_id = job.Json()["job"]["job_id"];
  EXPECT_TRUE(IsProblem(http().Get("/v1/coupon-issue-jobs/" + job_id, Token("cashier1")), 403,
                        "forbidden"));
  EXPECT_TRUE(IsProblem(http().Get("/v1/coupon-issue-jobs/" + job_id + "/codes", Token("cashier1")),
                        403, "forbidden"));
  EXPECT_EQ(http().Get("/v1/coupon-issue-jobs/" + job_id, Token("admin")).status, 200);
  EXPECT_TRUE(IsProblem(http().Get("/v1/coupon-issue-jobs/nope", Token("marketer")), 404,
                        "issue_job_not_found"));
  EXPECT_TRUE(IsProblem(http().Get("/v1/coupon-issue-jobs/nope/codes", Token("marketer")), 404,
                        "issue_job_not_found"));
}

// ---- Bulk codes -------------------------------------------------------------------------------

TEST_F(CouponsE2e, BulkJobMakes2500CodesInTwoBatches) {
  const auto started = std::chrono::steady_clock::now();
  const HttpResult r = Issue({{"count", 2500}});
  ASSERT_EQ(r.status, 202) << r.body;
  const json job = r.Json()["job"];
  const std::string job_id = job["job_id"];
  EXPECT_EQ(r.Header("location"), "/v1/coupon-issue-jobs/" + job_id);
  EXPECT_EQ(job["requested"], 2500);
  EXPECT_EQ(job["definition_id"], definition_id_);
  EXPECT_EQ(job["codes_url"], "/v1/coupon-issue-jobs/" + job_id + "/codes");
  EXPECT_TRUE(job["state"] == "queued" || job["state"] == "running" || job["state"] == "done")
      << job.dump();

  const json done = AwaitJob(job_id);
  ASSERT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(done["issued"], 2500);
  EXPECT_EQ(done["requested"], 2500);
  EXPECT_TRUE(done["finished_at"].is_string()) << done.dump();
  EXPECT_TRUE(done["error"].is_null()) << done.dump();

  const HttpResult csv = http().Get(done["codes_url"].get<std::string>(), Token("marketer"));
  ASSERT_EQ(csv.status, 200) << csv.body.substr(0, 500);
  EXPECT_TRUE(csv.Header("content-type").starts_with("text/csv")) << csv.Header("content-type");
  EXPECT_NE(csv.Header("content-disposition").find("coupons-" + job_id + ".csv"), std::string::npos)
      << csv.Header("content-disposition");
  const auto rows = CsvRows(csv.body);
  ASSERT_EQ(rows.size(), 2500u);
  std::set<std::string> codes;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 4u) << "code,display_code,valid_from,valid_until";
    EXPECT_EQ(row[0].size(), 14u) << row[0];
    EXPECT_EQ(row[1], Grouped(row[0]));
    EXPECT_FALSE(row[3].empty()) << "the definition is valid 30 days after issue";
    codes.insert(row[0]);
  }
  EXPECT_EQ(codes.size(), 2500u) << "every code distinct";
  // The 2,500 rows are in code order (the CSV pages through the codes).
  std::vector<std::string> in_order;
  for (const auto& row : rows) in_order.push_back(row[0]);
  EXPECT_TRUE(std::is_sorted(in_order.begin(), in_order.end()));

  // Every one of them is a real, unassigned, available coupon.
  int checked = 0;
  for (const auto& row : rows) {
    const HttpResult found = Lookup(checked % 2 ? row[1] : row[0]);
    ASSERT_EQ(found.status, 200) << row[0] << ": " << found.body;
    const json v = found.Json();
    EXPECT_EQ(v["code"], row[0]);
    EXPECT_EQ(v["state"], "available") << row[0];
    EXPECT_TRUE(v["member_id"].is_null()) << row[0];
    EXPECT_EQ(v["definition_id"], definition_id_);
    EXPECT_EQ(v["valid_until"], row[3]);
    ++checked;
  }
  EXPECT_EQ(checked, 2500);
  // A finished job's CSV is the same every time.
  EXPECT_EQ(http().Get(done["codes_url"].get<std::string>(), Token("admin")).body, csv.body);
  std::cout << "[ bulk job ] 2500 codes issued, exported and looked up in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s\n";
}

TEST_F(CouponsE2e, BulkCodesCarryTheirPrefix) {
  const HttpResult r = Issue({{"count", 3}, {"prefix", "sale"}});
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Json()["job"]["prefix"], "SALE") << "prefixes are upper-cased";
  const json done = AwaitJob(r.Json()["job"]["job_id"].get<std::string>());
  ASSERT_EQ(done["state"], "done") << done.dump();
  const auto rows = CsvRows(
      http().Get(done["codes_url"].get<std::string>(), Token("marketer")).body);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 4u);
    EXPECT_TRUE(row[0].starts_with("SALE-")) << row[0];
    EXPECT_EQ(row[0].size(), 19u) << row[0];
    EXPECT_TRUE(row[1].starts_with("SALE-")) << row[1];
    EXPECT_EQ(row[1], Grouped(row[0]));
    const HttpResult found = Lookup(Lower(row[1]));
    ASSERT_EQ(found.status, 200) << row[1] << ": " << found.body;
    EXPECT_EQ(found.Json()["code"], row[0]);
    EXPECT_TRUE(found.Json()["member_id"].is_null());
    // The check symbol covers the prefix: another campaign's prefix is a typo.
    std::string other = row[0];
    other[0] = 'F';
    EXPECT_TRUE(IsProblem(Lookup(other), 400, "invalid_code", "code")) << other;
  }
}

// ---- Bad input --------------------------------------------------------------------------------

TEST_F(CouponsE2e, EveryBadIssueRequestIsA4xxAndIssuesNothing) {
  const std::string member = Enrol();
  // Neither or both audiences.
  EXPECT_TRUE(IsProblem(Issue(json::object()), 400, "invalid_issue_request", "member_ids"));
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", json::array()}}), 400, "invalid_issue_request",
                        "member_ids"));
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", {member}}, {"count", 5}}), 400,
                        "invalid_issue_request", "member_ids"));
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", nullptr}, {"count", nullptr}}), 400,
                        "invalid_issue_request", "member_ids"));
  // Counts.
  for (const json& count : {json(0), json(-1), json(10'000'001), json(INT64_MAX)}) {
    EXPECT_TRUE(IsProblem(Issue({{"count", count}}), 400, "invalid_count", "count")) << count;
  }
  for (const json& count : {json("5"), json(2.5), json(true), json::array({5}),
                            json::parse("18446744073709551615")}) {
    EXPECT_TRUE(IsProblem(Issue({{"count", count}}), 400, "invalid_type", "count")) << count;
  }
  // Prefixes.
  for (const char* prefix : {"SALE0", "SALEO", "SALE1", "SALEI", "SA-LE", "SA LE", "ABCDEFGHJ",
                             "双十一"}) {
    EXPECT_TRUE(IsProblem(Issue({{"count", 5}, {"prefix", prefix}}), 400, "invalid_coupon_prefix",
                          "prefix"))
        << prefix;
  }
  EXPECT_TRUE(IsProblem(Issue({{"count", 5}, {"prefix", 5}}), 400, "invalid_type", "prefix"));
  // member_ids must be an array of strings.
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", member}}), 400, "invalid_type", "member_ids"));
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", {member, 5}}}), 400, "invalid_type", "member_ids[1]"));
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", json::array({json::object()})}}), 400, "invalid_type",
                        "member_ids[0]"));
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", {member, nullptr}}}), 400, "invalid_type",
                        "member_ids[1]"));
  // Unknown members, all or nothing: the known one gets nothing either.
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", {member, kNoSuchMember}}}), 404, "member_not_found",
                        "member_ids[1]"));
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", {kNoSuchMember}}}), 404, "member_not_found",
                        "member_ids[0]"));
  std::vector<std::string> crowd(1001);
  for (size_t i = 0; i < crowd.size(); ++i) crowd[i] = "m" + std::to_string(i);
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", crowd}}), 400, "too_many_members", "member_ids"));
  // Unknown definitions.
  EXPECT_TRUE(IsProblem(IssueFor("nope", {{"member_ids", {member}}}), 404,
                        "coupon_definition_not_found"));
  EXPECT_TRUE(IsProblem(IssueFor("nope", {{"count", 5}}), 404, "coupon_definition_not_found"));
  // Unknown fields, bad JSON, wrong media type.
  EXPECT_TRUE(IsProblem(Issue({{"member_ids", {member}}, {"segment", "vip"}}), 400,
                        "unknown_field", "segment"));
  const std::string path = "/v1/coupon-definitions/" + definition_id_ + "/issue";
  EXPECT_TRUE(IsProblem(http().Request("POST", path, "{\"member_ids\": [",
                                       {{"Authorization", "Bearer " + Token("marketer")},
                                        {"Content-Type", "application/json"}}),
                        400, "invalid_json"));
  EXPECT_TRUE(IsProblem(http().Request("POST", path, "[1]",
                                       {{"Authorization", "Bearer " + Token("marketer")},
                                        {"Content-Type", "application/json"}}),
                        400, "invalid_json"));
  EXPECT_TRUE(IsProblem(http().Request("POST", path, "count=5",
                                       {{"Authorization", "Bearer " + Token("marketer")},
                                        {"Content-Type", "application/x-www-form-urlencoded"}}),
                        415, "unsupported_media_type"));
  EXPECT_TRUE(IsProblem(IssueFor(definition_id_, {{"count", 5}}, "marketer", std::string(129, 'k')),
                        400, "invalid_idempotency_key"));

  EXPECT_TRUE(Items(Wallet(member)).empty()) << "no bad request issued anything";
}

// ---- Points for coupons -----------------------------------------------------------------------

TEST_F(CouponsE2e, MembersExchangePointsForCoupons) {
  const std::string reward = CreateReward(500);
  ASSERT_FALSE(reward.empty());
  const std::string member = Enrol();
  const int64_t start = Available(member);
  ASSERT_GE(start, 0);
  ASSERT_LT(start, 600) << "the default program awards little at enrolment";
  // Top the member up to 600 with a manager's adjustment (under the approval threshold).
  if (start < 600) {
    const HttpResult adjusted = http().Post("/v1/members/" + member + "/points/adjustments",
                                            {{"points", 600 - start}, {"reason", "goodwill"}},
                                            Token("manager1"));
    ASSERT_EQ(adjusted.status, 201) << adjusted.body;
    ASSERT_EQ(adjusted.Json()["status"], "applied");
  }
  ASSERT_EQ(Available(member), 600);

  const HttpResult exchanged = Exchange(member, {{"definition_id", reward}});
  ASSERT_EQ(exchanged.status, 201) << exchanged.body;
  const json v = exchanged.Json();
  EXPECT_EQ(v["state"], "available");
  EXPECT_EQ(v["member_id"], member);
  EXPECT_EQ(v["definition_id"], reward);
  EXPECT_EQ(v["name_en"], "Points reward");
  EXPECT_EQ(v["definition"]["points_cost"], 500);
  EXPECT_EQ(Available(member), 100);
  const json items = Items(Wallet(member));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["code"], v["code"]);
  EXPECT_EQ(Lookup(v["code"].get<std::string>()).Json()["member_id"], member);

  // 100 points do not buy a 500-point coupon: nothing is spent and nothing issued.
  EXPECT_TRUE(IsProblem(Exchange(member, {{"definition_id", reward}}), 409, "insufficient_points"));
  EXPECT_EQ(Available(member), 100);
  EXPECT_EQ(Items(Wallet(member)).size(), 1u);

  // Coupons without a points price are not in the catalogue.
  const HttpResult free_one = Exchange(member, {{"definition_id", definition_id_}});
  EXPECT_TRUE(IsProblem(free_one, 409, "coupon_not_exchangeable"));
  EXPECT_EQ(Available(member), 100);
  EXPECT_EQ(Items(Wallet(member)).size(), 1u);
}

TEST_F(CouponsE2e, ExchangeRefusesBadRequestsAndReplaysItsKey) {
  const std::string reward = CreateReward(500);
  ASSERT_FALSE(reward.empty());
  const std::string member = Enrol();
  const int64_t start = Available(member);
  // 5,000 points: over the threshold, so a manager asks and an admin approves.
  const HttpResult asked = http().Post("/v1/members/" + member + "/points/adjustments",
                                       {{"points", 5000}, {"reason", "store opening"}},
                                       Token("manager1"));
  ASSERT_EQ(asked.status, 202) << asked.body;
  const HttpResult approved = http().Post(
      "/v1/points/adjustments/" + asked.Json()["adjustment_id"].get<std::string>() + "/approve",
      json::object(), Token("admin"));
  ASSERT_EQ(approved.status, 200) << approved.body;
  ASSERT_EQ(Available(member), start + 5000);

  // The same key twice: one coupon, paid for once.
  const std::string key = "exchange-" + RandomHex(16);
  const HttpResult first = Exchange(member, {{"definition_id", reward}}, "cashier1", key);
  ASSERT_EQ(first.status, 201) << first.body;
  const HttpResult repeat = Exchange(member, {{"definition_id", reward}}, "cashier1", key);
  ASSERT_EQ(repeat.status, 201) << repeat.body;
  EXPECT_EQ(repeat.Json()["code"], first.Json()["code"]);
  EXPECT_EQ(repeat.Header("idempotent-replayed"), "true");
  EXPECT_EQ(Available(member), start + 4500);
  EXPECT_EQ(Items(Wallet(member)).size(), 1u);
  // Without a key, another exchange is another coupon; managers and admins may do it too.
  ASSERT_EQ(Exchange(member, {{"definition_id", reward}}, "manager1").status, 201);
  ASSERT_EQ(Exchange(member, {{"definition_id", reward}}, "admin").status, 201);
  EXPECT_EQ(Available(member), start + 3500);
  EXPECT_EQ(Items(Wallet(member)).size(), 3u);

  // Bad requests spend nothing.
  EXPECT_TRUE(IsProblem(Exchange(member, {{"definition_id", reward}}, "marketer"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(Exchange(member, {{"definition_id", reward}}, "auditor"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(Exchange(member, {{"definition_id", "nope"}}), 404,
                        "coupon_definition_not_found"));
  EXPECT_TRUE(IsProblem(Exchange(kNoSuchMember, {{"definition_id", reward}}), 404,
                        "member_not_found"));
  EXPECT_TRUE(IsProblem(Exchange(member, json::object()), 400, "missing_field", "definition_id"));
  EXPECT_TRUE(IsProblem(Exchange(member, {{"definition_id", 5}}), 400, "invalid_type",
                        "definition_id"));
  EXPECT_TRUE(IsProblem(Exchange(member, {{"definition_id", reward}, {"points", 500}}), 400,
                        "unknown_field", "points"));
  EXPECT_EQ(Available(member), start + 3500);
  EXPECT_EQ(Items(Wallet(member)).size(), 3u);
}

}  // namespace
}  // namespace loyalty::testing::e2e
