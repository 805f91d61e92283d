// Audit log reads and in-transaction writes.
#include "loyalty/mysql/mysql_audit_log.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/mysql/sql_values.h"

namespace loyalty {

void InsertAudit(sql::Connection& c, const AuditEntry& e) {
  std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
      "INSERT INTO audit_log (audit_id, at, actor_staff_id, actor_role, store_id, action, "
      "target_type, target_id, detail, request_id) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  s->setString(1, e.audit_id);
  s->setString(2, ToSqlTime(e.at));
  s->setString(3, e.actor_staff_id);
  s->setString(4, e.actor_role);
  BindOptional(*s, 5, e.store_id);
  s->setString(6, e.action);
  s->setString(7, e.target_type);
  s->setString(8, e.target_id);
  s->setString(9, e.detail_json);
  s->setString(10, e.request_id.substr(0, 64));
  s->execute();
}

Status MysqlAuditLog::Append(const AuditEntry& entry) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    InsertAudit(c, entry);
    return {};
  });
}

Result<std::vector<AuditEntry>> MysqlAuditLog::List(const AuditFilter& filter) {
  std::string where = "1=1";
  std::vector<std::string> args;
  if (filter.store_ids) {
    if (filter.store_ids->empty()) return std::vector<AuditEntry>{};
    where += " AND store_id IN (";
    for (size_t i = 0; i < filter.store_ids->size(); ++i) {
      where += i ? ",?" : "?";
      args.push_back((*filter.store_ids)[i]);
    }
    where += ")";
  }
  if (filter.target_id) {
    where += " AND target_id = ?";
    args.push_back(*filter.target_id);
  }
  if (filter.before_audit_id) {
    // Cursor: strictly older than the given entry in (at, audit_id) order.
    where += " AND (at, audit_id) < (SELECT at, audit_id FROM audit_log WHERE audit_id = ?)";
    args.push_back(*filter.before_audit_id);
  }
  std::vector<AuditEntry> entries;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "SELECT * FROM audit_log WHERE " + where + " ORDER BY at DESC, audit_id DESC LIMIT " +
        std::to_string(filter.limit)));
    for (size_t i = 0; i < args.size(); ++i) s->setString(static_cast<int>(i + 1), args[i]);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    while (rs->next()) {
      AuditEntry e;
      e.audit_id = rs->getString("audit_id");
      e.at = FromSqlTime(rs->getString("at"));
      e.actor_staff_id = rs->getString("actor_staff_id");
      e.actor_role = rs->getString("actor_role");
      e.store_id = GetOptional(*rs, "store_id");
      e.action = rs->getString("action");
      e.target_type = rs->getString("target_type");
      e.target_id = rs->getString("target_id");
      e.detail_json = rs->getString("detail");
      e.request_id = rs->getString("request_id");
      entries.push_back(std::move(e));
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  return entries;
}

}  // namespace loyalty
