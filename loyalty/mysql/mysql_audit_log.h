// MariaDB adapter for the audit log: the writer used inside repositories' transactions and the
// reader behind GET /v1/audit-log.
#pragma once

#include "loyalty/domain/ports/audit_log.h"
#include "loyalty/mysql/mysql_pool.h"

namespace sql {
class Connection;
}

namespace loyalty {

// Writes `e` on the caller's connection, so it commits or rolls back with the change it records.
void InsertAudit(sql::Connection& c, const AuditEntry& e);

class MysqlAuditLog final : public AuditLog {
 public:
  explicit MysqlAuditLog(MysqlPool& pool) : pool_(pool) {}
  Result<std::vector<AuditEntry>> List(const AuditFilter& filter) override;
  Status Append(const AuditEntry& entry) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
