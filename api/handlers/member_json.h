// JSON shapes of members: responses, and enrol / patch requests.
#pragma once

#include "api/http/json_body.h"
#include "loyalty/domain/member.h"
#include "loyalty/domain/staff.h"
#include "loyalty/service/member_service.h"

namespace loyalty::api {

// Roles that may not edit members (marketer, auditor) see phone and e-mail masked.
Json MemberJson(const Member& m, const Principal& viewer);
Json ExportJson(const MemberExport& e);
Json AuditEntryJson(const AuditEntry& e);

Result<EnrolRequest> EnrolRequestFrom(const Json& body);
Result<MemberPatch> MemberPatchFrom(const Json& body);

inline constexpr std::initializer_list<const char*> kMemberFields = {
    "phone", "email", "name", "birthday", "home_store_id", "consents"};
inline constexpr std::initializer_list<const char*> kEnrolFields = {
    "phone", "email", "name", "birthday", "home_store_id", "consents", "referred_by"};

}  // namespace loyalty::api
