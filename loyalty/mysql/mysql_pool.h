// Bounded pool of MariaDB connections (Connector/C++ 1.1) and the transaction runner with retries.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "loyalty/common/error.h"

namespace sql {
class Connection;
class SQLException;
}  // namespace sql

namespace loyalty {

// "mysql://user:password@host:port/database"; database may be empty for server-level work.
struct MysqlEndpoint {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string user;
  std::string password;
  std::string database;
};
Result<MysqlEndpoint> ParseMysqlUrl(const std::string& url);

struct MysqlPoolOptions {
  size_t size = 8;                                    // connections at most
  std::chrono::milliseconds acquire_timeout{1000};    // then 503 "database busy"
  int connect_timeout_seconds = 1;                    // a dead server answers 503 within 2 s
  int read_timeout_seconds = 10;                      // no query in this service runs longer
  int max_retries = 4;                                // deadlock / lock-wait retries per transaction
};

struct MysqlPoolStats {
  size_t size = 0, idle = 0, leased = 0;
  uint64_t connect_failures = 0, retries = 0;
};

class MysqlPool {
 public:
  MysqlPool(MysqlEndpoint endpoint, MysqlPoolOptions options = {});
  ~MysqlPool();
  MysqlPool(const MysqlPool&) = delete;
  MysqlPool& operator=(const MysqlPool&) = delete;

  // Runs `work` on one connection with autocommit. Library exceptions become Errors: a lost or
  // refused connection is kUnavailable (database_unavailable) and the connection is dropped, so
  // the pool recovers by itself when the server is back.
  Status Run(const std::function<Status(sql::Connection&)>& work);

  // Runs `work` inside a transaction: commit when it returns ok, roll back otherwise. Deadlocks
  // (1213), lock wait timeouts (1205) and changed records (1020) re-run `work` up to
  // max_retries times, so `work` must only write through the connection it is given.
  Status Transaction(const std::function<Status(sql::Connection&)>& work);

  // SELECT 1 on a pooled connection; used by /readyz.
  Status Ping();
  MysqlPoolStats Stats() const;
  const MysqlEndpoint& endpoint() const { return endpoint_; }

 private:
  struct Lease;
  Result<std::unique_ptr<sql::Connection>> Acquire();
  void Release(std::unique_ptr<sql::Connection> connection, bool broken);
  Result<std::unique_ptr<sql::Connection>> Connect();

  MysqlEndpoint endpoint_;
  MysqlPoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<sql::Connection>> idle_;
  size_t leased_ = 0;
  uint64_t connect_failures_ = 0, retries_ = 0;
};

// MariaDB error numbers the adapters act on.
inline constexpr int kErDupEntry = 1062;
bool IsRetryable(int mysql_error);
bool IsConnectionLost(int mysql_error);

}  // namespace loyalty
