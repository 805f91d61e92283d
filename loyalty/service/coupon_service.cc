// Coupon use cases.
#include "loyalty/service/coupon_service.h"

#include "loyalty/service/audit_entry.h"

namespace loyalty {

Result<CouponDefinition> CouponService::CreateDefinition(const Actor& actor,
                                                         CouponDefinition definition) {
  if (auto ok = Require(actor.principal, Permission::kCouponsManage); !ok) return Fail(ok.error());
  definition.id = random_.NewId();
  if (auto ok = ValidateCouponDefinition(definition); !ok) return Fail(ok.error());
  if (auto ok = definitions_.Create(definition,
                                    NewAuditEntry(actor, random_, clock_, "coupon_definition.create",
                                                  "coupon_definition", definition.id));
      !ok) {
    return Fail(ok.error());
  }
  return definition;
}

Result<CouponDefinition> CouponService::GetDefinition(const Actor& actor,
                                                      const std::string& definition_id) {
  if (auto ok = Require(actor.principal, Permission::kProgramRead); !ok) return Fail(ok.error());
  auto found = definitions_.Find(definition_id);
  if (!found) return Fail(found.error());
  if (!*found) {
    return Fail(Code::kNotFound, "coupon_definition_not_found", "no coupon definition with this id");
  }
  return **found;
}

}  // namespace loyalty
