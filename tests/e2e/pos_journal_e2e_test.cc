// POST /v1/pos/journal end to end: a till's offline sales, returns and voids uploaded as signed,
// numbered entries are applied once in order however often the batch is uploaded; gaps are
// reported; a forged entry fails alone; points granted offline beyond the day's allowance are
// written off and listed for reconciliation; `loyalty audit` stays clean.
#include <gtest/gtest.h>

#include <atomic>

#include "pos-adapter/offline_journal.h"
#include "tests/e2e/pos_till.h"

namespace loyalty::testing::e2e {
namespace {

using nlohmann::json;

class PosJournalE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = SuiteServer::Start([](SuiteServer& s) {
      AddStoresAndTills(s, {"S1"}, {"S1-T1", "S1-T2"}, keys_);
    });
    if (!suite_ || !suite_->server) return;
    json program = suite_->http->Get("/v1/program", suite_->Token("admin")).Json();
    program["pending_days"] = 0;
    program["offline"] = {{"max_redeem_points_per_day", 300}};
    const HttpResult saved =
        suite_->http->Request("PUT", "/v1/program", program.dump(), Bearer(suite_->Token("admin")));
    ready_ = saved.status == 200;
    EXPECT_TRUE(ready_) << saved.body;
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override { ASSERT_TRUE(suite_ && suite_->server && ready_) << "suite setup failed"; }

  HttpClient& http() { return *suite_->http; }
  const std::string& Token(const std::string& user) { return suite_->Token(user); }

  std::string Enrol() {
    static std::atomic<int> next{0};
    const HttpResult r = http().Post(
        "/v1/members", {{"phone", "1385" + std::to_string(1000000 + next++)}, {"name", "陈静"}},
        Token("cashier1"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("member_id", "");
  }

  int64_t Available(const std::string& member_id) {
    const HttpResult r = http().Get("/v1/members/" + member_id + "/points", Token("cashier1"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json().value("available", int64_t{-1});
  }

  HttpResult SignedPost(const std::string& path, const std::string& body,
                        const std::string& till = "S1-T1") {
    return http().Request("POST", path, body,
                          SignedTillHeaders(path, body, till, keys_[till], suite_->server->port()));
  }

  // A 2 × 45.00 + 1 × 30.00 basket for `member` as a sale body.
  static json Sale(const std::string& pos_txn_id, const std::string& member) {
    json sale = RiceAndOilBasket();
    sale.erase("store_id");  // an entry may leave the till to the batch
    sale.erase("terminal_id");
    sale["pos_txn_id"] = pos_txn_id;
    sale["member_id"] = member;
    return sale;
  }


  struct Entry {
    int64_t seq;
    pos::JournalEntryType type;
    json payload;
    bool forged = false;
  };

  // The upload body with each entry signed by the till's key (a forged one by another key).
  static std::string Journal(const std::vector<Entry>& entries, const std::string& till = "S1-T1") {
    pos::JournalBatch batch{"S1", till, {}};
    json body{{"store_id", "S1"}, {"terminal_id", till}, {"entries", json::array()}};
    for (const Entry& e : entries) {
      pos::JournalEntry entry;
      entry.seq = e.seq;
      entry.type = e.type;
      entry.recorded_at_text = "2026-12-06T02:15:00Z";
      entry.payload = e.payload.dump();
      const std::string signature =
          pos::SignJournalEntry(batch, entry, e.forged ? "not-the-key" : keys_[till]);
      body["entries"].push_back({{"seq", e.seq},
                                 {"type", std::string(pos::JournalEntryTypeName(e.type))},
                                 {"recorded_at", entry.recorded_at_text},
                                 {"payload", entry.payload},
                                 {"signature", signature}});
    }
    return body.dump();
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline std::map<std::string, std::string> keys_;
  static inline bool ready_ = false;
};

TEST_F(PosJournalE2e, AnUploadAppliesOnceReportsGapsAndReconcilesWhatTheTillGranted) {
  const std::string member = Enrol();
  // 200 points to start with (approved adjustment), and one sale made online before the outage.
  const HttpResult asked = http().Post("/v1/members/" + member + "/points/adjustments",
                                       {{"points", 200}, {"reason", "welcome"}}, Token("manager1"));
  ASSERT_EQ(asked.status, 201) << asked.body;
  json online = Sale("T-0998", member);
  online["store_id"] = "S1";
  online["terminal_id"] = "S1-T1";
  ASSERT_EQ(SignedPost("/v1/pos/transactions", online.dump()).status, 201);
  ASSERT_EQ(Available(member), 200 + 120);

  // Offline: a sale using 500 points (the day's allowance is 300, the balance 320), a return of
  // one rice from it, entry 3 lost, a void of the online sale, and one forged entry.
  json sale = Sale("T-1001", member);
  sale["redeem_points"] = 500;
  const std::vector<Entry> entries = {
      {1, pos::JournalEntryType::kSale, sale},
      {2,
       pos::JournalEntryType::kReturn,
       {{"return_txn_id", "T-1002"},
        {"transaction_pos_txn_id", "T-1001"},
        {"lines", {{{"line_no", 1}, {"qty", 1}}}}}},
      {4, pos::JournalEntryType::kVoid, {{"pos_txn_id", "T-0998"}}},
      {5, pos::JournalEntryType::kSale, Sale("T-1005", member), /*forged=*/true},
  };
  const std::string body = Journal(entries);
  const HttpResult first = SignedPost("/v1/pos/journal", body);
  ASSERT_EQ(first.status, 200) << first.body;
  const json r1 = first.Json();
  EXPECT_EQ(r1["applied"], 3) << first.body;
  EXPECT_EQ(r1["failed"], 1) << first.body;
  EXPECT_EQ(r1["gaps"], json::parse(R"([{"from":3,"to":3}])")) << first.body;
  EXPECT_EQ(r1["entries"][3]["status"], "failed");
  EXPECT_EQ(r1["entries"][3]["error"]["code"], "invalid_signature");

  // Sale: 300 of the 500 points within the allowance, all covered by the balance (320 → 20),
  // 200 written off; 120 earned → 140. Return of one rice (45.00 of 120.00 paid): 45 earned
  // points back, 112 of the 300 redeemed points given back → 207. Void of the online sale: its
  // 120 points back → 87.
  const int64_t after = Available(member);
  EXPECT_EQ(after, 320 - 300 + 120 - 45 + 112 - 120);

  // The same batch again: nothing applied twice, the same outcome per entry.
  const HttpResult second = SignedPost("/v1/pos/journal", body);
  ASSERT_EQ(second.status, 200) << second.body;
  const json r2 = second.Json();
  EXPECT_EQ(r2["applied"], 0) << second.body;
  EXPECT_EQ(r2["replayed"], 3) << second.body;
  EXPECT_EQ(r2["failed"], 1) << second.body;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r2["entries"][i]["transaction_id"], r1["entries"][i]["transaction_id"]);
  }
  EXPECT_EQ(Available(member), after);

  // The write-off is on the reconciliation report; cashiers cannot read it.
  const HttpResult report = http().Get(
      "/v1/reports/offline-reconciliation?store_id=S1&from=2026-01-01T00:00:00Z", Token("auditor"));
  ASSERT_EQ(report.status, 200) << report.body;
  bool listed = false;
  for (const json& item : Items(report)) {
    if (item["pos_txn_id"] != "T-1001") continue;
    listed = true;
    EXPECT_EQ(item["points_redeemed"], 500);
    EXPECT_EQ(item["points_written_off"], 200);
    EXPECT_EQ(item["points_debt"], 0);
  }
  EXPECT_TRUE(listed) << report.body;
  EXPECT_EQ(http().Get("/v1/reports/offline-reconciliation", Token("cashier1")).status, 403);
}

TEST_F(PosJournalE2e, ABadBatchIsRefusedWholeAndAnotherTillsBatchIsForbidden) {
  const HttpResult bad = SignedPost("/v1/pos/journal", R"({"store_id":"S1","entries":[]})");
  EXPECT_TRUE(IsProblem(bad, 400, "invalid_journal")) << bad.body;
  // S1-T2 uploading S1-T1's journal.
  const std::string member = Enrol();
  const std::string body = Journal({{1, pos::JournalEntryType::kSale, Sale("X-1", member)}});
  EXPECT_EQ(SignedPost("/v1/pos/journal", body, "S1-T2").status, 403);
  // An entry the sale service refuses fails alone and is recorded as failed.
  json wrong = Sale("T-2001", member);
  wrong["lines"][0]["qty"] = 0;
  const std::string batch = Journal({{1, pos::JournalEntryType::kSale, wrong},
                                     {2, pos::JournalEntryType::kSale, Sale("T-2002", member)}},
                                    "S1-T2");
  const HttpResult r = SignedPost("/v1/pos/journal", batch, "S1-T2");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["entries"][0]["error"]["code"], "invalid_basket") << r.body;
  EXPECT_EQ(r.Json()["entries"][1]["status"], "applied") << r.body;
  EXPECT_EQ(Available(member), 120);
}

TEST_F(PosJournalE2e, ZzAuditIsCleanAfterEverything) {
  const CommandResult audit = RunLoyalty(suite_->env, {"audit"});
  EXPECT_EQ(audit.exit_code, 0) << audit.output;
}

}  // namespace
}  // namespace loyalty::testing::e2e
