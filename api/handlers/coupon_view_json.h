// JSON shapes of issued coupons (wallet, code lookup) and bulk issue jobs.
#pragma once

#include "api/http/json_body.h"
#include "loyalty/service/coupon_service.h"

namespace loyalty::api {

Json CouponViewJson(const CouponView& view);
// A freshly issued member coupon: member_id, code, display_code, valid_from, valid_until.
Json IssuedCodeJson(const IssuedCoupon& coupon);
Json IssueJobJson(const IssueJob& job);
// One CSV line per code: code, the grouped form for printing, valid_from, valid_until.
std::string CouponCsvHeader();
std::string CouponCsvLine(const IssuedCoupon& coupon);

}  // namespace loyalty::api
