// MysqlPool against real servers: a dead server answers 503 quickly, an exhausted pool answers
// "busy", the same pool recovers when MariaDB comes back, transactions commit or roll back, and
// deadlocks are retried.
#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "loyalty/mysql/mysql_pool.h"
#include "tests/db/db_test_util.h"

namespace loyalty {
namespace {

using dbtest::Db;
using dbtest::QueryInt;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

Status SelectOne(sql::Connection& c) {
  std::unique_ptr<sql::Statement> s(c.createStatement());
  std::unique_ptr<sql::ResultSet> rs(s->executeQuery("SELECT 1"));
  if (!rs->next() || rs->getInt(1) != 1) return Fail(Code::kInternal, "bad_answer", "SELECT 1");
  return {};
}

// A table of its own per test, in the binary's database.
std::string NewTable(const std::string& columns) {
  const std::string name = "pool_t_" + dbtest::NewId();
  Db().Execute("CREATE TABLE " + name + " (" + columns + ") ENGINE=InnoDB");
  return name;
}

TEST(MysqlPool, AServerThatIsNotThereIsUnavailableWithinSeconds) {
  MysqlEndpoint nowhere = dbtest::TestServerEndpoint();
  nowhere.port = testing::FreePort();
  MysqlPool pool(nowhere);

  const auto start = steady_clock::now();
  auto ran = pool.Run(SelectOne);
  auto in_transaction = pool.Transaction(SelectOne);
  auto ping = pool.Ping();
  const auto elapsed = steady_clock::now() - start;

  for (const Status* s : {&ran, &in_transaction, &ping}) {
    ASSERT_FALSE(s->has_value());
    EXPECT_EQ(s->error().code, Code::kUnavailable);
    EXPECT_EQ(s->error().slug, "database_unavailable");
    EXPECT_FALSE(s->error().message.empty());
  }
  // A bound on a hang (the API promises a 503 within ~2 s), not a speed claim.
  EXPECT_LT(elapsed, seconds(3));
  const MysqlPoolStats stats = pool.Stats();
  EXPECT_GE(stats.connect_failures, 3u);
  EXPECT_EQ(stats.leased, 0u);  // failed connects give their slot back
}

TEST(MysqlPool, AnExhaustedPoolAnswersBusyAfterTheAcquireTimeout) {
  MysqlPoolOptions options;
  options.size = 1;
  options.acquire_timeout = milliseconds(200);
  MysqlPool pool(Db().pool().endpoint(), options);
  std::promise<void> holding, release;
  std::shared_future<void> released = release.get_future().share();
  Status held;
  std::thread holder([&] {
    held = pool.Run([&](sql::Connection& c) -> Status {
      holding.set_value();
      released.wait();
      return SelectOne(c);
    });
  });
  holding.get_future().wait();

  const auto start = steady_clock::now();
  auto busy = pool.Run(SelectOne);
  const auto elapsed = steady_clock::now() - start;
  release.set_value();
  holder.join();

  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().code, Code::kUnavailable);
  EXPECT_EQ(busy.error().slug, "database_busy");
  EXPECT_LT(elapsed, seconds(3));  // hang bound
  EXPECT_TRUE(held.has_value()) << held.error().message;
  // The slot came back: the next request is served.
  auto after = pool.Run(SelectOne);
  EXPECT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ(pool.Stats().leased, 0u);
  EXPECT_EQ(pool.Stats().idle, 1u);
}

TEST(MysqlPool, AWaiterGetsTheConnectionOnceItIsReleased) {
  MysqlPoolOptions options;
  options.size = 1;
  options.acquire_timeout = seconds(20);
  MysqlPool pool(Db().pool().endpoint(), options);
  std::promise<void> holding, release;
  std::shared_future<void> released = release.get_future().share();
  std::thread holder([&] {
    (void)pool.Run([&](sql::Connection&) -> Status {
      holding.set_value();
      released.wait();
      return {};
    });
  });
  holding.get_future().wait();

  auto waiter = std::async(std::launch::async, [&] { return pool.Run(SelectOne); });
  // The waiter cannot finish while the only connection is held.
  EXPECT_EQ(waiter.wait_for(milliseconds(100)), std::future_status::timeout);
  release.set_value();
  holder.join();

  auto waited = waiter.get();
  EXPECT_TRUE(waited.has_value()) << waited.error().message;
}

TEST(MysqlPool, TransactionCommitsOnSuccessAndRollsBackOnFailure) {
  const std::string table = NewTable("id INT NOT NULL PRIMARY KEY");
  auto insert = [&](sql::Connection& c, int id) {
    std::unique_ptr<sql::PreparedStatement> s(
        c.prepareStatement("INSERT INTO " + table + " VALUES (?)"));
    s->setInt(1, id);
    s->execute();
  };

  auto committed = Db().pool().Transaction([&](sql::Connection& c) -> Status {
    insert(c, 1);
    insert(c, 2);
    return {};
  });
  auto refused = Db().pool().Transaction([&](sql::Connection& c) -> Status {
    insert(c, 3);
    return Fail(Code::kFailedPrecondition, "nope", "the work said no after writing");
  });
  auto thrown = Db().pool().Transaction([&](sql::Connection& c) -> Status {
    insert(c, 4);
    insert(c, 1);  // duplicate key: the library throws
    return {};
  });

  EXPECT_TRUE(committed.has_value()) << committed.error().message;
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().slug, "nope");  // the work's own error comes back unchanged
  ASSERT_FALSE(thrown.has_value());
  EXPECT_EQ(thrown.error().code, Code::kInternal);
  EXPECT_EQ(thrown.error().slug, "database_error");
  EXPECT_EQ(QueryInt(Db().pool(), "SELECT COUNT(*) FROM " + table), 2);
  EXPECT_EQ(QueryInt(Db().pool(), "SELECT COUNT(*) FROM " + table + " WHERE id IN (3, 4)"), 0);
  // The connection that saw the error went back to the pool in autocommit mode: a plain write
  // through Run is visible to another connection right away.
  auto plain = Db().pool().Run([&](sql::Connection& c) -> Status {
    insert(c, 5);
    return {};
  });
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(QueryInt(Db().pool(), "SELECT COUNT(*) FROM " + table + " WHERE id = 5"), 1);
}

TEST(MysqlPool, AnSqlErrorIsInternalAndTheConnectionStaysUsable) {
  MysqlPoolOptions options;
  options.size = 1;
  MysqlPool pool(Db().pool().endpoint(), options);
  auto bad = pool.Run([](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    s->execute("SELEKT nonsense");
    return {};
  });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, Code::kInternal);
  EXPECT_EQ(bad.error().slug, "database_error");
  auto good = pool.Run(SelectOne);
  EXPECT_TRUE(good.has_value()) << good.error().message;
}

// Two transactions lock rows 1 and 2 in opposite order; a barrier makes sure each holds its first
// lock before asking for the second, so InnoDB must pick a deadlock victim (1213).
struct DeadlockOutcome {
  Status first, second;
  int runs = 0;
};

DeadlockOutcome CrossLock(MysqlPool& pool, const std::string& table) {
  std::barrier both_hold_one(2);
  std::atomic<int> runs{0};
  auto bump = [&](sql::Connection& c, int id) {
    std::unique_ptr<sql::PreparedStatement> s(
        c.prepareStatement("UPDATE " + table + " SET n = n + 1 WHERE id = ?"));
    s->setInt(1, id);
    s->executeUpdate();
  };
  auto cross = [&](int first_row, int second_row) {
    bool synced = false;  // only the first attempt meets the other thread
    return pool.Transaction([&](sql::Connection& c) -> Status {
      runs.fetch_add(1);
      bump(c, first_row);
      if (!synced) {
        synced = true;
        both_hold_one.arrive_and_wait();
      }
      bump(c, second_row);
      return {};
    });
  };
  DeadlockOutcome out;
  std::thread a([&] { out.first = cross(1, 2); });
  std::thread b([&] { out.second = cross(2, 1); });
  a.join();
  b.join();
  out.runs = runs.load();
  return out;
}

TEST(MysqlPool, ADeadlockVictimIsRetriedAndBothTransactionsCommit) {
  const std::string table = NewTable("id INT NOT NULL PRIMARY KEY, n INT NOT NULL");
  Db().Execute("INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
  MysqlPool pool(Db().pool().endpoint());

  const DeadlockOutcome out = CrossLock(pool, table);

  EXPECT_TRUE(out.first.has_value()) << out.first.error().slug << ": " << out.first.error().message;
  EXPECT_TRUE(out.second.has_value())
      << out.second.error().slug << ": " << out.second.error().message;
  EXPECT_EQ(out.runs, 3);  // one of them ran twice
  EXPECT_GE(pool.Stats().retries, 1u);
  // Each transaction's increments landed exactly once (the victim's first attempt rolled back).
  EXPECT_EQ(QueryInt(Db().pool(), "SELECT n FROM " + table + " WHERE id = 1"), 2);
  EXPECT_EQ(QueryInt(Db().pool(), "SELECT n FROM " + table + " WHERE id = 2"), 2);
}

TEST(MysqlPool, MaxRetriesCountsReRunsOfTheWork) {
  // mysql_pool.h: "re-run `work` up to max_retries times"; with max_retries = 1 a deadlock victim
  // is re-run once and succeeds.
  const std::string table = NewTable("id INT NOT NULL PRIMARY KEY, n INT NOT NULL");
  Db().Execute("INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
  MysqlPoolOptions options;
  options.max_retries = 1;
  MysqlPool pool(Db().pool().endpoint(), options);

  const DeadlockOutcome out = CrossLock(pool, table);

  EXPECT_TRUE(out.first.has_value()) << out.first.error().slug << ": " << out.first.error().message;
  EXPECT_TRUE(out.second.has_value())
      << out.second.error().slug << ": " << out.second.error().message;
  EXPECT_EQ(pool.Stats().retries, 1u);
}

TEST(MysqlPool, TheSamePoolRecoversWhenMariadbComesBack) {
  dbtest::TempDir dir;
  const std::string data = dir.path() + "/mariadb";
  const std::string port = std::to_string(testing::FreePort());
  struct Stopper {
    std::string data;
    ~Stopper() { dbtest::Services("mariadb stop " + data); }
  } stopper{data};
  ASSERT_TRUE(dbtest::Services("mariadb start " + data + " " + port))
      << "scripts/services could not start a private MariaDB";
  MysqlEndpoint endpoint{"127.0.0.1", std::stoi(port), "root", "loyalty", ""};
  MysqlPoolOptions options;
  options.size = 2;
  MysqlPool pool(endpoint, options);
  auto up = pool.Run(SelectOne);
  ASSERT_TRUE(up.has_value()) << up.error().message;

  ASSERT_TRUE(dbtest::Services("mariadb stop " + data));
  // First the pooled connection finds the server gone, then new connections are refused.
  for (int i = 0; i < 2; ++i) {
    const auto start = steady_clock::now();
    auto down = pool.Run(SelectOne);
    const auto elapsed = steady_clock::now() - start;
    ASSERT_FALSE(down.has_value()) << "attempt " << i;
    EXPECT_EQ(down.error().code, Code::kUnavailable)
        << "attempt " << i << ": " << down.error().message;
    EXPECT_EQ(down.error().slug, "database_unavailable") << "attempt " << i;
    EXPECT_LT(elapsed, seconds(3)) << "attempt " << i;  // hang bound
  }

  ASSERT_TRUE(dbtest::Services("mariadb start " + data + " " + port));
  Status back = Fail(Code::kUnavailable, "not_tried", "not tried yet");
  const auto deadline = steady_clock::now() + seconds(15);
  int attempts = 0;
  while (steady_clock::now() < deadline) {
    ++attempts;
    back = pool.Run(SelectOne);
    if (back) break;
    std::this_thread::sleep_for(milliseconds(100));  // polling interval, not an assertion
  }
  EXPECT_TRUE(back.has_value()) << "after " << attempts << " attempts: " << back.error().message;
  EXPECT_LE(attempts, 3) << "stale pooled connections failed requests after the restart";
  EXPECT_EQ(pool.Stats().leased, 0u);
}

}  // namespace
}  // namespace loyalty
