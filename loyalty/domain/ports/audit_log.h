// Port: the audit log. Writes that change data ride along with each repository's own
// transaction; Append is for actions that only read.
#pragma once

#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"

namespace loyalty {

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Newest first, at most filter.limit entries.
  virtual Result<std::vector<AuditEntry>> List(const AuditFilter& filter) = 0;
  // For actions that change nothing else but must be on record (e.g. a data export).
  virtual Status Append(const AuditEntry& entry) = 0;
};

}  // namespace loyalty
