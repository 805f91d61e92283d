// Port: reading the audit log (writes ride along with each repository's own transaction).
#pragma once

#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"

namespace loyalty {

class AuditLogReader {
 public:
  virtual ~AuditLogReader() = default;
  // Newest first, at most filter.limit entries.
  virtual Result<std::vector<AuditEntry>> List(const AuditFilter& filter) = 0;
};

}  // namespace loyalty
