// Audit entries: every staff write leaves one, in the same transaction as the write.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"

namespace loyalty {

struct AuditEntry {
  std::string audit_id;
  Instant at{};
  std::string actor_staff_id;  // "system" for CLI and scheduled work
  std::string actor_role;
  std::optional<std::string> store_id;  // the store the action belongs to, for scoped reading
  std::string action;                   // "member.enrol", "staff.create", "auth.login", ...
  std::string target_type;              // "member", "staff", "session"
  std::string target_id;
  std::string detail_json;  // what changed, PII masked; "{}" when nothing to add
  std::string request_id;
};

struct AuditFilter {
  // Store-scoped readers see only these stores' entries; empty optional = all stores.
  std::optional<std::vector<std::string>> store_ids;
  std::optional<std::string> target_id;
  std::optional<std::string> before_audit_id;  // cursor: entries older than this one
  int limit = 50;
};

}  // namespace loyalty
