// Helpers for the db-labelled tests: this binary's fresh database, one-value SQL queries, scratch
// databases, a private MariaDB for outage tests, and sample rows.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/ports/member_repository.h"
#include "loyalty/mysql/mysql_pool.h"
#include "tests/support/test_env.h"

namespace loyalty::dbtest {

// The FreshDatabase of this test binary: created on first use (so a binary that never touches
// MariaDB needs none), dropped by a gtest environment after the last test. Tests sharing it keep
// apart by using random ids.
testing::FreshDatabase& Db();

// Runs `sql` with `args` bound as strings and returns the first column of the first row as an
// integer (SELECT COUNT(*) ...); fails the test and returns -1 on any error.
int64_t QueryInt(MysqlPool& pool, const std::string& sql,
                 const std::vector<std::string>& args = {});
// Same, for one text value; nullopt for no row or NULL.
std::optional<std::string> QueryString(MysqlPool& pool, const std::string& sql,
                                       const std::vector<std::string>& args = {});
// Runs one statement with `args`; fails the test on error.
void Exec(MysqlPool& pool, const std::string& sql, const std::vector<std::string>& args = {});

// An empty database (no migrations) on the test server, dropped in the destructor.
class ScratchDatabase {
 public:
  ScratchDatabase();
  ~ScratchDatabase();
  MysqlPool& pool() { return *pool_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::unique_ptr<MysqlPool> admin_, pool_;
};

// A temporary directory (mkdtemp), removed with its contents in the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs scripts/services with `args` ("mariadb start DIR PORT"); true when it exits 0.
bool Services(const std::string& args);

// Random bytes (may contain NUL), random ids and card-like numbers for sample rows.
std::string RandomBytes(size_t n);
std::string NewId();
std::string RandomDigits(size_t n);

// A stored member with random id, card, ciphertexts and blind indexes (phone and e-mail),
// version 1, created at `at`.
StoredMember SampleMember(Instant at);
// An audit entry for `target_id` at `at`.
AuditEntry SampleAudit(const std::string& target_id, Instant at,
                       std::optional<std::string> store_id = std::nullopt,
                       std::string action = "member.enrol");

// A fixed instant with a non-zero microsecond part (proves DATETIME(6) keeps it).
Instant SampleTime();

// The URL parts of LOYALTY_TEST_MYSQL_URL.
MysqlEndpoint TestServerEndpoint();

}  // namespace loyalty::dbtest
