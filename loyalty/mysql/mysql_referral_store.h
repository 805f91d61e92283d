// MariaDB adapter for ReferralStore.
#pragma once

#include "loyalty/domain/ports/referral_store.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlReferralStore final : public ReferralStore {
 public:
  explicit MysqlReferralStore(MysqlPool& pool) : pool_(pool) {}
  Status Record(const std::string& member_id, const std::string& referrer_id, Instant at) override;
  Result<std::optional<std::string>> UnrewardedReferrer(const std::string& member_id) override;
  Result<int> RewardedCount(const std::string& referrer_id) override;
  Status MarkRewarded(const std::string& member_id, Instant at) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
