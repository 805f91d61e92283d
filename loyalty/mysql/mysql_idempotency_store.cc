// Idempotency keys in MariaDB: the primary key decides who runs first.
#include "loyalty/mysql/mysql_idempotency_store.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/mysql/sql_values.h"

namespace loyalty {

Result<ClaimResult> MysqlIdempotencyStore::Claim(const std::string& scope, const std::string& key,
                                                 const std::string& request_hash, Instant now,
                                                 std::chrono::seconds abandon_after) {
  ClaimResult result;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    try {
      std::unique_ptr<sql::PreparedStatement> insert(c.prepareStatement(
          "INSERT INTO idempotency_keys (scope, idem_key, request_hash, created_at) "
          "VALUES (?,?,?,?)"));
      insert->setString(1, scope);
      insert->setString(2, key);
      insert->setString(3, request_hash);
      insert->setString(4, ToSqlTime(now));
      insert->execute();
      result.claim = IdempotencyClaim::kNew;
      return {};
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kErDupEntry) throw;
    }
    std::unique_ptr<sql::PreparedStatement> select(c.prepareStatement(
        "SELECT request_hash, status, response_headers, response_body, created_at "
        "FROM idempotency_keys WHERE scope = ? AND idem_key = ? FOR UPDATE"));
    select->setString(1, scope);
    select->setString(2, key);
    std::unique_ptr<sql::ResultSet> rs(select->executeQuery());
    if (!rs->next()) {  // released between our insert and select: the caller may retry
      return Fail(Code::kAborted, "idempotency_key_busy",
                  "this Idempotency-Key is being released; retry the request");
    }
    const std::string hash = rs->getString("request_hash");
    const bool done = !rs->isNull("status");
    const Instant created = FromSqlTime(rs->getString("created_at"));
    if (hash != request_hash) {
      result.claim = IdempotencyClaim::kMismatch;
    } else if (done) {
      result.claim = IdempotencyClaim::kReplay;
      result.response = StoredResponse{rs->getInt("status"), rs->getString("response_headers"),
                                       rs->getString("response_body")};
    } else if (created + abandon_after < now) {
      rs.reset();
      std::unique_ptr<sql::PreparedStatement> take(c.prepareStatement(
          "UPDATE idempotency_keys SET created_at = ? WHERE scope = ? AND idem_key = ?"));
      take->setString(1, ToSqlTime(now));
      take->setString(2, scope);
      take->setString(3, key);
      take->execute();
      result.claim = IdempotencyClaim::kNew;
    } else {
      result.claim = IdempotencyClaim::kInFlight;
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  return result;
}

Status MysqlIdempotencyStore::Complete(const std::string& scope, const std::string& key,
                                       const StoredResponse& response) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "UPDATE idempotency_keys SET status = ?, response_headers = ?, response_body = ? "
        "WHERE scope = ? AND idem_key = ?"));
    s->setInt(1, response.status);
    s->setString(2, response.headers);
    s->setString(3, response.body);
    s->setString(4, scope);
    s->setString(5, key);
    s->execute();
    return {};
  });
}

Status MysqlIdempotencyStore::Release(const std::string& scope, const std::string& key) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND status IS NULL"));
    s->setString(1, scope);
    s->setString(2, key);
    s->execute();
    return {};
  });
}

}  // namespace loyalty
