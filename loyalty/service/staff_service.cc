// Staff use cases.
#include "loyalty/service/staff_service.h"

#include "loyalty/common/hex.h"
#include "loyalty/service/audit_entry.h"

namespace loyalty {
namespace {

Error BadCredentials() {
  return Error{Code::kUnauthenticated, "bad_credentials", "username or password is wrong", {}};
}

}  // namespace

StaffService::StaffService(StaffPorts ports, StaffServiceOptions options)
    : ports_(ports), options_(options) {}

Result<Principal> StaffService::CreateStaff(const Actor& actor, const NewStaff& staff,
                                            const std::string& password) {
  if (auto ok = Require(actor.principal, Permission::kStaffManage); !ok) return Fail(ok.error());
  if (auto ok = ValidateNewStaff(staff); !ok) return Fail(ok.error());
  if (auto ok = ValidatePassword(password); !ok) return Fail(ok.error());
  StaffAccount account;
  account.principal = Principal{ports_.random.NewId(), staff.username, staff.role, staff.store_ids};
  account.display_name = staff.display_name;
  account.password_phc = ports_.hasher.Hash(password);
  AuditEntry audit = Audit(actor.principal, "staff.create", "staff", account.principal.staff_id,
                           actor.request_id);
  if (!staff.store_ids.empty()) audit.store_id = staff.store_ids.front();
  audit.detail_json = std::string("{\"username\":\"") + staff.username + "\",\"role\":\"" +
                      RoleName(staff.role) + "\"}";
  if (auto ok = ports_.repository.Create(account, audit); !ok) return Fail(ok.error());
  return account.principal;
}

Result<Session> StaffService::Login(const std::string& username, const std::string& password,
                                    const std::string& client_address,
                                    const std::string& request_id) {
  const std::string user_key = "user:" + username.substr(0, 64);
  const std::string address_key = "addr:" + client_address;
  const int wait = std::max(ports_.login_limiter.RetryAfterSeconds(user_key),
                            ports_.login_limiter.RetryAfterSeconds(address_key));
  if (wait > 0) {
    Error e{Code::kResourceExhausted, "too_many_attempts",
            "too many failed logins; try again in " + std::to_string(wait) + " seconds", {}};
    return Fail(e.With("retry_after", std::to_string(wait)));
  }
  auto found = ports_.repository.FindByUsername(username);
  if (!found) return Fail(found.error());
  std::call_once(dummy_once_, [&] { dummy_phc_ = ports_.hasher.Hash("timing-equaliser-password"); });
  const bool known = found->has_value() && (*found)->active;
  const bool verified =
      ports_.hasher.Verify(password, known ? (*found)->password_phc : dummy_phc_) && known;
  if (!verified) {
    ports_.login_limiter.RecordFailure(user_key);
    ports_.login_limiter.RecordFailure(address_key);
    return Fail(BadCredentials());
  }
  ports_.login_limiter.Reset(user_key);
  Session session;
  session.token = HexEncode(ports_.random.Bytes(32));
  session.expires_at = ports_.clock.Now() + options_.session_ttl;
  session.principal = (*found)->principal;
  if (auto ok = ports_.repository.CreateSession(
          ports_.hasher.TokenDigest(session.token), session.principal.staff_id,
          session.expires_at,
          Audit(session.principal, "auth.login", "staff", session.principal.staff_id, request_id));
      !ok) {
    return Fail(ok.error());
  }
  return session;
}

Status StaffService::Logout(const std::string& token, const std::string& request_id) {
  auto who = Authenticate(token);
  if (!who) return Fail(who.error());
  auto revoked = ports_.repository.RevokeSession(
      ports_.hasher.TokenDigest(token), ports_.clock.Now(),
      Audit(*who, "auth.logout", "staff", who->staff_id, request_id));
  if (!revoked) return Fail(revoked.error());
  return {};
}

Result<Principal> StaffService::Authenticate(const std::string& token) {
  auto unauthenticated = [] {
    return Fail(Code::kUnauthenticated, "unauthenticated",
                "log in first and send 'Authorization: Bearer <token>'");
  };
  if (token.size() != 64) return unauthenticated();
  auto found = ports_.repository.FindSession(ports_.hasher.TokenDigest(token), ports_.clock.Now());
  if (!found) return Fail(found.error());
  if (!*found) return unauthenticated();
  return **found;
}

Result<std::vector<AuditEntry>> StaffService::AuditLog(const Actor& actor, AuditFilter filter) {
  if (auto ok = Require(actor.principal, Permission::kAuditRead); !ok) return Fail(ok.error());
  if (IsStoreScoped(actor.principal.role)) filter.store_ids = actor.principal.store_ids;
  if (filter.limit < 1 || filter.limit > 500) {
    return InvalidField("limit", "invalid_limit", "limit must be between 1 and 500");
  }
  return ports_.audit.List(filter);
}

AuditEntry StaffService::Audit(const Principal& who, std::string action, std::string target_type,
                               std::string target_id, const std::string& request_id) const {
  return NewAuditEntry(Actor{who, request_id}, ports_.random, ports_.clock, std::move(action),
                       std::move(target_type), std::move(target_id));
}

}  // namespace loyalty
