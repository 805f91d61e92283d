// MariaDB adapter for IdempotencyStore.
#pragma once

#include "loyalty/domain/ports/idempotency_store.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlIdempotencyStore final : public IdempotencyStore {
 public:
  explicit MysqlIdempotencyStore(MysqlPool& pool) : pool_(pool) {}
  Result<ClaimResult> Claim(const std::string& scope, const std::string& key,
                            const std::string& request_hash, Instant now,
                            std::chrono::seconds abandon_after) override;
  Status Complete(const std::string& scope, const std::string& key,
                  const StoredResponse& response) override;
  Status Release(const std::string& scope, const std::string& key) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
