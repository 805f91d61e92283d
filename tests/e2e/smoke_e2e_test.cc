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
