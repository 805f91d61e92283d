// Smoke test of the e2e harness: a real server on a fresh database answers health and login.
#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "tests/support/test_env.h"

namespace loyalty::testing {

TEST(SmokeE2e, ServerStartsAndStaffCanLogIn) {
  FreshDatabase db;
  Environment env{{"LOYALTY_MYSQL_URL", db.url()},
                  {"LOYALTY_REDIS_URL", TestRedisUrl()},
                  {"LOYALTY_MASTER_KEY", RandomMasterKey()}};
  CreateStandardStaff(env);
  ServerProcess server(env);
  HttpClient http(server.port());
  EXPECT_EQ(http.Get("/readyz").Json()["status"], "ready");
  const std::string token = http.Login("cashier1", kTestPassword);
  EXPECT_EQ(token.size(), 64u);
}

}  // namespace loyalty::testing

namespace loyalty::testing {

TEST(SmokeE2e, AddTerminalPrintsItsKeyOnceAndRefusesUnknownStoresAndDuplicates) {
  FreshDatabase db;
  Environment env{{"LOYALTY_MYSQL_URL", db.url()},
                  {"LOYALTY_REDIS_URL", TestRedisUrl()},
                  {"LOYALTY_MASTER_KEY", RandomMasterKey()}};
  ASSERT_EQ(RunLoyalty(env, {"admin", "add-store", "--id", "S1", "--name", "上海店"}).exit_code, 0);
  const CommandResult added = RunLoyalty(env, {"admin", "add-terminal", "--store", "S1", "--id", "S1-T9"});
  ASSERT_EQ(added.exit_code, 0) << added.output;
  const auto at = added.output.find("key ");
  ASSERT_NE(at, std::string::npos) << added.output;
  const std::string key = added.output.substr(at + 4, 64);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos) << key;
  const CommandResult again = RunLoyalty(env, {"admin", "add-terminal", "--store", "S1", "--id", "S1-T9"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.output.find("duplicate_terminal"), std::string::npos) << again.output;
  const CommandResult unknown = RunLoyalty(env, {"admin", "add-terminal", "--store", "S7"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("store_not_found"), std::string::npos) << unknown.output;
  const CommandResult bad_id = RunLoyalty(env, {"admin", "add-terminal", "--store", "S1", "--id", "a b"});
  EXPECT_EQ(bad_id.exit_code, 2) << bad_id.output;
}

}  // namespace loyalty::testing
