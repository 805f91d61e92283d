// Port: background issuance jobs, resumable because progress is stored with each batch: anonymous
// bulk codes (up to millions), or one coupon to each member of a segment.
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/coupon_lifecycle.h"

namespace loyalty {

enum class IssueJobState { kQueued, kRunning, kDone, kFailed };
inline const char* IssueJobStateName(IssueJobState s) {
  switch (s) {
    case IssueJobState::kQueued:
      return "queued";
    case IssueJobState::kRunning:
      return "running";
    case IssueJobState::kDone:
      return "done";
    case IssueJobState::kFailed:
      return "failed";
  }
  return "failed";
}
inline std::optional<IssueJobState> ParseIssueJobState(const std::string& name) {
  for (IssueJobState s : {IssueJobState::kQueued, IssueJobState::kRunning, IssueJobState::kDone,
                          IssueJobState::kFailed}) {
    if (name == IssueJobStateName(s)) return s;
  }
  return std::nullopt;
}

struct IssueJob {
  std::string job_id;
  std::string definition_id;
  std::optional<std::string> segment_id;  // set: one coupon per member of this segment
  std::string after_member_id;            // segment jobs: the members up to here are done
  int64_t requested = 0;                  // codes, or the segment's size when queued
  int64_t issued = 0;
  IssueJobState state = IssueJobState::kQueued;
  std::string prefix;  // code prefix, may be empty
  Instant created_at{};
  std::optional<Instant> finished_at;
  std::string error;
  std::string created_by;
  std::string lease_token;  // set by Claim: the batches of this lease carry it
};

class CouponIssueJobs {
 public:
  virtual ~CouponIssueJobs() = default;
  virtual Status Create(const IssueJob& job, const AuditEntry& audit) = 0;
  virtual Result<std::optional<IssueJob>> Find(const std::string& job_id) = 0;
  // Takes the oldest queued job, or a running one whose lease ended (its worker died), and
  // leases it to the caller until `lease_until` under a new lease_token.
  virtual Result<std::optional<IssueJob>> Claim(Instant now, Instant lease_until) = 0;
  // In one transaction under the job's row lock: checks `job.lease_token` still holds the job
  // (else lease_lost, kAborted: another worker took it over and nothing is written), inserts the
  // codes (a code that exists already is skipped), adds them to the job's count and extends the
  // lease. Returns how many went in. Fenced this way, a stalled worker can never add codes once
  // another has taken its job, so a job never makes more than requested.
  virtual Result<int64_t> InsertBatch(const IssueJob& job, const std::vector<IssuedCoupon>& codes,
                                      Instant lease_until) = 0;
  // Segment jobs: records that every member up to `after_member_id` has their coupon and extends
  // the lease, fenced like InsertBatch (lease_lost).
  virtual Status Advance(const IssueJob& job, const std::string& after_member_id,
                         Instant lease_until) = 0;
  // Ends the job unless another worker has taken it over since `job` was claimed.
  virtual Status Finish(const IssueJob& job, IssueJobState state, const std::string& error,
                        Instant at) = 0;
};

}  // namespace loyalty
