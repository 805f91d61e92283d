// Port: anonymous bulk issuance jobs (up to millions of codes), run in the background and
// resumable: progress is stored with each batch, so a restarted server carries on.
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"

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

struct IssueJob {
  std::string job_id;
  std::string definition_id;
  int64_t requested = 0;
  int64_t issued = 0;
  IssueJobState state = IssueJobState::kQueued;
  std::string prefix;  // code prefix, may be empty
  Instant created_at{};
  std::optional<Instant> finished_at;
  std::string error;
  std::string created_by;
};

class CouponIssueJobs {
 public:
  virtual ~CouponIssueJobs() = default;
  virtual Status Create(const IssueJob& job, const AuditEntry& audit) = 0;
  virtual Result<std::optional<IssueJob>> Find(const std::string& job_id) = 0;
  // Takes the oldest queued job, or a running one whose lease ended (its worker died), and
  // leases it to the caller until `lease_until`.
  virtual Result<std::optional<IssueJob>> Claim(Instant now, Instant lease_until) = 0;
  // Records progress and extends the lease; `issued` must only grow.
  virtual Status Progress(const std::string& job_id, int64_t issued, Instant lease_until) = 0;
  virtual Status Finish(const std::string& job_id, IssueJobState state, const std::string& error,
                        Instant at) = 0;
};

}  // namespace loyalty
