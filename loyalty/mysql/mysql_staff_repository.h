// MariaDB adapter for StaffRepository (accounts, store assignments, hashed sessions).
#pragma once

#include "loyalty/domain/ports/staff_repository.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlStaffRepository final : public StaffRepository {
 public:
  explicit MysqlStaffRepository(MysqlPool& pool) : pool_(pool) {}

  Status Create(const StaffAccount& account, const AuditEntry& audit) override;
  Result<std::optional<StaffAccount>> FindByUsername(const std::string& username) override;
  Status CreateSession(const std::string& token_digest, const std::string& staff_id,
                       Instant expires_at, const AuditEntry& audit) override;
  Result<std::optional<Principal>> FindSession(const std::string& token_digest,
                                               Instant now) override;
  Result<bool> RevokeSession(const std::string& token_digest, Instant now,
                             const AuditEntry& audit) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
