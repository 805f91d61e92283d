// Port: coupon definitions.
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/coupon.h"

namespace loyalty {

class CouponDefinitionStore {
 public:
  virtual ~CouponDefinitionStore() = default;
  // Saves a new definition (its id already assigned) with the audit entry, atomically.
  virtual Status Create(const CouponDefinition& definition, const AuditEntry& audit) = 0;
  virtual Result<std::optional<CouponDefinition>> Find(const std::string& definition_id) = 0;
};

}  // namespace loyalty
