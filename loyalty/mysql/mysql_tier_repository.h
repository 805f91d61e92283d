// MariaDB adapter for TierRepository.
#pragma once

#include "loyalty/domain/ports/tier_repository.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlTierRepository final : public TierRepository {
 public:
  explicit MysqlTierRepository(MysqlPool& pool) : pool_(pool) {}
  Result<std::pair<TierStatus, std::optional<TierChange>>> Apply(
      const std::string& member_id, const std::string& base_tier,
      const std::optional<TierActivityRecord>& activity, Instant activities_since,
      const std::string& staff_id, const TierDecision& decide,
      const std::optional<AuditEntry>& audit) override;
  // Apply's work (without the audit entry) inside a transaction the caller owns.
  static Result<std::pair<TierStatus, std::optional<TierChange>>> ApplyOn(sql::Connection& c,
                                                                          const TierUpdate& update);
  Result<TierRecord> Load(const std::string& member_id, const std::string& base_tier,
                          Instant activities_since) override;
  Result<std::vector<std::string>> DueForReview(Instant before, int limit) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
