// ARTS POSLog import end to end: a vendor's real file uploaded to POST /v1/pos/poslog and the
// same kind of file through `loyalty import-poslog`, each transaction once; hostile and
// mistyped uploads refused cleanly; a file in another currency than the program's rejected.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {
namespace {

using nlohmann::json;

std::string VismaFile(const std::string& name) {
  return std::string(LOYALTY_SOURCE_DIR) + "/../shared/testdata/poslog/visma-v6/" + name;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class PoslogE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The Visma files are from stores 3000 and 3004.
    suite_ = SuiteServer::Start([](SuiteServer& s) {
      for (const char* store : {"3000", "3004"}) {
        const CommandResult r =
            RunLoyalty(s.env, {"admin", "add-store", "--id", store, "--name", store});
        ASSERT_EQ(r.exit_code, 0) << r.output;
      }
    });
    if (!suite_ || !suite_->server) return;
    // The Visma files count in SEK: the program must too, or every sale is a currency mismatch.
    const HttpResult saved = PutProgramCurrency("SEK");
    if (saved.status != 200) {
      ADD_FAILURE() << "program: " << saved.body;
      return;
    }
    program_in_sek_ = true;
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    ASSERT_TRUE(program_in_sek_) << "setting the program's currency to SEK failed";
  }

  // The program as it is, with `currency`, saved by the admin.
  static HttpResult PutProgramCurrency(const std::string& currency) {
    json program = suite_->http->Get("/v1/program", suite_->Token("admin")).Json();
    program["currency"] = currency;
    return suite_->http->Request("PUT", "/v1/program", program.dump(),
                                 Bearer(suite_->Token("admin")));
  }

  HttpResult Upload(const std::string& xml, const std::string& type = "application/xml") {
    auto headers = Bearer(suite_->Token("admin"));
    headers["Content-Type"] = type;
    return suite_->http->Request("POST", "/v1/pos/poslog", xml, headers);
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline bool program_in_sek_ = false;
};

TEST_F(PoslogE2e, AFileUploadedTwiceIsImportedOnce) {
  const std::string xml = Read(VismaFile("arts1.xml"));
  ASSERT_FALSE(xml.empty());
  const HttpResult first = Upload(xml);
  ASSERT_EQ(first.status, 200) << first.body;
  const json r1 = first.Json();
  EXPECT_EQ(r1["dialect"], "arts_v6");
  ASSERT_EQ(r1["accepted"], 1) << first.body;
  EXPECT_EQ(r1["items"][0]["outcome"], "accepted");
  const HttpResult second = Upload(xml);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.Json()["items"][0]["reason"], "replayed") << second.body;
  EXPECT_EQ(second.Json()["items"][0]["transaction_id"], r1["items"][0]["transaction_id"]);

  // A cancelled receipt is skipped.
  const HttpResult cancelled = Upload(Read(VismaFile("arts4.xml")));
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.Json()["skipped"], 1) << cancelled.body;
  EXPECT_EQ(cancelled.Json()["items"][0]["reason"], "cancelled");
}

TEST_F(PoslogE2e, TheCommandImportsFilesAndPrintsAReportPerFile) {
  const CommandResult r =
      RunLoyalty(suite_->env, {"import-poslog", VismaFile("arts2.xml"), VismaFile("arts3.xml")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream lines(r.output);
  std::string line;
  int reports = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    const json report = json::parse(line);
    EXPECT_EQ(report["accepted"], 1) << line;
    ++reports;
  }
  EXPECT_EQ(reports, 2) << r.output;
  const CommandResult missing = RunLoyalty(suite_->env, {"import-poslog", "/nonexistent.xml"});
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
}

TEST_F(PoslogE2e, HostileOrMistypedUploadsAreRefusedCleanly) {
  const std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;\">]><POSLog xmlns=\"http://www.nrf-arts.org/IXRetail/namespace/\">"
      "&lol2;</POSLog>";
  EXPECT_TRUE(IsProblem(Upload(bomb), 400, "poslog_doctype"));
  EXPECT_TRUE(IsProblem(Upload("<Orders/>"), 400, "poslog_wrong_root"));
  EXPECT_EQ(Upload(Read(VismaFile("arts5.xml")), "text/plain").status, 415);
  EXPECT_EQ(Upload(std::string(2 * 1024 * 1024, ' ')).status, 413);
  auto headers = Bearer(suite_->Token("cashier1"));
  headers["Content-Type"] = "application/xml";
  const HttpResult cashier =
      suite_->http->Request("POST", "/v1/pos/poslog", Read(VismaFile("arts5.xml")), headers);
  ASSERT_EQ(cashier.status, 200) << cashier.body;
  EXPECT_EQ(cashier.Json()["rejected"], 1) << "a cashier of S1 cannot import store 3004's sales";
}

// Last in the file: it changes the suite's program back to CNY (gtest runs a suite's tests in
// the order they are declared).
TEST_F(PoslogE2e, UnderAProgramInAnotherCurrencyTheFileIsRejected) {
  const HttpResult saved = PutProgramCurrency("CNY");
  ASSERT_EQ(saved.status, 200) << saved.body;
  const HttpResult upload = Upload(Read(VismaFile("arts5.xml")));
  ASSERT_EQ(upload.status, 200) << upload.body;
  const json r = upload.Json();
  EXPECT_EQ(r["rejected"], 1) << upload.body;
  EXPECT_EQ(r["items"][0]["reason"], "currency_mismatch") << upload.body;
}

}  // namespace
}  // namespace loyalty::testing::e2e
