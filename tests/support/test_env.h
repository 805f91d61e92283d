// Integration-test environment: the MariaDB and Redis that scripts/test started, a fresh database
// per test binary with the migrations applied, and free loopback ports.
#pragma once

#include <memory>
#include <string>

#include "loyalty/mysql/mysql_pool.h"

namespace loyalty::testing {

// LOYALTY_TEST_MYSQL_URL (server URL without database, e.g. mysql://root:pw@127.0.0.1:3306);
// the test fails with a clear message when it is not set (run the tests through scripts/test).
std::string TestMysqlServerUrl();
// LOYALTY_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379.
std::string TestRedisUrl();

// Creates database `t_<random>` on the test server, applies every migration, and drops it in
// the destructor. url() is a full LOYALTY_MYSQL_URL for a server process.
class FreshDatabase {
 public:
  FreshDatabase();
  ~FreshDatabase();
  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }
  MysqlPool& pool() { return *pool_; }
  // Runs one statement with no result (test setup, fault injection).
  void Execute(const std::string& sql);

 private:
  std::string name_, url_;
  std::unique_ptr<MysqlPool> pool_;
};

// A TCP port on 127.0.0.1 that nothing listens on right now.
int FreePort();
// 64 hex digits from the system RNG, for LOYALTY_MASTER_KEY.
std::string RandomMasterKey();

}  // namespace loyalty::testing
