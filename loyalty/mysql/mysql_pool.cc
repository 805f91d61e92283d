// MysqlPool: bounded connections, exception-to-Error mapping, transaction retries.
#include "loyalty/mysql/mysql_pool.h"

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>
#include <spdlog/spdlog.h>

#include <regex>
#include <thread>

namespace loyalty {
namespace {

Error Unavailable(const std::string& why) {
  return Error{Code::kUnavailable, "database_unavailable",
               "the database is not reachable right now; retry shortly (" + why + ")", {}};
}

Error FromException(const sql::SQLException& e) {
  if (IsConnectionLost(e.getErrorCode())) return Unavailable(e.what());
  if (IsRetryable(e.getErrorCode())) {
    return Error{Code::kAborted, "concurrent_conflict",
                 "a concurrent change got in the way; retry the request", {}};
  }
  return Error{Code::kInternal, "database_error",
               "database error " + std::to_string(e.getErrorCode()) + ": " + e.what(), {}};
}

sql::mysql::MySQL_Driver* Driver() {
  // get_mysql_driver_instance() is not thread-safe on first use; a function static is.
  static sql::mysql::MySQL_Driver* driver = sql::mysql::get_mysql_driver_instance();
  return driver;
}

}  // namespace

bool IsRetryable(int e) { return e == 1213 || e == 1205 || e == 1020; }

bool IsConnectionLost(int e) {
  // CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST, and
  // ER_SERVER_SHUTDOWN / ER_CONNECTION_KILLED sent while MariaDB stops.
  return e == 2002 || e == 2003 || e == 2006 || e == 2013 || e == 2055 || e == 1053 ||
         e == 1927 || e == 0;
}

Result<MysqlEndpoint> ParseMysqlUrl(const std::string& url) {
  static const std::regex kUrl(R"(^mysql://([^:@/]+)(?::([^@/]*))?@([^:/]+)(?::(\d{1,5}))?/?([A-Za-z0-9_]*)$)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl)) {
    return Fail(Code::kInvalidArgument, "invalid_mysql_url",
                "LOYALTY_MYSQL_URL must look like mysql://user:password@127.0.0.1:3306/loyalty");
  }
  MysqlEndpoint e;
  e.user = m[1];
  e.password = m[2];
  e.host = m[3];
  if (m[4].matched) e.port = std::stoi(m[4]);
  e.database = m[5];
  return e;
}

MysqlPool::MysqlPool(MysqlEndpoint endpoint, MysqlPoolOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {
  Driver();
}

MysqlPool::~MysqlPool() = default;

Result<std::unique_ptr<sql::Connection>> MysqlPool::Connect() {
  sql::ConnectOptionsMap o;
  o["hostName"] = sql::SQLString("tcp://" + endpoint_.host + ":" + std::to_string(endpoint_.port));
  o["userName"] = sql::SQLString(endpoint_.user);
  o["password"] = sql::SQLString(endpoint_.password);
  if (!endpoint_.database.empty()) o["schema"] = sql::SQLString(endpoint_.database);
  o["OPT_CONNECT_TIMEOUT"] = options_.connect_timeout_seconds;
  o["OPT_READ_TIMEOUT"] = options_.read_timeout_seconds;
  o["OPT_WRITE_TIMEOUT"] = options_.read_timeout_seconds;
  o["OPT_RECONNECT"] = false;  // a silent reconnect would lose the session settings below
  o["CLIENT_FOUND_ROWS"] = true;
  o["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  try {
    std::unique_ptr<sql::Connection> c(Driver()->connect(o));
    std::unique_ptr<sql::Statement> s(c->createStatement());
    s->execute("SET time_zone = '+00:00'");
    s->execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO'");
    return c;
  } catch (const sql::SQLException& e) {
    std::lock_guard lock(mutex_);
    ++connect_failures_;
    return Fail(Unavailable(e.what()));
  }
}

Result<std::unique_ptr<sql::Connection>> MysqlPool::Acquire() {
  {
    std::unique_lock lock(mutex_);
    const bool free = released_.wait_for(lock, options_.acquire_timeout, [&] {
      return !idle_.empty() || leased_ < options_.size;
    });
    if (!free) {
      return Fail(Code::kUnavailable, "database_busy",
                  "all database connections are busy; retry shortly");
    }
    ++leased_;
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto c = Connect();
  if (!c) Release(nullptr, true);
  return c;
}

void MysqlPool::Release(std::unique_ptr<sql::Connection> connection, bool broken) {
  {
    std::lock_guard lock(mutex_);
    --leased_;
    if (connection && !broken) idle_.push_back(std::move(connection));
    // One lost connection means the server went away: the idle ones are dead too, and would
    // each fail one more request after it comes back.
    if (broken) idle_.clear();
  }
  released_.notify_one();
}

Status MysqlPool::Run(const std::function<Status(sql::Connection&)>& work) {
  auto c = Acquire();
  if (!c) return Fail(c.error());
  bool broken = false;
  Status result;
  try {
    result = work(**c);
  } catch (const sql::SQLException& e) {
    broken = IsConnectionLost(e.getErrorCode());
    result = Fail(FromException(e));
  } catch (...) {
    // Whatever state the connection is in (an open transaction?) it must not be reused, and
    // its slot must come back or the pool shrinks for good.
    Release(std::move(*c), /*broken=*/true);
    throw;
  }
  Release(std::move(*c), broken);
  return result;
}

Status MysqlPool::Transaction(const std::function<Status(sql::Connection&)>& work) {
  for (int attempt = 0;; ++attempt) {
    int retry_error = 0;
    Status result = Run([&](sql::Connection& c) -> Status {
      c.setAutoCommit(false);
      try {
        Status s = work(c);
        if (s) {
          c.commit();
        } else {
          c.rollback();
        }
        c.setAutoCommit(true);
        return s;
      } catch (const sql::SQLException& e) {
        if (!IsConnectionLost(e.getErrorCode())) {
          c.rollback();
          c.setAutoCommit(true);
        }
        if (IsRetryable(e.getErrorCode())) {
          retry_error = e.getErrorCode();
          return Fail(FromException(e));
        }
        throw;
      }
    });
    if (retry_error == 0 || attempt >= options_.max_retries) return result;
    {
      std::lock_guard lock(mutex_);
      ++retries_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
  }
}

Status MysqlPool::Ping() {
  return Run([](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    // The result must be read: an unread result set leaves the pooled connection out of sync.
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery("SELECT 1"));
    while (rs->next()) {
    }
    return {};
  });
}

MysqlPoolStats MysqlPool::Stats() const {
  std::lock_guard lock(mutex_);
  return MysqlPoolStats{options_.size, idle_.size(), leased_, connect_failures_, retries_};
}

}  // namespace loyalty
