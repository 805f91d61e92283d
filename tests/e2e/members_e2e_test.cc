// Members end to end: enrol, duplicates across phone formats, exact lookups, card typos, edits
// and consents, export, erasure, and a 4xx (never a 5xx) for every kind of bad input.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

// Damm check digit, written independently of the server's (loyalty/domain/card_number.cc).
char DammCheck(const std::string& digits) {
  static constexpr int kTable[10][10] = {
      {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
      {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
      {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
      {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
      {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};
  int interim = 0;
  for (char c : digits) interim = kTable[interim][c - '0'];
  return static_cast<char>('0' + interim);
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

class MembersE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = SuiteServer::Start();
    // 张伟, the member most tests look up or collide with.
    const HttpResult r = suite_->http->Post("/v1/members",
                                            {{"phone", "13800138000"},
                                             {"email", "zhang.wei@example.com"},
                                             {"name", "张伟"},
                                             {"home_store_id", "S1"}},
                                            suite_->Token("cashier1"));
    if (r.status == 201) zhang_ = r.Json();
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    ASSERT_TRUE(zhang_.is_object()) << "enrolling the shared member failed";
  }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }
  const std::string& Cashier() { return Token("cashier1"); }
  static std::string ZhangId() { return zhang_["member_id"]; }

  static std::string NewPhone() {
    static std::atomic<int> next{0};
    return "1392000" + std::to_string(1000 + next++);
  }

  nlohmann::json Enrol(nlohmann::json body) {
    const HttpResult r = http().Post("/v1/members", body, Cashier());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json();
  }

  HttpResult Lookup(const std::string& key, const std::string& value) {
    return http().Get("/v1/members?" + key + "=" + UrlEncode(value), Cashier());
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline nlohmann::json zhang_;
};

TEST_F(MembersE2e, EnrolAnswers201WithTheNormalisedMember) {
  const HttpResult r = http().Post("/v1/members",
                                   {{"phone", "139 1234 5678"},
                                    {"email", " Li.Lei@Example.COM "},
                                    {"name", "李雷"},
                                    {"birthday", "1990-05-17"},
                                    {"home_store_id", "S1"},
                                    {"consents", {{"sms", true}}}},
                                   Cashier());
  ASSERT_EQ(r.status, 201) << r.body;
  const auto j = r.Json();
  ASSERT_TRUE(j["member_id"].is_string());
  const std::string id = j["member_id"];
  EXPECT_EQ(r.Header("location"), "/v1/members/" + id);
  ASSERT_TRUE(j["card_no"].is_string());
  const std::string card = j["card_no"];
  EXPECT_TRUE(std::regex_match(card, std::regex("[1-9][0-9]{15}"))) << card;
  EXPECT_EQ(DammCheck(card), '0') << card;
  EXPECT_EQ(j["phone"], "+8613912345678");
  EXPECT_EQ(j["email"], "li.lei@example.com");
  EXPECT_EQ(j["name"], "李雷");
  EXPECT_EQ(j["birthday"], "1990-05-17");
  EXPECT_EQ(j["home_store_id"], "S1");
  EXPECT_EQ(j["consents"], (nlohmann::json{{"sms", true}, {"email", false}, {"wechat", false}}));
  EXPECT_EQ(j["tier"], "base");
  EXPECT_EQ(j["status"], "active");

  // The Location answers the same member.
  const HttpResult got = http().Get(r.Header("location"), Cashier());
  ASSERT_EQ(got.status, 200) << got.body;
  auto same = got.Json();
  EXPECT_EQ(same, j);

  // Card numbers differ between members.
  EXPECT_NE(card, zhang_["card_no"]);
  // Optional fields may be left out.
  const auto minimal = Enrol({{"phone", NewPhone()}, {"name", "Min"}});
  EXPECT_TRUE(minimal["email"].is_null());
  EXPECT_TRUE(minimal["birthday"].is_null());
  EXPECT_EQ(minimal["consents"],
            (nlohmann::json{{"sms", false}, {"email", false}, {"wechat", false}}));
}

TEST_F(MembersE2e, SamePhoneInAnyFormatIsADuplicateNamingTheMember) {
  for (const char* phone : {"138 0013 8000", "+86 13800138000", "8613800138000", "+8613800138000",
                            "13800138000", "+86-138-0013-8000"}) {
    const HttpResult r = http().Post(
        "/v1/members", {{"phone", phone}, {"name", "张伟二号"}, {"email", "other@example.com"}},
        Cashier());
    EXPECT_TRUE(IsProblem(r, 409, "duplicate_phone", "phone")) << phone;
    EXPECT_EQ(r.Json()["existing_member_id"], ZhangId()) << phone;
  }
  // Nothing of the refused attempts was kept.
  EXPECT_TRUE(Items(Lookup("email", "other@example.com")).empty());
}

TEST_F(MembersE2e, SameEmailInOtherCaseIsADuplicate) {
  const std::string phone = NewPhone();
  const HttpResult r = http().Post(
      "/v1/members", {{"phone", phone}, {"name", "张伟"}, {"email", "ZHANG.Wei@EXAMPLE.com"}},
      Cashier());
  EXPECT_TRUE(IsProblem(r, 409, "duplicate_email", "email"));
  EXPECT_EQ(r.Json()["existing_member_id"], ZhangId());
  // No partial write: the phone is free.
  EXPECT_TRUE(Items(Lookup("phone", phone)).empty());
  EXPECT_EQ(http().Post("/v1/members", {{"phone", phone}, {"name", "张伟"}}, Cashier()).status,
            201);
}

TEST_F(MembersE2e, LookupsFindTheMemberByAnyFormOfTheKey) {
  const std::string card = zhang_["card_no"];
  const std::string spaced = card.substr(0, 4) + " " + card.substr(4, 4) + " " + card.substr(8, 4) +
                             " " + card.substr(12, 4);
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"phone", "13800138000"},
      {"phone", "138 0013 8000"},
      {"phone", "+86 13800138000"},
      {"phone", "+8613800138000"},
      {"phone", "8613800138000"},
      {"email", "ZHANG.WEI@EXAMPLE.COM"},
      {"email", "zhang.wei@example.com"},
      {"card_no", card},
      {"card_no", spaced},
      {"card_no", card.substr(0, 4) + "-" + card.substr(4, 4) + "-" + card.substr(8, 4) + "-" +
                      card.substr(12, 4)},
  };
  for (const auto& [key, value] : keys) {
    const HttpResult r = Lookup(key, value);
    ASSERT_EQ(r.status, 200) << key << "=" << value << " " << r.body;
    const auto items = Items(r);
    ASSERT_EQ(items.size(), 1u) << key << "=" << value << " " << r.body;
    EXPECT_EQ(items[0]["member_id"], ZhangId());
    EXPECT_EQ(items[0]["phone"], "+8613800138000");
    EXPECT_EQ(items[0]["card_no"], card);
  }
}

TEST_F(MembersE2e, ACardNumberTypoIsInvalidNotNotFound) {
  const std::string card = zhang_["card_no"];
  // Damm catches every single-digit error...
  for (size_t i = 0; i < card.size(); ++i) {
    std::string typo = card;
    typo[i] = static_cast<char>('0' + (typo[i] - '0' + 1) % 10);
    const HttpResult r = Lookup("card_no", typo);
    EXPECT_TRUE(IsProblem(r, 400, "invalid_card_number", "card_no")) << typo;
  }
  // ...and every swap of adjacent different digits.
  for (size_t i = 0; i + 1 < card.size(); ++i) {
    if (card[i] == card[i + 1]) continue;
    std::string swapped = card;
    std::swap(swapped[i], swapped[i + 1]);
    EXPECT_TRUE(IsProblem(Lookup("card_no", swapped), 400, "invalid_card_number", "card_no"))
        << swapped;
  }
  for (const std::string& bad : std::vector<std::string>{card.substr(0, 15), card + "0",
                                                         std::string("abcd") + card.substr(4),
                                                         std::string(""), std::string(200, '1')}) {
    EXPECT_TRUE(IsProblem(Lookup("card_no", bad), 400, "invalid_card_number", "card_no")) << bad;
  }
}

TEST_F(MembersE2e, UnknownButWellFormedKeysFindNothing) {
  std::string card = "9";
  while (card.size() < 15) card += static_cast<char>('0' + std::random_device()() % 10);
  card += DammCheck(card);
  ASSERT_NE(card, zhang_["card_no"]);
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"card_no", card}, {"phone", "13700137000"}, {"email", "nobody@example.com"}}) {
    const HttpResult r = Lookup(key, value);
    ASSERT_EQ(r.status, 200) << key << " " << r.body;
    EXPECT_EQ(r.Json(), (nlohmann::json{{"items", nlohmann::json::array()}})) << key;
  }
}

TEST_F(MembersE2e, LookupNeedsExactlyOneValidKey) {
  EXPECT_TRUE(IsProblem(http().Get("/v1/members", Cashier()), 400, "lookup_key_required"));
  EXPECT_TRUE(IsProblem(http().Get("/v1/members?name=%E5%BC%A0%E4%BC%9F", Cashier()), 400,
                        "lookup_key_required"));
  EXPECT_TRUE(IsProblem(
      http().Get("/v1/members?phone=13800138000&email=zhang.wei%40example.com", Cashier()), 400,
      "lookup_key_required"));
  EXPECT_TRUE(IsProblem(
      http().Get("/v1/members?phone=13800138000&card_no=" + zhang_["card_no"].get<std::string>(),
                 Cashier()),
      400, "lookup_key_required"));
  EXPECT_TRUE(IsProblem(Lookup("phone", "12345"), 400, "invalid_phone", "phone"));
  EXPECT_TRUE(IsProblem(Lookup("phone", ""), 400, "invalid_phone", "phone"));
  EXPECT_TRUE(IsProblem(Lookup("email", "not-an-email"), 400, "invalid_email", "email"));
}

TEST_F(MembersE2e, ConsentChangesShowAndAreRecorded) {
  const auto member = Enrol(
      {{"phone", NewPhone()}, {"name", "王芳"}, {"consents", {{"sms", true}, {"email", true}}}});
  const std::string path = "/v1/members/" + member["member_id"].get<std::string>();
  ASSERT_EQ(http().Get(path, Cashier()).status, 200);  // now cached, if the cache is up

  const HttpResult patched =
      http().Patch(path, {{"consents", {{"sms", false}, {"wechat", true}}}}, Cashier());
  ASSERT_EQ(patched.status, 200) << patched.body;
  const nlohmann::json expected = {{"sms", false}, {"email", true}, {"wechat", true}};
  EXPECT_EQ(patched.Json()["consents"], expected);
  const HttpResult got = http().Get(path, Cashier());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.Json()["consents"], expected);
  EXPECT_EQ(got.Json()["name"], "王芳");  // other fields untouched

  const HttpResult exported = http().Get(path + "/export", Token("admin"));
  ASSERT_EQ(exported.status, 200) << exported.body;
  const auto history = exported.Json()["consent_history"];
  ASSERT_TRUE(history.is_array()) << exported.body;
  auto count = [&](const std::string& channel, bool granted, const std::string& source_prefix) {
    int n = 0;
    for (const auto& e : history) {
      n += e["channel"] == channel && e["granted"] == granted && e["at"].is_string() &&
           e["source"].get<std::string>().starts_with(source_prefix);
    }
    return n;
  };
  EXPECT_EQ(count("sms", true, "enrol"), 1) << history.dump();
  EXPECT_EQ(count("email", true, "enrol"), 1) << history.dump();
  EXPECT_EQ(count("sms", false, "staff"), 1) << history.dump();
  EXPECT_EQ(count("wechat", true, "staff"), 1) << history.dump();
  EXPECT_EQ(count("email", false, ""), 0) << history.dump();  // e-mail consent never changed
  EXPECT_EQ(exported.Json()["member"]["consents"], expected);
}

TEST_F(MembersE2e, PatchRefusesBadValuesAndChangesNothing) {
  const auto member = Enrol({{"phone", NewPhone()}, {"name", "赵敏"}, {"birthday", "1985-01-02"}});
  const std::string path = "/v1/members/" + member["member_id"].get<std::string>();
  auto patch = [&](const std::string& body) {
    const HttpResult r = http().Request("PATCH", path, body, Bearer(Cashier()));
    EXPECT_LT(r.status, 500) << body;
    return r;
  };
  EXPECT_TRUE(IsProblem(patch(R"({"name":""})"), 400, "invalid_name", "name"));
  EXPECT_TRUE(IsProblem(patch(R"({"name":"   "})"), 400, "invalid_name", "name"));
  EXPECT_TRUE(IsProblem(patch(R"({"name":null})"), 400, "missing_field", "name"));
  EXPECT_TRUE(
      IsProblem(patch(R"({"birthday":"2026-02-30"})"), 400, "invalid_birthday", "birthday"));
  EXPECT_TRUE(
      IsProblem(patch(R"({"birthday":"1990-13-01"})"), 400, "invalid_birthday", "birthday"));
  EXPECT_TRUE(IsProblem(patch(R"({"phone":null})"), 400, "missing_field", "phone"));
  EXPECT_TRUE(IsProblem(patch(R"({"phone":"12345"})"), 400, "invalid_phone", "phone"));
  EXPECT_TRUE(IsProblem(patch(R"({"email":"not-an-email"})"), 400, "invalid_email", "email"));
  EXPECT_TRUE(IsProblem(patch(R"({"consents":"none"})"), 400, "invalid_type", "consents"));
  EXPECT_TRUE(
      IsProblem(patch(R"({"card_no":"1234567890123456"})"), 400, "unknown_field", "card_no"));
  EXPECT_TRUE(IsProblem(patch(R"({})"), 400, "empty_patch"));
  // A valid field next to an invalid one: all or nothing.
  EXPECT_TRUE(
      IsProblem(patch(R"({"consents":{"sms":true},"name":""})"), 400, "invalid_name", "name"));
  // Another member's phone.
  const HttpResult taken = patch(R"({"phone":"+86 138 0013 8000"})");
  EXPECT_TRUE(IsProblem(taken, 409, "duplicate_phone", "phone"));
  EXPECT_EQ(taken.Json()["existing_member_id"], ZhangId());
  const HttpResult email_taken = patch(R"({"email":"Zhang.Wei@Example.com"})");
  EXPECT_TRUE(IsProblem(email_taken, 409, "duplicate_email", "email"));
  EXPECT_EQ(email_taken.Json()["existing_member_id"], ZhangId());

  const HttpResult got = http().Get(path, Cashier());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.Json(), member);  // nothing changed, not even updated_at

  // Clearing the optional birthday is allowed.
  const HttpResult cleared = patch(R"({"birthday":null})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.Json()["birthday"].is_null());
}

TEST_F(MembersE2e, UnknownMemberIs404) {
  const std::string path = "/v1/members/" + RandomHex(24);
  EXPECT_TRUE(IsProblem(http().Get(path, Cashier()), 404, "member_not_found"));
  EXPECT_TRUE(IsProblem(http().Patch(path, {{"name", "x"}}, Cashier()), 404, "member_not_found"));
  EXPECT_TRUE(IsProblem(http().Get(path + "/export", Token("admin")), 404, "member_not_found"));
  EXPECT_TRUE(IsProblem(http().Delete(path, Token("admin")), 404, "member_not_found"));
  for (const std::string& odd :
       std::vector<std::string>{"x", std::string(300, 'a'), "%27%20OR%201%3D1%20--", "%00"}) {
    const HttpResult r = http().Get("/v1/members/" + odd, Cashier());
    EXPECT_TRUE(IsProblem(r, 404, "member_not_found")) << odd;
  }
}

TEST_F(MembersE2e, ExportHoldsProfileConsentsAndStaffActions) {
  const auto member = Enrol({{"phone", NewPhone()},
                             {"email", "export.me@example.com"},
                             {"name", "导出"},
                             {"birthday", "2000-02-29"}});
  const std::string id = member["member_id"];
  ASSERT_EQ(http().Patch("/v1/members/" + id, {{"name", "导出改"}}, Cashier()).status, 200);

  const HttpResult r = http().Get("/v1/members/" + id + "/export", Token("admin"));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = r.Json();
  EXPECT_EQ(j["member"]["member_id"], id);
  EXPECT_EQ(j["member"]["phone"], member["phone"]);
  EXPECT_EQ(j["member"]["email"], "export.me@example.com");
  EXPECT_EQ(j["member"]["name"], "导出改");
  EXPECT_EQ(j["member"]["birthday"], "2000-02-29");
  ASSERT_TRUE(j["consent_history"].is_array());
  EXPECT_EQ(j["consent_history"].size(), 3u) << j["consent_history"].dump();  // one per channel
  ASSERT_TRUE(j["staff_actions"].is_array());
  std::vector<std::string> actions;
  for (const auto& a : j["staff_actions"]) {
    EXPECT_EQ(a["target_id"], id);
    actions.push_back(a["action"]);
  }
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{"member.enrol", "member.update"}));
  for (const auto& a : j["staff_actions"]) {
    if (a["action"] == "member.update") {
      EXPECT_EQ(a["detail"], (nlohmann::json{{"fields", {"name"}}})) << a.dump();
    }
  }
}

TEST_F(MembersE2e, ErasureRemovesPersonalDataAndFreesThePhone) {
  const std::string phone = NewPhone();
  const auto member = Enrol({{"phone", phone},
                             {"email", "erase.me@example.com"},
                             {"name", "被遗忘"},
                             {"birthday", "1970-01-01"},
                             {"consents", {{"sms", true}, {"wechat", true}}}});
  const std::string id = member["member_id"];
  const std::string path = "/v1/members/" + id;
  ASSERT_EQ(http().Get(path, Cashier()).status, 200);  // cached before the erasure

  const HttpResult erased = http().Delete(path, Token("admin"));
  ASSERT_EQ(erased.status, 200) << erased.body;
  for (const HttpResult& r : {erased, http().Get(path, Cashier())}) {
    const auto j = r.Json();
    EXPECT_EQ(j["member_id"], id);
    EXPECT_EQ(j["card_no"], member["card_no"]);  // kept for the financial history
    EXPECT_EQ(j["status"], "erased");
    EXPECT_TRUE(j["phone"].is_null()) << j.dump();
    EXPECT_TRUE(j["email"].is_null()) << j.dump();
    EXPECT_TRUE(j["name"].is_null() || j["name"] == "") << j.dump();
    EXPECT_TRUE(j["birthday"].is_null()) << j.dump();
    EXPECT_EQ(j["consents"], (nlohmann::json{{"sms", false}, {"email", false}, {"wechat", false}}));
    EXPECT_EQ(r.body.find("被遗忘"), std::string::npos);
    EXPECT_EQ(r.body.find("erase.me"), std::string::npos);
  }
  EXPECT_TRUE(Items(Lookup("phone", phone)).empty());
  EXPECT_TRUE(Items(Lookup("email", "erase.me@example.com")).empty());

  // The export still answers, without the personal data, and shows the withdrawn consents.
  const HttpResult exported = http().Get(path + "/export", Token("admin"));
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.body.find("被遗忘"), std::string::npos);
  EXPECT_EQ(exported.body.find(phone.substr(3)), std::string::npos);
  const auto export_json = exported.Json();
  int withdrawn = 0;
  for (const auto& e : export_json["consent_history"]) {
    withdrawn += e["source"] == "erasure" && e["granted"] == false;
  }
  EXPECT_EQ(withdrawn, 2) << export_json["consent_history"].dump();
  bool erase_audited = false;
  for (const auto& a : export_json["staff_actions"]) {
    erase_audited = erase_audited || a["action"] == "member.erase";
  }
  EXPECT_TRUE(erase_audited);

  const HttpResult edit = http().Patch(path, {{"name", "回来了"}}, Cashier());
  EXPECT_TRUE(IsProblem(edit, 409, "member_erased"));
  const HttpResult again = http().Delete(path, Token("admin"));
  EXPECT_LT(again.status, 500) << again.body;

  // The same person can join again, as a new member.
  const HttpResult rejoin = http().Post(
      "/v1/members", {{"phone", phone}, {"email", "erase.me@example.com"}, {"name", "被遗忘"}},
      Cashier());
  ASSERT_EQ(rejoin.status, 201) << rejoin.body;
  EXPECT_NE(rejoin.Json()["member_id"], id);
  EXPECT_NE(rejoin.Json()["card_no"], member["card_no"]);
  const auto found = Items(Lookup("phone", phone));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["member_id"], rejoin.Json()["member_id"]);
}

TEST_F(MembersE2e, NameLimitIsFortyCharactersOfAnyScript) {
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "张";
  const auto ok = Enrol({{"phone", NewPhone()}, {"name", forty}});
  EXPECT_EQ(ok["name"], forty);
  const HttpResult too_long =
      http().Post("/v1/members", {{"phone", NewPhone()}, {"name", forty + "伟"}}, Cashier());
  EXPECT_TRUE(IsProblem(too_long, 400, "invalid_name", "name"));
}

// Every bad enrolment gets a 4xx naming the problem (and the field), never a 5xx, and writes
// nothing.
TEST_F(MembersE2e, EveryBadEnrolmentIsA4xxWithCodeAndField) {
  const std::string phone = NewPhone();
  const nlohmann::json good = {{"phone", phone}, {"name", "李雷"}};
  auto with = [&](const char* key, nlohmann::json value) {
    nlohmann::json b = good;
    b[key] = std::move(value);
    return b.dump();
  };
  auto without = [&](const char* key) {
    nlohmann::json b = good;
    b.erase(key);
    return b.dump();
  };
  std::string name41;
  for (int i = 0; i < 41; ++i) name41 += "张";
  struct Case {
    std::string label, body;
    long status;
    std::string code, field;
  };
  const std::vector<Case> cases = {
      {"missing phone", without("phone"), 400, "missing_field", "phone"},
      {"null phone", with("phone", nullptr), 400, "missing_field", "phone"},
      {"invalid phone", with("phone", "12345"), 400, "invalid_phone", "phone"},
      {"letters phone", with("phone", "call me maybe"), 400, "invalid_phone", "phone"},
      {"long phone", with("phone", std::string(100, '1')), 400, "invalid_phone", "phone"},
      {"number phone", with("phone", 13800138001LL), 400, "invalid_type", "phone"},
      {"missing name", without("name"), 400, "missing_field", "name"},
      {"empty name", with("name", ""), 400, "invalid_name", "name"},
      {"41 CJK name", with("name", name41), 400, "invalid_name", "name"},
      {"control char name", with("name", "李\x01雷"), 400, "invalid_name", "name"},
      {"number name", with("name", 42), 400, "invalid_type", "name"},
      {"object name", with("name", {{"first", "雷"}}), 400, "invalid_type", "name"},
      {"future birthday", with("birthday", "2999-01-01"), 400, "invalid_birthday", "birthday"},
      {"impossible birthday", with("birthday", "2026-02-30"), 400, "invalid_birthday", "birthday"},
      {"sloppy birthday", with("birthday", "1990-5-17"), 400, "invalid_birthday", "birthday"},
      {"ancient birthday", with("birthday", "1899-12-31"), 400, "invalid_birthday", "birthday"},
      {"number birthday", with("birthday", 19900517), 400, "invalid_type", "birthday"},
      {"bad email", with("email", "not-an-email"), 400, "invalid_email", "email"},
      {"two @ email", with("email", "a@b@example.com"), 400, "invalid_email", "email"},
      {"long email", with("email", std::string(250, 'a') + "@example.com"), 400, "invalid_email",
       "email"},
      {"bad store", with("home_store_id", "S 1"), 400, "invalid_store_id", "home_store_id"},
      {"consents string", with("consents", "all"), 400, "invalid_type", "consents"},
      {"consents list", with("consents", {"sms"}), 400, "invalid_type", "consents"},
      {"consents unknown channel", with("consents", {{"fax", true}}), 400, "unknown_field",
       "consents"},
      {"consent not bool", with("consents", {{"sms", "yes"}}), 400, "invalid_type", "consents.sms"},
      {"unknown field", with("points", 1000), 400, "unknown_field", "points"},
      {"malformed JSON", R"({"phone":"13912345678","name":)", 400, "invalid_json", ""},
      {"array body", R"([{"phone":"13912345678"}])", 400, "invalid_json", ""},
      {"null body", "null", 400, "invalid_json", ""},
      {"invalid UTF-8", "{\"phone\":\"" + phone + "\",\"name\":\"\xff\xfe\"}", 400, "invalid_json",
       ""},
      {"number too large for a double",
       R"({"phone":")" + phone + R"(","name":"李雷","birthday":1e400})", 400, "invalid_json", ""},
      {"deeply nested",
       R"({"phone":")" + phone + R"(","name":)" + Repeat("[", 100000) + Repeat("]", 100000) + "}",
       400, "invalid_type", "name"},
  };
  for (const Case& c : cases) {
    const HttpResult r = http().Request("POST", "/v1/members", c.body, Bearer(Cashier()));
    EXPECT_LT(r.status, 500) << c.label << ": " << r.body.substr(0, 300);
    EXPECT_TRUE(IsProblem(r, c.status, c.code, c.field)) << c.label;
  }
  // None of them enrolled anyone.
  EXPECT_TRUE(Items(Lookup("phone", phone)).empty());

  // Transport-level refusals.
  const std::string big =
      R"({"phone":")" + phone + R"(","name":")" + std::string(2 << 20, 'a') + "\"}";
  const HttpResult too_large = http().Request("POST", "/v1/members", big, Bearer(Cashier()));
  EXPECT_TRUE(IsProblem(too_large, 413, "body_too_large"));
  EXPECT_LT(too_large.seconds, 1.0);
  const HttpResult form = http().Request("POST", "/v1/members", "phone=" + phone + "&name=x",
                                         {{"Authorization", "Bearer " + Cashier()},
                                          {"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_TRUE(IsProblem(form, 415, "unsupported_media_type"));
  const HttpResult text =
      http().Request("POST", "/v1/members", good.dump(),
                     {{"Authorization", "Bearer " + Cashier()}, {"Content-Type", "text/plain"}});
  EXPECT_TRUE(IsProblem(text, 415, "unsupported_media_type"));
  EXPECT_TRUE(IsProblem(http().Get("/v1/memberz", Cashier()), 404, "route_not_found"));
  EXPECT_TRUE(IsProblem(http().Post("/v1/memberz", good, Cashier()), 404, "route_not_found"));
  EXPECT_TRUE(IsProblem(http().Get("/v1/members/a/b/c", Cashier()), 404, "route_not_found"));
  const HttpResult put = http().Request("PUT", "/v1/members", good.dump(), Bearer(Cashier()));
  EXPECT_TRUE(IsProblem(put, 405, "method_not_allowed"));
  const std::string allow = put.Header("allow");
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
  EXPECT_EQ(allow.find("PUT"), std::string::npos) << allow;
  const HttpResult del = http().Request("DELETE", "/v1/members", "", Bearer(Cashier()));
  EXPECT_TRUE(IsProblem(del, 405, "method_not_allowed"));
  EXPECT_FALSE(del.Header("allow").empty());

  EXPECT_TRUE(Items(Lookup("phone", phone)).empty());
  // The good body itself is fine.
  EXPECT_EQ(http().Post("/v1/members", good, Cashier()).status, 201);
}

}  // namespace
}  // namespace loyalty::testing::e2e
