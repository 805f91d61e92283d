// Port: staff accounts and their login sessions.
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/staff.h"

namespace loyalty {

struct StaffAccount {
  Principal principal;
  std::string display_name;
  std::string password_phc;
  bool active = true;
};

class StaffRepository {
 public:
  virtual ~StaffRepository() = default;
  // kAlreadyExists (duplicate_username) if the username is taken. Writes the audit entry too.
  virtual Status Create(const StaffAccount& account, const AuditEntry& audit) = 0;
  virtual Result<std::optional<StaffAccount>> FindByUsername(const std::string& username) = 0;

  // Sessions are keyed by the token's digest, never the token itself.
  virtual Status CreateSession(const std::string& token_digest, const std::string& staff_id,
                               Instant expires_at, const AuditEntry& audit) = 0;
  // The principal of a live session: not revoked, not expired at `now`, staff still active.
  virtual Result<std::optional<Principal>> FindSession(const std::string& token_digest,
                                                       Instant now) = 0;
  // Idempotent; returns whether a live session was revoked.
  virtual Result<bool> RevokeSession(const std::string& token_digest, Instant now,
                                     const AuditEntry& audit) = 0;
};

}  // namespace loyalty
