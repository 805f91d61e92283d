// Role table and staff account rules.
#include "loyalty/domain/staff.h"

#include <algorithm>
#include <set>

#include "loyalty/common/utf8.h"
#include "loyalty/domain/store_id.h"

namespace loyalty {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kMarketer: return "marketer";
    case Role::kStoreManager: return "store_manager";
    case Role::kCashier: return "cashier";
    case Role::kAuditor: return "auditor";
  }
  return "?";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kAdmin, Role::kMarketer, Role::kStoreManager, Role::kCashier,
                 Role::kAuditor}) {
    if (name == RoleName(r)) return r;
  }
  return std::nullopt;
}

bool RoleAllows(Role role, Permission p) {
  using P = Permission;
  switch (role) {
    case Role::kAdmin: return true;
    case Role::kMarketer:
      return p == P::kMembersRead || p == P::kProgramRead || p == P::kCouponsManage ||
             p == P::kCampaignsManage;
    case Role::kStoreManager:
      return p == P::kMembersRead || p == P::kMembersWrite || p == P::kAuditRead ||
             p == P::kPointsRedeem || p == P::kPointsAdjust || p == P::kProgramRead ||
             p == P::kCheckout;
    case Role::kCashier:
      return p == P::kMembersRead || p == P::kMembersWrite || p == P::kPointsRedeem ||
             p == P::kProgramRead || p == P::kCheckout;
    case Role::kAuditor:
      return p == P::kMembersRead || p == P::kAuditRead || p == P::kProgramRead ||
             p == P::kReportsRead;
  }
  return false;
}

bool IsStoreScoped(Role role) { return role == Role::kStoreManager || role == Role::kCashier; }

bool Principal::SeesStore(std::string_view store_id) const {
  if (!IsStoreScoped(role)) return true;
  return std::find(store_ids.begin(), store_ids.end(), store_id) != store_ids.end();
}

Status Require(const Principal& who, Permission permission) {
  if (who.Can(permission)) return {};
  return Fail(Code::kPermissionDenied, "forbidden",
              std::string("the role '") + RoleName(who.role) + "' may not do this");
}

Status ValidateNewStaff(const NewStaff& staff) {
  const auto& u = staff.username;
  const bool username_ok =
      u.size() >= 3 && u.size() <= 32 && std::all_of(u.begin(), u.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
      });
  if (!username_ok) {
    return InvalidField("username", "invalid_username",
                        "username must be 3 to 32 of a-z, 0-9, '.', '_' or '-'");
  }
  const auto display_length = CountPrintableCodePoints(staff.display_name);
  if (!display_length || *display_length > 40) {
    return InvalidField("display_name", "invalid_display_name",
                        "display_name must be at most 40 characters of UTF-8 text");
  }
  std::set<std::string> seen;
  for (const auto& id : staff.store_ids) {
    if (auto ok = ValidStoreId(id, "store_ids"); !ok) return Fail(ok.error());
    if (!seen.insert(id).second) {
      return InvalidField("store_ids", "duplicate_store_id", "store " + id + " is listed twice");
    }
  }
  if (IsStoreScoped(staff.role) && staff.store_ids.empty()) {
    return InvalidField("store_ids", "store_required",
                        std::string("a ") + RoleName(staff.role) + " must belong to a store");
  }
  if (!IsStoreScoped(staff.role) && !staff.store_ids.empty()) {
    return InvalidField("store_ids", "store_not_allowed",
                        std::string("the role '") + RoleName(staff.role) +
                            "' covers the whole chain and takes no store");
  }
  return {};
}

Status ValidatePassword(std::string_view password) {
  const auto length = CountPrintableCodePoints(password);
  if (!length || *length < 12 || password.size() > 128) {
    return InvalidField("password", "weak_password",
                        "password must be 12 or more characters (at most 128 bytes) of text; a short "
                        "phrase works well");
  }
  return {};
}

}  // namespace loyalty
