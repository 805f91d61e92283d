// Building audit entries the same way in every use case.
#pragma once

#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/service/actor.h"

namespace loyalty {

// An entry for `actor` doing `action` to (target_type, target_id). It belongs to the actor's
// first store when the actor has stores, else to `fallback_store` (e.g. the member's home store).
inline AuditEntry NewAuditEntry(const Actor& actor, RandomSource& random, const Clock& clock,
                                std::string action, std::string target_type, std::string target_id,
                                std::string detail_json = "{}",
                                std::optional<std::string> fallback_store = std::nullopt) {
  AuditEntry e;
  e.audit_id = random.NewId();
  e.at = clock.Now();
  e.actor_staff_id = actor.principal.staff_id;
  e.actor_role = RoleName(actor.principal.role);
  e.store_id = actor.principal.store_ids.empty() ? std::move(fallback_store)
                                                 : std::optional(actor.principal.store_ids.front());
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.detail_json = std::move(detail_json);
  e.request_id = actor.request_id;
  return e;
}

}  // namespace loyalty
