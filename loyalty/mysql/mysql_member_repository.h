// MariaDB adapter for MemberRepository.
#pragma once

#include "loyalty/domain/ports/member_repository.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlMemberRepository final : public MemberRepository {
 public:
  explicit MysqlMemberRepository(MysqlPool& pool) : pool_(pool) {}

  Status Insert(const StoredMember& member, const std::vector<ConsentEvent>& consents,
                const AuditEntry& audit) override;
  Status Update(const StoredMember& member, const std::vector<ConsentEvent>& consents,
                const AuditEntry& audit) override;
  Result<std::optional<StoredMember>> FindById(const std::string& member_id) override;
  Result<std::optional<StoredMember>> FindByPhoneIndex(const std::string& index) override;
  Result<std::optional<StoredMember>> FindByEmailIndex(const std::string& index) override;
  Result<std::optional<StoredMember>> FindByCard(const std::string& card_no) override;
  Result<std::vector<ConsentEvent>> ConsentHistory(const std::string& member_id) override;

 private:
  Result<std::optional<StoredMember>> FindBy(const char* column, const std::string& value);

  MysqlPool& pool_;
};

}  // namespace loyalty
