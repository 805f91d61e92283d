// Staff use cases: accounts, login/logout with throttling, token authentication, audit reading.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/domain/ports/audit_log.h"
#include "loyalty/domain/ports/password_hasher.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/domain/ports/rate_limiter.h"
#include "loyalty/domain/ports/staff_repository.h"
#include "loyalty/service/actor.h"

namespace loyalty {

struct StaffServiceOptions {
  std::chrono::seconds session_ttl{12 * 3600};  // one long shift; logout revokes earlier
};

struct Session {
  std::string token;  // shown once; only its digest is stored
  Instant expires_at{};
  Principal principal;
};

struct StaffPorts {
  StaffRepository& repository;
  PasswordHasher& hasher;
  RandomSource& random;
  const Clock& clock;
  RateLimiter& login_limiter;
  AuditLog& audit;
};

class StaffService {
 public:
  StaffService(StaffPorts ports, StaffServiceOptions options = {});

  // Admin only. 400 for a bad username/role/store/password, 409 duplicate_username.
  Result<Principal> CreateStaff(const Actor& actor, const NewStaff& staff,
                                const std::string& password);
  // 401 bad_credentials (same answer for unknown user and wrong password); 429 too_many_attempts
  // with detail retry_after once a username or client address failed too often.
  Result<Session> Login(const std::string& username, const std::string& password,
                        const std::string& client_address, const std::string& request_id);
  Status Logout(const std::string& token, const std::string& request_id);
  // 401 unauthenticated for a missing, unknown, expired or revoked token.
  Result<Principal> Authenticate(const std::string& token);
  // Store-scoped readers see only their stores' entries.
  Result<std::vector<AuditEntry>> AuditLog(const Actor& actor, AuditFilter filter);

 private:
  AuditEntry Audit(const Principal& who, std::string action, std::string target_type,
                   std::string target_id, const std::string& request_id) const;

  StaffPorts ports_;
  StaffServiceOptions options_;
  // Verified against for unknown users so the response time does not tell who exists; made on
  // first login, not at start, so CLI commands do not pay a scrypt run for it.
  std::once_flag dummy_once_;
  std::string dummy_phc_;
};

}  // namespace loyalty
