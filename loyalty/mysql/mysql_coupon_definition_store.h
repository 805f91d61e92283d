// MariaDB adapter for CouponDefinitionStore.
#pragma once

#include "loyalty/domain/ports/coupon_definition_store.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlCouponDefinitionStore final : public CouponDefinitionStore {
 public:
  explicit MysqlCouponDefinitionStore(MysqlPool& pool) : pool_(pool) {}
  Status Create(const CouponDefinition& definition, const AuditEntry& audit) override;
  Result<std::optional<CouponDefinition>> Find(const std::string& definition_id) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
