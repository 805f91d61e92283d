// Staff accounts and sessions in MariaDB.
#include "loyalty/mysql/mysql_staff_repository.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

std::vector<std::string> StoresOf(sql::Connection& c, const std::string& staff_id) {
  std::unique_ptr<sql::PreparedStatement> s(
      c.prepareStatement("SELECT store_id FROM staff_stores WHERE staff_id = ? ORDER BY store_id"));
  s->setString(1, staff_id);
  std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
  std::vector<std::string> stores;
  while (rs->next()) stores.push_back(rs->getString(1));
  return stores;
}

// Store ids are filled in by the caller once the row's result set is closed: Connector/C++
// streams prepared results, and a second query while one is open breaks the protocol.
Principal ReadPrincipal(sql::ResultSet& rs) {
  Principal p;
  p.staff_id = rs.getString("staff_id");
  p.username = rs.getString("username");
  p.role = ParseRole(std::string(rs.getString("role"))).value_or(Role::kAuditor);
  return p;
}

}  // namespace

Status MysqlStaffRepository::Create(const StaffAccount& account, const AuditEntry& audit) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    const Principal& p = account.principal;
    try {
      std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
          "INSERT INTO staff (staff_id, username, display_name, role, password_phc, active, "
          "created_at) VALUES (?,?,?,?,?,?,?)"));
      s->setString(1, p.staff_id);
      s->setString(2, p.username);
      s->setString(3, account.display_name);
      s->setString(4, RoleName(p.role));
      s->setString(5, account.password_phc);
      s->setBoolean(6, account.active);
      s->setString(7, ToSqlTime(audit.at));
      s->execute();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kErDupEntry) throw;
      Error error{Code::kAlreadyExists, "duplicate_username",
                  "the username '" + p.username + "' is taken", {}};
      return Fail(error.With("field", "username"));
    }
    std::unique_ptr<sql::PreparedStatement> store(
        c.prepareStatement("INSERT INTO staff_stores (staff_id, store_id) VALUES (?, ?)"));
    for (const auto& id : p.store_ids) {
      store->setString(1, p.staff_id);
      store->setString(2, id);
      store->execute();
    }
    InsertAudit(c, audit);
    return {};
  });
}

Result<std::optional<StaffAccount>> MysqlStaffRepository::FindByUsername(
    const std::string& username) {
  std::optional<StaffAccount> found;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(
        c.prepareStatement("SELECT * FROM staff WHERE username = ?"));
    s->setString(1, username);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (!rs->next()) return {};
    StaffAccount a;
    a.principal = ReadPrincipal(*rs);
    a.display_name = rs->getString("display_name");
    a.password_phc = rs->getString("password_phc");
    a.active = rs->getBoolean("active");
    rs.reset();
    a.principal.store_ids = StoresOf(c, a.principal.staff_id);
    found = std::move(a);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return found;
}

Status MysqlStaffRepository::CreateSession(const std::string& token_digest,
                                           const std::string& staff_id, Instant expires_at,
                                           const AuditEntry& audit) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "INSERT INTO staff_sessions (token_digest, staff_id, created_at, expires_at) "
        "VALUES (?,?,?,?)"));
    s->setString(1, token_digest);
    s->setString(2, staff_id);
    s->setString(3, ToSqlTime(audit.at));
    s->setString(4, ToSqlTime(expires_at));
    s->execute();
    InsertAudit(c, audit);
    return {};
  });
}

Result<std::optional<Principal>> MysqlStaffRepository::FindSession(const std::string& token_digest,
                                                                   Instant now) {
  std::optional<Principal> found;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "SELECT st.staff_id, st.username, st.role FROM staff_sessions se "
        "JOIN staff st ON st.staff_id = se.staff_id "
        "WHERE se.token_digest = ? AND se.revoked_at IS NULL AND se.expires_at > ? "
        "AND st.active"));
    s->setString(1, token_digest);
    s->setString(2, ToSqlTime(now));
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (!rs->next()) return {};
    found = ReadPrincipal(*rs);
    rs.reset();
    found->store_ids = StoresOf(c, found->staff_id);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return found;
}

Result<bool> MysqlStaffRepository::RevokeSession(const std::string& token_digest, Instant now,
                                                 const AuditEntry& audit) {
  bool revoked = false;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "UPDATE staff_sessions SET revoked_at = ? WHERE token_digest = ? AND revoked_at IS NULL "
        "AND expires_at > ?"));
    s->setString(1, ToSqlTime(now));
    s->setString(2, token_digest);
    s->setString(3, ToSqlTime(now));
    revoked = s->executeUpdate() == 1;
    if (revoked) InsertAudit(c, audit);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return revoked;
}

}  // namespace loyalty
