// MariaDB adapter for CouponIssueJobs.
#pragma once

#include "loyalty/domain/ports/coupon_issue_jobs.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlCouponIssueJobs final : public CouponIssueJobs {
 public:
  MysqlCouponIssueJobs(MysqlPool& pool, RandomSource& random) : pool_(pool), random_(random) {}
  Status Create(const IssueJob& job, const AuditEntry& audit) override;
  Result<std::optional<IssueJob>> Find(const std::string& job_id) override;
  Result<std::optional<IssueJob>> Claim(Instant now, Instant lease_until) override;
  Result<int64_t> InsertBatch(const IssueJob& job, const std::vector<IssuedCoupon>& codes,
                              Instant lease_until) override;
  Status Advance(const IssueJob& job, const std::string& after_member_id,
                 Instant lease_until) override;
  Status Finish(const IssueJob& job, IssueJobState state, const std::string& error,
                Instant at) override;

 private:
  MysqlPool& pool_;
  RandomSource& random_;
};

}  // namespace loyalty
