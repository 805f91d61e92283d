// MariaDB adapter for CouponIssueJobs.
#pragma once

#include "loyalty/domain/ports/coupon_issue_jobs.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlCouponIssueJobs final : public CouponIssueJobs {
 public:
  explicit MysqlCouponIssueJobs(MysqlPool& pool) : pool_(pool) {}
  Status Create(const IssueJob& job, const AuditEntry& audit) override;
  Result<std::optional<IssueJob>> Find(const std::string& job_id) override;
  Result<std::optional<IssueJob>> Claim(Instant now, Instant lease_until) override;
  Status Progress(const std::string& job_id, int64_t issued, Instant lease_until) override;
  Status Finish(const std::string& job_id, IssueJobState state, const std::string& error,
                Instant at) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
