// Staff accounts and roles: who may do what, and in which stores.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/common/error.h"

namespace loyalty {

enum class Role { kAdmin, kMarketer, kStoreManager, kCashier, kAuditor };
const char* RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

enum class Permission {
  kMembersRead,      // get and look up members
  kMembersWrite,     // enrol, edit profile and consents
  kMembersExport,    // everything held about a member (data subject request)
  kMembersErase,     // erasure on request
  kStaffManage,      // create staff accounts
  kAuditRead,        // read the audit log (store-scoped roles see only their stores)
  kPointsRedeem,     // spend a member's points (till, service desk) and move them between members
  kPointsAdjust,     // manual corrections; large ones need a second person's approval
  kProgramRead,      // see the program configuration
  kProgramWrite,     // change the program configuration
  kReportsRead,      // liability and other finance reports
  kCouponsManage,    // create coupon definitions, issue and revoke coupons
  kCheckout,         // quote and commit sales at a till (coupons reserved and redeemed)
  kCampaignsManage,  // segments (and, with them, what campaigns target)
};

bool RoleAllows(Role role, Permission permission);
// Roles tied to particular stores; they see only those stores' staff actions.
bool IsStoreScoped(Role role);

// The authenticated staff member behind a request.
struct Principal {
  std::string staff_id;
  std::string username;
  Role role = Role::kAuditor;
  std::vector<std::string> store_ids;  // non-empty for store-scoped roles

  bool Can(Permission p) const { return RoleAllows(role, p); }
  // Admin, marketer and auditor see the whole chain; others only their stores.
  bool SeesStore(std::string_view store_id) const;
};

// Permission check with a message that says what is missing.
Status Require(const Principal& who, Permission permission);

struct NewStaff {
  std::string username;
  std::string display_name;
  Role role = Role::kCashier;
  std::vector<std::string> store_ids;
};

// Username 3..32 of [a-z0-9._-]; store-scoped roles need at least one store, others none.
Status ValidateNewStaff(const NewStaff& staff);
// At least 12 characters (a passphrase), at most 128 (bounds the scrypt input).
Status ValidatePassword(std::string_view password);

}  // namespace loyalty
