// Coupon use cases. So far: creating and reading definitions (issuance, wallet, reservations next).
#pragma once

#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/domain/ports/coupon_definition_store.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/service/actor.h"

namespace loyalty {

class CouponService {
 public:
  CouponService(CouponDefinitionStore& definitions, RandomSource& random, const Clock& clock)
      : definitions_(definitions), random_(random), clock_(clock) {}

  // Marketers and admins. Validates the whole definition (400 naming the field), assigns the id.
  Result<CouponDefinition> CreateDefinition(const Actor& actor, CouponDefinition definition);
  // Every staff role may read (tills show coupon names). 404 coupon_definition_not_found.
  Result<CouponDefinition> GetDefinition(const Actor& actor, const std::string& definition_id);

 private:
  CouponDefinitionStore& definitions_;
  RandomSource& random_;
  const Clock& clock_;
};

}  // namespace loyalty
